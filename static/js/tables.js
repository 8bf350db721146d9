/* Wide tables scroll inside their own box (.table-responsive; the first column stays put, see app.css).
   A box that really scrolls is made reachable by keyboard (tabindex=0, so arrow keys scroll it) and named for
   screen readers after its table's caption or the heading above it. Boxes that fit lose the tab stop again,
   after a resize or an htmx swap. */
(function () {
  "use strict";

  function nameOf(box) {
    var caption = box.querySelector("caption");
    if (caption && caption.textContent.trim()) { return caption.textContent.trim(); }
    var node = box.previousElementSibling;
    for (var i = 0; node && i < 3; i++, node = node.previousElementSibling) {
      if (/^H[1-6]$/.test(node.tagName) || node.classList.contains("card-header")) {
        return node.textContent.replace(/\s+/g, " ").trim();
      }
    }
    var card = box.closest(".card");
    var header = card ? card.querySelector(".card-header, h2, h3") : null;
    if (header && header.textContent.trim()) { return header.textContent.replace(/\s+/g, " ").trim(); }
    var h1 = document.querySelector("main h1");
    return "Bảng" + (h1 ? " — " + h1.textContent.replace(/\s+/g, " ").trim() : "");
  }

  function mark(root) {
    var scope = root && root.querySelectorAll ? root : document;
    var boxes = Array.prototype.slice.call(scope.querySelectorAll(".table-responsive"));
    if (scope.classList && scope.classList.contains("table-responsive")) { boxes.push(scope); }
    boxes.forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("data-kc-scroll", "");
        if (!box.hasAttribute("aria-label")) { box.setAttribute("aria-label", nameOf(box)); }
      } else if (!scrolls && box.hasAttribute("data-kc-scroll")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("data-kc-scroll");
      }
    });
  }

  var pending = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(function () { mark(document); }, 150);
  });
  if (window.htmx) {
    window.htmx.onLoad(mark);
  } else {
    document.addEventListener("DOMContentLoaded", function () { mark(document); });
  }
})();
