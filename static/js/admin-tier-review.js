// Tier review page: a "select all" box for the proposed downgrades. Without JavaScript
// the box stays hidden and each row is ticked on its own.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  for (const toggle of document.querySelectorAll("input[data-select-all]")) {
    const table = toggle.closest("table");
    const boxes = () => [...table.querySelectorAll('tbody input[type="checkbox"][name="partner"]')];
    const sync = () => {
      const all = boxes();
      toggle.checked = all.length > 0 && all.every((box) => box.checked);
      toggle.indeterminate = !toggle.checked && all.some((box) => box.checked);
    };
    toggle.hidden = false;
    toggle.addEventListener("change", () => {
      for (const box of boxes()) box.checked = toggle.checked;
    });
    table.addEventListener("change", (event) => {
      if (event.target !== toggle) sync();
    });
    sync();
  }
});
