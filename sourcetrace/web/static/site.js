// sourcetrace: the only script the pages load. Escape hides the open statement card
// (WCAG 1.4.13) until the pointer or focus moves to another statement.
"use strict";
document.addEventListener("keydown", function (e) {
  if (e.key !== "Escape") return;
  var el = document.activeElement;
  if (el && el.classList.contains("stmt")) el.classList.add("dismissed");
  document.querySelectorAll(".stmt:hover").forEach(function (s) { s.classList.add("dismissed"); });
});
["focusout", "mouseout"].forEach(function (type) {
  document.addEventListener(type, function (e) {
    var s = e.target.closest && e.target.closest(".stmt");
    if (s && !s.contains(e.relatedTarget)) s.classList.remove("dismissed");
  });
});
