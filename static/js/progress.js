/*
 * Follows a background job (results computation, certificate batch) until it ends, then loads
 * the page again (progressive enhancement: without JavaScript the page offers a refresh).
 *
 * Configured entirely by data- attributes on the page:
 *   data-progress-url="…"       on the block: the JSON endpoint to poll; polled only while the
 *                               block also says data-finished="false". The endpoint answers
 *                               {"percent": 0-100, "finished": true|false, …other fields}.
 *   data-bar                    inside it: its width follows the percentage; the element with
 *                               role="progressbar" around it gets aria-valuenow set to the field
 *                               it names in data-progress-value (the percentage by default).
 *   data-progress-show="…"      inside it: its text becomes this template, each {field} replaced
 *                               by that field of the answer ({percent} is the clamped integer);
 *                               left as it is while the answer lacks a field the template names.
 * When the answer says finished, the page is loaded again by a GET of its own address: reload()
 * would send again the form this page may answer.
 */
(function () {
  "use strict";

  var POLL_MS = 1500;
  var RETRY_MS = 5000;

  function fill(template, data) {
    var missing = false;
    var text = template.replace(/\{(\w+)\}/g, function (_, name) {
      var value = data[name];
      if (value === undefined || value === null) {
        missing = true;
        return "";
      }
      return String(value);
    });
    return missing ? null : text;
  }

  function show(block, data) {
    var bar = block.querySelector("[data-bar]");
    if (bar) {
      bar.style.width = data.percent + "%";
      var meter = bar.closest("[role=progressbar]");
      if (meter) {
        var value = data[meter.getAttribute("data-progress-value") || "percent"];
        if (value !== undefined && value !== null) {
          meter.setAttribute("aria-valuenow", String(value));
        }
      }
    }
    block.querySelectorAll("[data-progress-show]").forEach(function (element) {
      var text = fill(element.getAttribute("data-progress-show"), data);
      if (text !== null) {
        element.textContent = text;
      }
    });
  }

  function follow(block) {
    var url = block.getAttribute("data-progress-url");

    function poll() {
      window
        .fetch(url, {
          credentials: "same-origin",
          cache: "no-store",
          headers: { Accept: "application/json" },
        })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("HTTP " + response.status);
          }
          return response.json();
        })
        .then(function (data) {
          data.percent = Math.max(0, Math.min(100, parseInt(data.percent, 10) || 0));
          show(block, data);
          if (data.finished) {
            window.location.replace(window.location.href);
          } else {
            window.setTimeout(poll, POLL_MS);
          }
        })
        .catch(function () {
          window.setTimeout(poll, RETRY_MS);
        });
    }

    window.setTimeout(poll, POLL_MS);
  }

  document.querySelectorAll("[data-progress-url]").forEach(function (block) {
    if (block.getAttribute("data-finished") === "false") {
      follow(block);
    }
  });
})();
