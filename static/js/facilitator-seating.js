/* Facilitator screen, table mode: the seating list follows joins and moves (from a phone or
   another facilitator tab) by taking the server's freshly drawn list. */
(function () {
  "use strict";

  var D = window.PlanverkstedDesk;
  if (!D || !document.getElementById("seating-live")) return;
  var first = true;

  D.register("seating", function () {
    if (first) { first = false; return; } // the page was drawn with this state
    D.redrawSection("seating-live");
  });
})();
