// Keeps every Cause list of the article form (resolutions, signatures) in step
// with the causes on the same page, so a cause typed in a moment ago can be
// chosen before the article is saved. The server accepts any cause key the page
// posts (kb.forms.CausePartForm). No inline scripts: works under script-src 'self'.
"use strict";

(function () {
  function causeRows() {
    const rows = [];
    document.querySelectorAll('input[name^="causes-"][name$="-key"]').forEach(function (input) {
      if (input.closest(".empty-form")) {
        return;
      }
      const prefix = input.name.slice(0, -"-key".length);
      const title = document.querySelector('[name="' + prefix + '-title"]');
      const deleted = document.querySelector('input[name="' + prefix + '-DELETE"]');
      const key = input.value.trim();
      if (key && !(deleted && deleted.checked)) {
        rows.push({ prefix: prefix, key: key, title: title ? title.value.trim() : "" });
      }
    });
    return rows;
  }

  function refresh() {
    const rows = causeRows();
    document.querySelectorAll("select[data-cause-choices]").forEach(function (select) {
      if (select.closest(".empty-form")) {
        return;
      }
      const chosen = select.selectedOptions[0];
      // Follow the cause row, so renaming a key keeps the choice.
      const chosenRow = chosen ? chosen.dataset.row : undefined;
      const chosenKey = select.value;
      const options = [new Option("---------", "")];
      rows.forEach(function (row) {
        const label = row.title ? row.title + " (" + row.key + ")" : row.key;
        const option = new Option(label, row.key);
        option.dataset.row = row.prefix;
        option.selected = chosenRow ? chosenRow === row.prefix : chosenKey === row.key;
        options.push(option);
      });
      select.replaceChildren.apply(select, options);
    });
  }

  function onEdit(event) {
    const name = event.target && event.target.name;
    if (name && name.indexOf("causes-") === 0) {
      refresh();
    }
  }

  document.addEventListener("input", onEdit);
  document.addEventListener("change", onEdit);
  document.addEventListener("formset:added", refresh);
  document.addEventListener("formset:removed", refresh);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", refresh);
  } else {
    refresh();
  }
})();
