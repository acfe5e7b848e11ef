// Adds a "Copy" button to each verbatim error text. Without the Clipboard API
// (or without JavaScript) there is no button at all rather than a dead one.
(function () {
  "use strict";
  if (!navigator.clipboard || !window.isSecureContext) {
    return;
  }

  function addButton(pre) {
    var code = pre.querySelector("code") || pre;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = "Copy";
    button.setAttribute("aria-label", "Copy the error text");
    var status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(code.textContent).then(
        function () {
          // The accessible name changes with the visible label: screen readers
          // would otherwise go on announcing "Copy the error text".
          button.textContent = "Copied";
          button.setAttribute("aria-label", "Error text copied");
          status.textContent = "Error text copied to the clipboard";
          window.setTimeout(function () {
            button.textContent = "Copy";
            button.setAttribute("aria-label", "Copy the error text");
            status.textContent = "";
          }, 2000);
        },
        function () {
          button.textContent = "Copy failed";
          button.setAttribute("aria-label", "Copying the error text failed");
          status.textContent = "The error text could not be copied";
        }
      );
    });
    pre.parentNode.insertBefore(button, pre);
    pre.parentNode.insertBefore(status, pre);
    pre.parentNode.classList.add("has-copy");
  }

  function init() {
    document.querySelectorAll(".error-text pre").forEach(addButton);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
