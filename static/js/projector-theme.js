/* Runs in <head> before the first paint: the projector's theme as chosen last time (dark by
   default, the better choice in a dim hall). projector.js owns the toggle button. */
(function () {
  "use strict";
  var theme = "dark";
  try {
    if (window.localStorage.getItem("planverksted-projector-theme") === "light") theme = "light";
  } catch (e) { /* storage blocked: stay dark */ }
  document.documentElement.setAttribute("data-theme", theme);
})();
