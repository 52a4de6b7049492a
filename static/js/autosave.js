/*
 * Background save of a form (progressive enhancement; the page works without it). Used by the
 * application wizard's steps and the reviewers' scorecard item pages and whole sheet.
 *
 * A form with data-autosave-url is posted there (as FormData, with its CSRF token; buttons are
 * not part of it) about two seconds (data-autosave-delay, ms) after the last change. The endpoint
 * answers JSON: {ok, version, saved_at} or {ok: false, error}. The new version goes into the
 * [data-autosave-version] input, and an answer's "fields" (hidden input name -> value, also in a
 * refusal: the sheet's rows saved beside a refused one) into those inputs, so the buttons keep
 * working; the form fires "autosave:saved" with the answer as its detail for the page's own
 * script. Until a save succeeds, the values typed since the last save (only those, so that a
 * restore never puts back what another tab changed in between) are kept in localStorage under
 * "autosave:" + data-autosave-key; on load a kept draft that differs from the page is offered
 * back, unless it is older than data-saved-at (seconds; a page without it offers every such
 * draft and lets the user discard).
 * Leaving the page with unsaved input warns (beforeunload); in-portal links and the logout form
 * save first and then go on. The texts come from a JSON script #autosave-messages.
 */
(function () {
  "use strict";

  var form = document.querySelector("form[data-autosave-url]");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var messages = {
    saving: "正在保存……",
    saved: "已保存 %(time)s",
    failed: "自动保存失败，请检查网络后点击“保存”。",
    session: "登录已失效，本次输入尚未保存；内容已暂存在本浏览器中，请重新登录后保存。",
    leave: "有尚未保存的内容，确定离开本页吗？",
    restore: "本浏览器中暂存有您在 %(time)s 输入但尚未保存的内容。",
    restore_button: "恢复这些内容",
    discard_button: "放弃"
  };
  var provided = document.getElementById("autosave-messages");
  if (provided) {
    try {
      Object.assign(messages, JSON.parse(provided.textContent));
    } catch (error) {
      /* keep the defaults */
    }
  }
  var DELAY = parseInt(form.getAttribute("data-autosave-delay") || "2000", 10);
  var storageKey = "autosave:" + form.getAttribute("data-autosave-key");
  var savedAt = parseInt(form.getAttribute("data-saved-at") || "0", 10) * 1000;
  var status = form.querySelector("[data-autosave-status]");
  var versionInput = form.querySelector("[data-autosave-version]");
  var timer = null;
  var dirty = false;
  var inFlight = null;
  var changedWhileSaving = false;
  var submitting = false;
  // What the server holds, as far as this page knows: what it was built with, then each save.
  var baseline = values();

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (match, name) {
      return name in values ? String(values[name]) : match;
    });
  }

  function say(text, isError) {
    if (!status) {
      return;
    }
    status.textContent = text;
    status.classList.toggle("autosave-error", Boolean(isError));
  }

  function fields() {
    return Array.prototype.filter.call(form.elements, function (field) {
      return (
        field.name &&
        !field.disabled &&
        ["hidden", "file", "submit", "button", "reset"].indexOf(field.type) === -1 &&
        field.tagName !== "BUTTON"
      );
    });
  }

  function values() {
    var result = {};
    fields().forEach(function (field) {
      if (field.type === "checkbox" || field.type === "radio") {
        if (field.checked) {
          (result[field.name] = result[field.name] || []).push(field.value);
        } else if (!(field.name in result)) {
          result[field.name] = [];
        }
      } else {
        result[field.name] = [field.value];
      }
    });
    return result;
  }

  function apply(stored) {
    fields().forEach(function (field) {
      var kept = stored[field.name];
      if (!kept) {
        return;
      }
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = kept.indexOf(field.value) !== -1;
      } else {
        field.value = kept[0] || "";
      }
      field.dispatchEvent(new Event("input", { bubbles: true }));
    });
  }

  function unsaved() {
    var now = values();
    var changes = {};
    Object.keys(now).forEach(function (name) {
      if (JSON.stringify(now[name]) !== JSON.stringify(baseline[name])) {
        changes[name] = now[name];
      }
    });
    return changes;
  }

  function keep() {
    var changes = unsaved();
    if (Object.keys(changes).length === 0) {
      forget();
      return;
    }
    try {
      window.localStorage.setItem(
        storageKey,
        JSON.stringify({ typedAt: Date.now(), values: changes })
      );
    } catch (error) {
      /* storage full or disabled: the page still holds the text */
    }
  }

  function forget() {
    try {
      window.localStorage.removeItem(storageKey);
    } catch (error) {
      /* nothing kept */
    }
  }

  function kept() {
    try {
      return JSON.parse(window.localStorage.getItem(storageKey) || "null");
    } catch (error) {
      return null;
    }
  }

  function setFields(answer) {
    var given = answer.fields || {};
    Object.keys(given).forEach(function (name) {
      var field = form.elements.namedItem(name);
      if (field && field.type === "hidden") {
        field.value = String(given[name]);
      }
    });
  }

  function save() {
    window.clearTimeout(timer);
    timer = null;
    if (inFlight) {
      changedWhileSaving = true;
      return inFlight;
    }
    if (!dirty) {
      return Promise.resolve(true);
    }
    changedWhileSaving = false;
    say(messages.saving, false);
    var body = new FormData(form);
    var sent = values();
    inFlight = window
      .fetch(form.getAttribute("data-autosave-url"), {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-Requested-With": "XMLHttpRequest", Accept: "application/json" },
        redirect: "manual"
      })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        var read = type.indexOf("application/json") === 0 ? response.json() : Promise.resolve({});
        return read.then(function (answer) {
          setFields(answer);
          if (response.ok && answer.ok) {
            if (versionInput && answer.version !== undefined) {
              versionInput.value = String(answer.version);
            }
            baseline = sent;
            if (changedWhileSaving) {
              keep();
            } else {
              dirty = false;
              forget();
            }
            say(format(messages.saved, { time: answer.saved_at }), false);
            form.dispatchEvent(new CustomEvent("autosave:saved", { detail: answer, bubbles: true }));
            return true;
          }
          if (response.status === 401 || response.status === 403 || response.type === "opaqueredirect") {
            keep();
            say(answer.error || messages.session, true);
          } else {
            say(answer.error || messages.failed, true);
          }
          return false;
        });
      })
      .catch(function () {
        keep();
        say(messages.failed, true);
        return false;
      })
      .then(function (ok) {
        inFlight = null;
        if (ok && changedWhileSaving) {
          schedule();
        }
        return ok;
      });
    return inFlight;
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, DELAY);
  }

  function changed(event) {
    var field = event.target;
    if (!field.name || field.type === "file") {
      return;
    }
    dirty = true;
    if (inFlight) {
      changedWhileSaving = true;
    }
    keep();
    schedule();
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function (event) {
    window.clearTimeout(timer);
    if (inFlight) {
      // A background save is under way: let it finish (it moves the version on), then send the
      // button's post with the new version, or it would be refused as coming from a stale tab.
      event.preventDefault();
      var submitter = event.submitter;
      inFlight.then(function () {
        window.clearTimeout(timer);
        if (form.requestSubmit) {
          form.requestSubmit(submitter || undefined);
        } else {
          submitting = true;
          form.submit();
        }
      });
      return;
    }
    submitting = true;
  });

  window.addEventListener("beforeunload", function (event) {
    if (submitting || !(dirty || inFlight)) {
      return undefined;
    }
    event.preventDefault();
    event.returnValue = messages.leave;
    return messages.leave;
  });

  function saveThen(go) {
    save().then(function (ok) {
      if (ok || window.confirm(messages.leave)) {
        submitting = true;
        go();
      }
    });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[href]") : null;
    if (!link || !(dirty || inFlight) || form.contains(link) && link.hasAttribute("download")) {
      return;
    }
    if (link.target === "_blank" || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    var url = new URL(link.href, window.location.href);
    if (url.origin !== window.location.origin || url.hash && url.pathname === window.location.pathname) {
      return;
    }
    event.preventDefault();
    saveThen(function () {
      window.location.assign(url.href);
    });
  });

  Array.prototype.forEach.call(document.querySelectorAll("form.logout-form"), function (logout) {
    logout.addEventListener("submit", function (event) {
      if (!(dirty || inFlight)) {
        return;
      }
      event.preventDefault();
      saveThen(function () {
        logout.submit();
      });
    });
  });

  // A draft kept in this browser that the server has not got: offer it back.
  var stored = kept();
  if (stored && stored.values && stored.typedAt > savedAt) {
    var current = JSON.stringify(values());
    var differs = Object.keys(stored.values).some(function (name) {
      return JSON.stringify(stored.values[name]) !== JSON.stringify(JSON.parse(current)[name]);
    });
    if (differs) {
      var bar = document.createElement("div");
      bar.className = "autosave-restore";
      bar.setAttribute("data-autosave-restore", "");
      var text = document.createElement("p");
      text.textContent = format(messages.restore, {
        time: new Date(stored.typedAt).toLocaleTimeString("zh-CN", { hour12: false })
      });
      var restore = document.createElement("button");
      restore.type = "button";
      restore.className = "button primary";
      restore.textContent = messages.restore_button;
      var discard = document.createElement("button");
      discard.type = "button";
      discard.className = "button button-secondary";
      discard.textContent = messages.discard_button;
      restore.addEventListener("click", function () {
        apply(stored.values);
        bar.remove();
        dirty = true;
        save();
      });
      discard.addEventListener("click", function () {
        forget();
        bar.remove();
      });
      bar.append(text, restore, discard);
      form.insertBefore(bar, form.firstChild);
    } else {
      forget();
    }
  } else if (stored) {
    forget();
  }
})();
