/* Rating (1–5 per criterion) and agree / disagree / pass on the phone. Each change is saved
   at once with PUT to the JSON API; the saved state is announced in #announcer. Without this
   script the plain forms post to /j/<code>/ratings and /j/<code>/stances. Text goes into the
   page with textContent only. */
(function () {
  "use strict";
  var P = window.Planverksted;
  if (!P) return;
  var code = document.body.getAttribute("data-code");
  if (!code) return;
  var base = "/api/v1/workshops/" + code;
  var announcer = document.getElementById("announcer");
  var timer = null;
  var inFlight = false;
  var again = false;
  var waitingForNetwork = false;

  function announce(message) {
    if (!announcer || !message) return;
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = message; }, 50);
  }

  function showState(message) {
    var node = document.getElementById("prioritise-state");
    if (node) node.textContent = message || "";
  }

  function currentForm() {
    return document.querySelector("form.prioritise-form");
  }

  function checkedIn(fieldset) {
    return fieldset.querySelector("input[type=radio]:checked");
  }

  function ratingsOf(form) {
    var ratings = {};
    Array.prototype.forEach.call(form.querySelectorAll("fieldset.scale"), function (fieldset) {
      var checked = checkedIn(fieldset);
      if (!checked) return;
      var id = fieldset.getAttribute("data-proposal");
      ratings[id] = ratings[id] || {};
      ratings[id][fieldset.getAttribute("data-criterion")] = parseInt(checked.value, 10);
    });
    return ratings;
  }

  function stancesOf(form) {
    var stances = {};
    Array.prototype.forEach.call(form.querySelectorAll("fieldset.stance"), function (fieldset) {
      var checked = checkedIn(fieldset);
      if (checked) stances[fieldset.getAttribute("data-proposal")] = checked.value;
    });
    return stances;
  }

  function bodyOf(form) {
    return form.getAttribute("data-api") === "ratings"
      ? { ratings: ratingsOf(form) }
      : { stances: stancesOf(form) };
  }

  function save() {
    var form = currentForm();
    if (!form) return;
    if (inFlight) { again = true; return; }
    inFlight = true;
    showState(form.getAttribute("data-saving"));
    var url = base + "/" + form.getAttribute("data-api");
    P.api("PUT", url, bodyOf(form), "participant").then(function (result) {
      inFlight = false;
      if (again) { again = false; save(); return; }
      if (result.ok) {
        var saved = form.getAttribute("data-saved");
        showState(saved);
        announce(saved);
        return;
      }
      var message = (result.data && result.data.error && result.data.error.message) ||
        form.getAttribute("data-error");
      showState(message);
      announce(message);
    }).catch(function () {
      inFlight = false;
      again = false;
      waitingForNetwork = true;
      var offline = form.getAttribute("data-offline");
      showState(offline);
      announce(offline);
    });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { timer = null; save(); }, 300);
  }

  /* participant.js waits with redrawing the step while an answer is on its way. */
  P.prioritiseBusy = function () { return inFlight || timer !== null; };

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!target || !target.closest || !target.closest("form.prioritise-form")) return;
    schedule();
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form || !form.classList || !form.classList.contains("prioritise-form")) return;
    event.preventDefault();
    window.clearTimeout(timer);
    timer = null;
    save();
  });

  window.addEventListener("online", function () {
    if (waitingForNetwork) { waitingForNetwork = false; save(); }
  });
})();
