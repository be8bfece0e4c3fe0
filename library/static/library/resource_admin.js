"use strict";
// Suggest the category's default minimum tier on the resource form, until staff pick one themselves.
document.addEventListener("DOMContentLoaded", () => {
  const category = document.getElementById("id_category");
  const tier = document.getElementById("id_min_tier");
  if (!category || !tier || !tier.dataset.defaults) {
    return;
  }
  const defaults = JSON.parse(tier.dataset.defaults);
  let chosenByHand = tier.value !== "";
  tier.addEventListener("change", () => {
    chosenByHand = true;
  });
  category.addEventListener("change", () => {
    if (!chosenByHand && defaults[category.value]) {
      tier.value = String(defaults[category.value]);
    }
  });
});
