// Copy button for a freshly issued licence key. The button stays hidden without a clipboard
// (old browsers, plain-HTTP hosts other than localhost); the key is selectable anyway.
(function () {
  "use strict";
  function selectText(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  document.querySelectorAll("[data-copy-key]").forEach(function (button) {
    if (!navigator.clipboard) {
      return;
    }
    var key = document.getElementById(button.dataset.copyKey);
    var status = button.parentElement.querySelector("[data-copy-status]");
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(key.textContent.trim()).then(
        function () {
          status.textContent = button.dataset.copiedLabel;
          button.textContent = button.dataset.copiedLabel;
        },
        function () {
          // Clipboard refused (permissions): select the key so Ctrl+C copies it.
          selectText(key);
        }
      );
    });
  });
})();
