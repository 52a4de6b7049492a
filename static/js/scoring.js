/*
 * Live points on the scoring and consensus pages (progressive enhancement).
 *
 * A select marked data-percent-select carries the item's points in data-points. When the
 * percentage changes, the block around it (data-score-block) shows points × percentage in its
 * data-points-output, the matching band row (data-band-low/high) is highlighted, and a page
 * total (data-total-output) sums every output. The server computes the same figures on save.
 * When the item page's background save succeeds, its entry in the side list is updated.
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

  // After a background save (autosave.js) the side list shows the item's new percentage.
  document.addEventListener("autosave:saved", function (event) {
    var item = event.detail && event.detail.item;
    if (!item) {
      return;
    }
    document.querySelectorAll("[data-nav-item]").forEach(function (link) {
      if (link.getAttribute("data-nav-item") !== item.code) {
        return;
      }
      var mark = link.querySelector(".mark");
      if (mark) {
        mark.textContent = (item.percent === null ? "—" : item.percent + "%") + (item.done ? " ✓" : "");
      }
      if (link.parentElement) {
        link.parentElement.classList.toggle("is-done", Boolean(item.done));
      }
    });
  });

  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select.matches && select.matches("select[data-percent-select]")) {
      update(select);
      updateTotal();
    }
  });
})();
