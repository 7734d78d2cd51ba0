/* Facilitator screen, actions and follow-up: the forms work without script; this keeps the list
   of actions and the room's suggestions current by taking the server's freshly drawn list
   (server HTML, escaped there) whenever the state's actions or suggestions change. Forms being
   typed in are never touched. */
(function () {
  "use strict";

  var D = window.PlanverkstedDesk;
  if (!D) return;
  var first = true;

  function redraw() {
    if (first) { first = false; return; } // the page was drawn with this state
    fetch(window.location.pathname, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("followup-live");
        var current = document.getElementById("followup-live");
        if (fresh && current) current.replaceWith(document.importNode(fresh, true));
      })
      .catch(function () { /* offline: the next snapshot redraws */ });
  }

  D.register("followup", redraw);
})();
