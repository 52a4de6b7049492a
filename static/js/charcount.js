/*
 * Live character counters for the application wizard (progressive enhancement).
 *
 * A textarea with data-char-limit gets a counter below it; a block with data-total-counter sums
 * every textarea marked data-counts-toward-total on the page plus data-other-chars (characters
 * saved in other steps) against data-total-limit. Characters are counted as the server counts
 * them: by code point, a line break as one character. The server's limit is authoritative; this
 * only tells the applicant early.
 */
(function () {
  "use strict";

  // Translated sentences come from the page (json_script "charcount-messages"); these are the
  // Chinese source strings, used when the page provides none.
  var messages = {
    over: "超出 %(over)s 个字符（上限 %(limit)s 个字符，当前 %(length)s 个字符）",
    under: "已输入 %(length)s / %(limit)s 个字符，还可输入 %(left)s 个字符",
    total: "自评报告全文：%(text)s",
    item: "本条已输入 %(length)s 个字符"
  };
  var provided = document.getElementById("charcount-messages");
  if (provided) {
    try {
      Object.assign(messages, JSON.parse(provided.textContent));
    } catch (error) {
      /* keep the defaults */
    }
  }

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (match, name) {
      return name in values ? String(values[name]) : match;
    });
  }

  function count(text) {
    return Array.from(text.replace(/\r\n?/g, "\n")).length;
  }

  function describe(length, limit) {
    var values = { length: length, limit: limit, over: length - limit, left: limit - length };
    return format(length > limit ? messages.over : messages.under, values);
  }

  function show(element, length, limit) {
    element.textContent = describe(length, limit);
    element.classList.toggle("is-over", length > limit);
  }

  function attachFieldCounter(textarea) {
    var limit = parseInt(textarea.getAttribute("data-char-limit"), 10);
    if (!limit) {
      return;
    }
    var output = document.createElement("span");
    output.className = "char-count";
    output.setAttribute("aria-live", "polite");
    output.id = textarea.id + "-count";
    textarea.setAttribute("aria-describedby", (textarea.getAttribute("aria-describedby") || "") + " " + output.id);
    textarea.insertAdjacentElement("afterend", output);
    var update = function () { show(output, count(textarea.value), limit); };
    textarea.addEventListener("input", update);
    update();
  }

  function attachTotalCounter(block) {
    var limit = parseInt(block.getAttribute("data-total-limit"), 10);
    var other = parseInt(block.getAttribute("data-other-chars"), 10) || 0;
    var fields = document.querySelectorAll("textarea[data-counts-toward-total]");
    if (!limit || !fields.length) {
      return;
    }
    var output = document.createElement("span");
    output.className = "char-count";
    output.setAttribute("aria-live", "polite");
    block.appendChild(document.createElement("br"));
    block.appendChild(output);
    var update = function () {
      var total = other;
      fields.forEach(function (field) { total += count(field.value); });
      output.textContent = format(messages.total, { text: describe(total, limit) });
      output.classList.toggle("is-over", total > limit);
    };
    fields.forEach(function (field) {
      field.addEventListener("input", update);
      var own = document.createElement("span");
      own.className = "char-count";
      field.insertAdjacentElement("afterend", own);
      var updateOwn = function () {
        own.textContent = format(messages.item, { length: count(field.value) });
      };
      field.addEventListener("input", updateOwn);
      updateOwn();
    });
    update();
  }

  function init() {
    document.querySelectorAll("textarea[data-char-limit]").forEach(attachFieldCounter);
    document.querySelectorAll("[data-total-counter]").forEach(attachTotalCounter);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
