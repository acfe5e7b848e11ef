// A "Preview" button under each Markdown textarea in the admin.
//
// The server renders the text through the same sanitiser as the public pages
// (kb.markup.to_html) and returns safe HTML. No inline scripts or handlers,
// so it works under the site's Content Security Policy (script-src 'self').
"use strict";

(function () {
  function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function addButton(textarea) {
    if (textarea.dataset.previewReady || textarea.closest(".empty-form")) {
      return;
    }
    textarea.dataset.previewReady = "1";

    const button = document.createElement("button");
    button.type = "button";
    button.className = "button kb-preview-button";
    button.textContent = "Preview";

    const output = document.createElement("div");
    output.className = "kb-preview";
    output.hidden = true;
    output.setAttribute("aria-live", "polite");

    button.addEventListener("click", function () {
      if (!output.hidden && button.dataset.showing === "1") {
        output.hidden = true;
        button.dataset.showing = "";
        button.textContent = "Preview";
        return;
      }
      const body = new FormData();
      body.append("text", textarea.value);
      fetch(textarea.dataset.markdownPreview, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken() },
      })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("The preview could not be rendered (" + response.status + ").");
          }
          return response.json();
        })
        .then(function (data) {
          // The HTML comes from the server's sanitiser, never from the page.
          output.innerHTML = data.html || "<p><em>(empty)</em></p>";
          output.classList.remove("kb-preview-error");
        })
        .catch(function (error) {
          output.textContent = error.message;
          output.classList.add("kb-preview-error");
        })
        .finally(function () {
          output.hidden = false;
          button.dataset.showing = "1";
          button.textContent = "Hide preview";
        });
    });

    textarea.insertAdjacentElement("afterend", output);
    textarea.insertAdjacentElement("afterend", button);
  }

  function addButtons(root) {
    root.querySelectorAll("textarea[data-markdown-preview]").forEach(addButton);
  }

  document.addEventListener("DOMContentLoaded", function () {
    addButtons(document);
  });
  // Rows added with "Add another ..." in an inline.
  document.addEventListener("formset:added", function (event) {
    addButtons(event.target);
  });
})();
