// What every page needs beyond Bootstrap and htmx.
(() => {
  // The language switcher returns to the page as it is now: after htmx pushed a search or filter
  // into the address bar, that is the new URL, not the one the page was loaded with.
  const followAddressBar = () => {
    for (const input of document.querySelectorAll(".language-switcher input[name=next]")) {
      input.value = window.location.pathname + window.location.search;
    }
  };
  document.addEventListener("htmx:pushedIntoHistory", followAddressBar);
  document.addEventListener("htmx:replacedInHistory", followAddressBar);
  document.addEventListener("htmx:historyRestore", followAddressBar);
})();
