/*
 * Live points on the scoring and consensus pages (progressive enhancement).
 *
 * A select marked data-percent-select carries the item's points in data-points. When the
 * percentage changes, the block around it (data-score-block) shows points × percentage in its
 * data-points-output, the matching band row (data-band-low/high) is highlighted, and a page
 * total (data-total-output) sums every output. The server computes the same figures on save.
 */
(function () {
  "use strict";

  function format(value) {
    // At most two decimals, no trailing zeros: 32.5, 30, 0.75.
    return String(Math.round(value * 100) / 100);
  }

  function blockOf(select) {
    return select.closest("[data-score-block]") || document;
  }

  function update(select) {
    var block = blockOf(select);
    var output = block.querySelector("[data-points-output]");
    var percent = select.value === "" ? null : parseInt(select.value, 10);
    var points = parseInt(select.getAttribute("data-points"), 10);
    if (output) {
      output.textContent = percent === null ? "—" : format((points * percent) / 100);
    }
    block.querySelectorAll("[data-band-low]").forEach(function (row) {
      var low = parseInt(row.getAttribute("data-band-low"), 10);
      var high = parseInt(row.getAttribute("data-band-high"), 10);
      row.classList.toggle("is-current", percent !== null && percent >= low && percent <= high);
    });
  }

  function updateTotal() {
    var total = document.querySelector("[data-total-output]");
    if (!total) {
      return;
    }
    var sum = 0;
    var any = false;
    document.querySelectorAll("select[data-percent-select]").forEach(function (select) {
      if (select.value !== "") {
        any = true;
        sum += (parseInt(select.getAttribute("data-points"), 10) * parseInt(select.value, 10)) / 100;
      }
    });
    if (any) {
      total.textContent = format(sum);
    }
  }

  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select.matches && select.matches("select[data-percent-select]")) {
      update(select);
      updateTotal();
    }
  });
})();
