/* Facilitator screen, paper in the room: dots counted on paper for the dot-voting step that
   counts now (during or after it), one number per visible proposal, stored apart from the
   phones' dots (PUT paper-dots). Proposals from sticky notes use the form in facilitator.js. */
(function () {
  "use strict";

  var D = window.PlanverkstedDesk;
  if (!D) return;
  var P = D.P, S = D.S, $ = D.$, t = D.t, state = D.state;
  var ui = { open: false, dirty: false, step: null, signature: null };

  /* The latest vote step reached, if it is counted in dots. */
  function paperStep() {
    var snapshot = state.snapshot;
    var found = null;
    (snapshot.steps || []).forEach(function (s) {
      if (s.kind === "vote" && s.position <= snapshot.step.position) found = s;
    });
    return found && (found.mode || "dots") === "dots" ? found : null;
  }

  function load(step) {
    D.call("GET", "/paper-dots?step_position=" + step.position, undefined, { quiet: true }).then(function (response) {
      if (response.ok) D.applyPaper(response.data);
    });
  }

  function visible() {
    return state.snapshot.proposals.filter(function (p) { return p.status === "visible"; })
      .sort(function (a, b) { return a.id - b.id; });
  }

  function renderForm(step) {
    var list = $("paper-dots-list");
    var items = visible();
    var dots = (state.paper && state.paper.step_position === step.position && state.paper.dots) || {};
    var signature = JSON.stringify([step.id, items.map(function (p) { return [p.id, p.title]; }), dots]);
    if (ui.dirty || signature === ui.signature) return;
    ui.signature = signature;
    D.keepFocus(list.parentNode, function () {
      list.textContent = "";
      items.forEach(function (p) {
        var id = "paper-dots-" + p.id;
        var input = P.el("input", {
          type: "number", id: id, name: String(p.id), min: "0", max: "100000", step: "1",
          inputmode: "numeric", value: String(dots[String(p.id)] || 0), "data-focus": id
        });
        list.appendChild(P.el("li", {}, [P.el("label", { for: id, text: p.title }), input]));
      });
    });
  }

  function render() {
    var card = $("paper-dots");
    var step = paperStep();
    card.hidden = !step;
    if (!step) { ui.step = null; return; }
    if (!ui.step || ui.step.id !== step.id) {
      ui.step = step;
      ui.dirty = false;
      ui.signature = null;
      if (!state.paper || state.paper.step_position !== step.position) {
        state.paper = null;
        load(step);
      }
    }
    var total = state.paper && state.paper.step_position === step.position ? state.paper.total : 0;
    D.setText("paper-dots-summary", t("paper_for", { title: step.title, total: total }));
    $("paper-dots-toggle").setAttribute("aria-expanded", ui.open ? "true" : "false");
    $("paper-dots-form").hidden = !ui.open;
    if (ui.open) renderForm(step);
  }
  D.register("paper", render);
  D.onSnapshot(function () {
    var step = paperStep();
    if (step) load(step);
  });

  document.addEventListener("click", function (event) {
    var target = event.target.closest("button");
    if (!target || target.id !== "paper-dots-toggle" || !state.snapshot) return;
    ui.open = !ui.open;
    ui.signature = null;
    render();
    if (ui.open) {
      var first = $("paper-dots-list").querySelector("input");
      if (first) first.focus();
    }
  });

  document.addEventListener("input", function (event) {
    if (event.target.closest && event.target.closest("#paper-dots-list")) ui.dirty = true;
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.id !== "paper-dots-form") return;
    event.preventDefault();
    var step = paperStep();
    if (!step) return;
    var dots = {};
    var bad = null;
    Array.prototype.forEach.call(form.querySelectorAll("input[type=number]"), function (input) {
      var raw = input.value.trim();
      var n = raw === "" ? 0 : Number(raw);
      if (!Number.isInteger(n) || n < 0) { bad = bad || input; return; }
      dots[input.name] = n;
    });
    if (bad) { D.say(S.paper_invalid, true); bad.focus(); return; }
    D.call("PUT", "/paper-dots", { step_position: step.position, dots: dots }, { busy: form }).then(function (response) {
      if (!response.ok) return;
      ui.dirty = false;
      ui.signature = null;
      D.applyPaper(response.data);
      D.say(t("paper_saved", { total: response.data.total }));
    });
  });
})();
