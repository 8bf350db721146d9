/* Date boxes: every `input.vn-date` (core.fields.VNDateInput) gets the vendored flatpickr calendar in
   Vietnamese, dd/mm/yyyy whatever the browser's language. Typing stays possible (allowInput): "15/05/2017",
   "1/5/2017" and "2017-05-15" are all read, and shown back as dd/mm/yyyy. A value the picker cannot read is
   left as typed so the server answers with its Vietnamese message instead of the box silently emptying.
   Runs on page load and on every htmx swap (htmx:load), never twice on one box. No inline script: CSP-safe. */
(function () {
  "use strict";

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function validDate(y, m, d) {
    var date = new Date(y, m - 1, d);
    if (date.getFullYear() !== y || date.getMonth() !== m - 1 || date.getDate() !== d) { return undefined; }
    return date;
  }

  // dd/mm/yyyy (also d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy) or ISO yyyy-mm-dd; anything else: undefined.
  function parseVnDate(text) {
    var s = String(text || "").trim();
    var m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
    if (m) { return validDate(+m[3], +m[2], +m[1]); }
    m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
    if (m) { return validDate(+m[1], +m[2], +m[3]); }
    return undefined;
  }

  function formatVnDate(date) {
    return pad(date.getDate()) + "/" + pad(date.getMonth() + 1) + "/" + date.getFullYear();
  }

  function attach(input) {
    if (input._flatpickr || typeof flatpickr === "undefined") { return; }
    var locale = (flatpickr.l10ns && flatpickr.l10ns.vn) || "default";
    var picker = flatpickr(input, {
      locale: locale,
      dateFormat: "d/m/Y",
      allowInput: true,
      disableMobile: true,  // never the phone's native date input (its format follows the phone's language)
      clickOpens: true,
      parseDate: function (text) { return parseVnDate(text); },
      formatDate: function (date) { return formatVnDate(date); },
      errorHandler: function () {},
    });
    // flatpickr empties a box whose text it cannot read; keep the text for the server's message instead.
    var setDate = picker.setDate;
    picker.setDate = function (value, triggerChange, format) {
      var typed = input.value;
      setDate.call(picker, value, triggerChange, format);
      if (typeof value === "string" && value.trim() && !picker.selectedDates.length) { input.value = typed; }
    };
    // Typing means the calendar is not wanted: close it so it does not cover the fields below.
    input.addEventListener("input", function () { if (picker.isOpen) { picker.close(); } });
  }

  function attachAll(root) {
    var scope = root && root.querySelectorAll ? root : document;
    if (scope.matches && scope.matches("input.vn-date")) { attach(scope); }
    Array.prototype.forEach.call(scope.querySelectorAll("input.vn-date"), attach);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { attachAll(document); });
  } else {
    attachAll(document);
  }
  document.addEventListener("htmx:load", function (event) { attachAll(event.target); });
})();
