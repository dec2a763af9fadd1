// Keyboard shortcuts for the queue, the report, the incident list and the incident page.
// Plain script, no library. Queue and incident list: j / k next / previous row, Enter or o
// open, c claim. Report: j (or n) / k next / previous report, c claim, v verify, r reject,
// d duplicate, a ask, q back to the queue. Incident: e edit, p publish, w withdraw, m merge,
// q back to the incidents. Everywhere: Ctrl+Enter submits the form being filled in. ? shows
// the keys and a switch that turns the single-key shortcuts off.
(function () {
  "use strict";
  function typing(event) {
    var t = event.target;
    if (!t) return false;
    if (t.tagName === "INPUT") return !/^(checkbox|radio|button|submit|reset)$/.test(t.type);
    return t.isContentEditable || /^(TEXTAREA|SELECT)$/.test(t.tagName);
  }
  function rows() { return Array.prototype.slice.call(document.querySelectorAll("#queue-table tbody tr")); }
  var selected = -1;
  function select(index) {
    var all = rows();
    if (!all.length) return;
    selected = Math.max(0, Math.min(all.length - 1, index));
    all.forEach(function (row, i) { row.classList.toggle("selected", i === selected); });
    var link = all[selected].querySelector("a");
    if (link) link.focus({ preventScroll: false });
  }
  function focusForm(id) {
    var form = document.getElementById(id);
    if (!form) return false;
    form.scrollIntoView({ block: "center" });
    var field = form.querySelector("select, textarea, input:not([type=hidden])");
    if (field) field.focus();
    return true;
  }
  function go(id) { var link = document.getElementById(id); if (link) { window.location.href = link.href; } }
  // WCAG 2.1.4: single-key shortcuts can be turned off; the choice is kept in this browser.
  function shortcutsOn() {
    try { return window.localStorage.getItem("harmwatch-shortcuts") !== "off"; } catch (e) { return true; }
  }
  function setShortcuts(on) {
    try { window.localStorage.setItem("harmwatch-shortcuts", on ? "on" : "off"); } catch (e) { /* private mode */ }
  }
  function closeHelp() {
    var box = document.getElementById("shortcuts-help");
    if (box) { box.remove(); return true; }
    return false;
  }
  function help() {
    if (closeHelp()) return;
    var data = document.body.dataset;
    var box = document.createElement("div");
    box.id = "shortcuts-help";
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-label", data.shortcutsTitle || "Keyboard shortcuts");
    var text = document.createElement("p");
    text.textContent = shortcutsOn() ? (data.shortcuts || "?") : (data.shortcutsDisabled || "");
    box.appendChild(text);
    var toggle = document.createElement("button");
    toggle.type = "button";
    toggle.id = "shortcuts-toggle";
    toggle.className = "secondary";
    toggle.textContent = shortcutsOn() ? data.shortcutsOff : data.shortcutsOn;
    toggle.addEventListener("click", function () { setShortcuts(!shortcutsOn()); closeHelp(); help(); });
    box.appendChild(toggle);
    document.body.appendChild(box);
    toggle.focus();
  }
  // Ctrl+Enter (or Cmd+Enter) submits the form being filled in, through its own checks and
  // confirmation (requestSubmit), from any field: a key with a modifier, kept when the
  // single-key shortcuts are off.
  function submitCurrent(event) {
    var form = event.target && event.target.closest ? event.target.closest("form") : null;
    if (!form || !form.querySelector("[type=submit]")) return false;
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
    return true;
  }
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && closeHelp()) { event.preventDefault(); return; }
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && !event.altKey) {
      if (submitCurrent(event)) event.preventDefault();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event)) return;
    var queue = document.getElementById("queue-table") || document.getElementById("incidents-table");
    var key = event.key;
    if (key === "?") { help(); event.preventDefault(); return; }
    if (!shortcutsOn()) return;
    if (queue) {
      if (key === "j") { select(selected + 1); event.preventDefault(); }
      else if (key === "k") { select(selected - 1); event.preventDefault(); }
      else if ((key === "Enter" || key === "o") && selected >= 0) { window.location.href = rows()[selected].dataset.href; event.preventDefault(); }
      else if (key === "c" && selected >= 0) {
        var form = rows()[selected].querySelector("form.claim");
        if (form) { form.submit(); event.preventDefault(); }
      }
      return;
    }
    if (document.body.classList.contains("report")) {
      if (key === "j" || key === "n") { go("next-report"); }
      else if (key === "k") { go("previous-report"); }
      else if (key === "c") { var claim = document.getElementById("claim-form"); if (claim) claim.submit(); }
      else if (key === "v") { if (focusForm("verify-form")) event.preventDefault(); }
      else if (key === "r") { if (focusForm("reject-form")) event.preventDefault(); }
      else if (key === "d") { if (focusForm("duplicate-form")) event.preventDefault(); }
      else if (key === "a") { if (focusForm("ask-form")) event.preventDefault(); }
      else if (key === "q") { go("queue-link"); }
    }
    else if (document.body.classList.contains("incident")) {
      if (key === "e") { if (focusForm("incident-form")) event.preventDefault(); }
      else if (key === "p") { var publish = document.getElementById("publish-button"); if (publish) { publish.focus(); event.preventDefault(); } }
      else if (key === "w") { if (focusForm("withdraw-form")) event.preventDefault(); }
      else if (key === "m") { if (focusForm("merge-form")) event.preventDefault(); }
      else if (key === "q") { go("incidents-link"); }
    }
  });
  // Destructive or public actions say what will happen and wait for a yes (data-confirm).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var text = form && form.dataset ? form.dataset.confirm : null;
    if (!text) return;
    var select = form.querySelector("select[name=reason]");
    if (select && select.selectedIndex > 0) text += "\n\n" + select.options[select.selectedIndex].text;
    if (!window.confirm(text)) event.preventDefault();
  }, true);
  // The claim's remaining time: a warning five minutes before it ends, and renewal in the
  // background (the same POST as the button), so nothing typed in the forms is lost.
  var WARN_SECONDS = 300;
  function claimTimer() {
    var timer = document.getElementById("claim-timer"), renew = document.getElementById("renew-form");
    if (!timer || !renew) return;
    var ends = Date.now() + 1000 * parseInt(timer.dataset.seconds || "0", 10);
    function tick() {
      var left = Math.round((ends - Date.now()) / 1000);
      if (left <= 0) { timer.textContent = timer.dataset.expired; timer.classList.add("warning"); }
      else if (left <= WARN_SECONDS) {
        timer.textContent = timer.dataset.warning;
        timer.classList.add("warning");
      }
    }
    renew.addEventListener("submit", function (event) {
      event.preventDefault();
      fetch(renew.action, { method: "POST", body: new FormData(renew), credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) { renew.submit(); return; }
          ends = Date.now() + 1000 * parseInt(timer.dataset.ttl, 10);
          timer.textContent = timer.dataset.renewed;
          timer.classList.remove("warning");
        })
        .catch(function () { renew.submit(); });
    });
    tick();
    window.setInterval(tick, 15000);
  }
  // The question to the reporter, shown as it will reach them, inside the bot's message.
  function questionPreview() {
    var field = document.querySelector("#ask-form textarea[name=question]");
    var shown = document.getElementById("ask-preview-question");
    if (!field || !shown) return;
    field.addEventListener("input", function () { shown.textContent = field.value || shown.dataset.empty; });
  }
  document.addEventListener("DOMContentLoaded", function () {
    claimTimer();
    questionPreview();
    if (document.getElementById("queue-table")) select(0);
  });
}());
