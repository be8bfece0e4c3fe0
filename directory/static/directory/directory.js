// The directory's filters start open where there is room for them; on phones they start folded
// so that the results are near the top. Without JavaScript they are open when any is in use.
(() => {
  if (window.matchMedia("(min-width: 992px)").matches) {
    for (const details of document.querySelectorAll("details[data-open-wide]")) {
      details.open = true;
    }
  }
})();
