// The open-notice form (结果公示): recompute the end date when the start or the length changes
// by pressing the form's own preview button (the page works the same without this script).
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-notice-form]");
  if (!form) return;
  const button = form.querySelector("[data-preview-button]");
  for (const name of ["starts_on", "working_days"]) {
    const input = form.elements.namedItem(name);
    if (input) input.addEventListener("change", () => form.requestSubmit(button));
  }
});
