/* Facilitator screen, actions and follow-up: the forms work without script; this keeps the list
   of actions and the room's suggestions current by taking the server's freshly drawn list
   whenever the state's actions or suggestions change. Forms being typed in are never touched. */
(function () {
  "use strict";

  var D = window.PlanverkstedDesk;
  if (!D) return;
  var first = true;

  D.register("followup", function () {
    if (first) { first = false; return; } // the page was drawn with this state
    D.redrawSection("followup-live");
  });
})();
