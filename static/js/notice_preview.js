// The open-notice form (结果公示): when the start or the length changes, ask the page for the
// end date again (the form's own preview, posted in the background) and show it in place. When
// the period needs a year's holidays confirmed, the page is reloaded with the fields asking for
// them. Without this script the preview button does the same by a normal submission.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-notice-form]");
  if (!form) return;
  const button = form.querySelector("[data-preview-button]");
  let latest = 0;

  async function refresh() {
    const request = ++latest;
    const data = new FormData(form);
    data.set("preview", "1");
    let response;
    try {
      response = await fetch(window.location.href, {
        method: "POST",
        body: data,
        credentials: "same-origin",
      });
    } catch {
      return;
    }
    if (!response.ok || request !== latest) return;
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = page.querySelector("[data-notice-preview]");
    const current = form.querySelector("[data-notice-preview]");
    const asks = page.querySelector("[data-ask-year]");
    if (asks && !form.querySelector("[data-ask-year]")) {
      form.requestSubmit(button);
      return;
    }
    if (fresh && current) current.replaceWith(document.importNode(fresh, true));
  }

  let timer;
  function soon() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 300);
  }
  for (const name of ["starts_on", "working_days"]) {
    const input = form.elements.namedItem(name);
    if (!input) continue;
    input.addEventListener("input", soon);
    input.addEventListener("change", soon);
  }
});
