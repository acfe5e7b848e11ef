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
          button.textContent = "Copied";
          status.textContent = "Error text copied to the clipboard";
          window.setTimeout(function () {
            button.textContent = "Copy";
            status.textContent = "";
          }, 2000);
        },
        function () {
          button.textContent = "Copy failed";
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
