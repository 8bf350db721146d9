/* Page behaviour that used to sit in inline handlers (onclick=, onchange=, href="javascript:"), which the
   Content-Security-Policy (script-src 'self') forbids. Everything is driven by data attributes, with
   delegated listeners, so content that htmx swaps in works without re-binding. */
(function () {
  "use strict";

  // <select data-autosubmit>: submit its form on change (the language switcher).
  document.addEventListener("change", function (e) {
    var el = e.target;
    if (el && el.matches && el.matches("[data-autosubmit]") && el.form) { el.form.submit(); }
  });

  document.addEventListener("click", function (e) {
    var el = e.target && e.target.closest ? e.target.closest("[data-history-back], [data-copy-to]") : null;
    if (!el) { return; }
    // <a href="/" data-history-back>: go back when there is somewhere to go back to, else follow the link.
    if (el.hasAttribute("data-history-back")) {
      if (window.history.length > 1) { e.preventDefault(); window.history.back(); }
      return;
    }
    // <button data-copy-to="id" data-copy-from="id">: copy the text of one element into a form field.
    var target = document.getElementById(el.getAttribute("data-copy-to"));
    var source = document.getElementById(el.getAttribute("data-copy-from"));
    if (target && source) { target.value = source.innerText; target.focus(); }
  });

  // <form data-confirm="Xóa đợt này?">: ask before submitting (what happens next is in the message).
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (form && form.matches && form.matches("form[data-confirm]") && !window.confirm(form.getAttribute("data-confirm"))) {
      e.preventDefault();
    }
  });

  // <div data-progress="37">: the bar's width, set through the CSSOM (inline style attributes are blocked).
  function progressBars(root) {
    var nodes = root.querySelectorAll ? Array.prototype.slice.call(root.querySelectorAll("[data-progress]")) : [];
    if (root.hasAttribute && root.hasAttribute("data-progress")) { nodes.push(root); }
    nodes.forEach(function (node) {
      var value = Math.max(0, Math.min(100, parseInt(node.getAttribute("data-progress"), 10) || 0));
      node.style.width = value + "%";
    });
  }
  if (window.htmx) {
    window.htmx.onLoad(progressBars);
  } else {
    document.addEventListener("DOMContentLoaded", function () { progressBars(document); });
  }
})();
