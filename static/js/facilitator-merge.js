/* Facilitator screen, merging: proposals chosen with their checkboxes are merged into the one
   the facilitator keeps; "Similar proposals" suggests groups (GET similar, refreshed on demand
   and, throttled, when proposals change); the list of merges offers Undo. */
(function () {
  "use strict";

  var D = window.PlanverkstedDesk;
  if (!D) return;
  var P = D.P, S = D.S, $ = D.$, t = D.t, state = D.state;
  var ui = { open: false, survivor: null, loading: false, due: null, lastLoad: 0 };
  var THROTTLE_MS = 4000;
  $("merge-hint").setAttribute("data-text", $("merge-hint").textContent);

  function titleOf(id) {
    var p = D.proposalById(id);
    return p ? p.title : t("proposal_n", { id: id });
  }

  /* ---- the selection -------------------------------------------------- */

  function renderSelection() {
    var box = $("merge-selection");
    var chosen = state.selected.filter(function (id) {
      var p = D.proposalById(id);
      return p && p.status !== "merged";
    });
    state.selected = chosen;
    box.hidden = chosen.length === 0;
    if (!chosen.length) { ui.survivor = null; return; }
    if (chosen.indexOf(ui.survivor) === -1) ui.survivor = chosen[0];
    var list = $("survivor-list");
    D.keepFocus(box, function () {
      list.textContent = "";
      chosen.forEach(function (id) {
        var input = P.el("input", {
          type: "radio", name: "survivor", id: "survivor-" + id, value: String(id),
          "data-focus": "survivor-" + id
        });
        input.checked = id === ui.survivor;
        list.appendChild(P.el("li", {}, [
          input,
          P.el("label", { for: "survivor-" + id, text: t("keep", { title: titleOf(id) }) })
        ]));
      });
    });
    D.setText("merge-hint", chosen.length < 2 ? S.selected_one : $("merge-hint").getAttribute("data-text"));
    var submit = $("merge-submit");
    D.setText(submit, t("merge_n", { n: chosen.length }));
    submit.disabled = chosen.length < 2;
  }

  function merge(survivor, ids, trigger) {
    var merged = ids.filter(function (id) { return id !== survivor; });
    return D.call("POST", "/merges", { survivor_id: survivor, merged_ids: merged }, { busy: trigger }).then(function (response) {
      if (!response.ok) return response;
      D.upsertProposal(response.data.survivor);
      merged.forEach(function (id) {
        var p = D.proposalById(id);
        if (p) { p.status = "merged"; p.merged_into_id = survivor; }
      });
      state.selected = state.selected.filter(function (id) { return ids.indexOf(id) === -1; });
      ui.survivor = null;
      D.say(t("merged_msg", { title: response.data.survivor.title }));
      D.refresh(["proposals", "merge", "paper"]);
      loadMerges();
      schedule(true);
      return response;
    });
  }

  /* ---- similar proposals ---------------------------------------------- */

  function schedule(now) {
    if (!ui.open) return;
    var wait = now ? 0 : Math.max(0, ui.lastLoad + THROTTLE_MS - Date.now());
    if (ui.due) return;
    ui.due = window.setTimeout(function () { ui.due = null; loadSimilar(); }, wait);
  }

  function loadSimilar() {
    if (ui.loading) { schedule(); return; }
    ui.loading = true;
    ui.lastLoad = Date.now();
    $("similar-list").setAttribute("aria-busy", "true");
    D.call("GET", "/similar?threshold=" + encodeURIComponent($("similar-threshold").value || "70"), undefined, { quiet: true }).then(function (response) {
      ui.loading = false;
      $("similar-list").setAttribute("aria-busy", "false");
      if (response.ok) { state.similar = response.data; renderSimilar(); }
      /* 503 busy: the server's own words (in the user's language) on the status line. */
      else if (response.status === 503) D.say(D.errorText(response), true);
    });
  }

  function renderSimilar() {
    var list = $("similar-list");
    var groups = ((state.similar && state.similar.groups) || []).filter(function (group) {
      return group.ids.filter(function (id) {
        var p = D.proposalById(id);
        return p && p.status !== "merged";
      }).length > 1;
    });
    $("similar-empty").hidden = !state.similar || groups.length > 0;
    D.keepFocus(list.parentNode, function () {
      list.textContent = "";
      groups.forEach(function (group, index) {
        var ids = group.ids.filter(function (id) {
          var p = D.proposalById(id);
          return p && p.status !== "merged";
        });
        var name = "similar-" + index;
        var fieldset = P.el("fieldset", {}, [
          P.el("legend", {}, [
            document.createTextNode(S.keep_which + " "),
            P.el("span", { className: "score", text: t("similarity", { score: Math.round(group.score) }) })
          ])
        ]);
        var options = P.el("ul", { className: "survivor-list" });
        ids.forEach(function (id, i) {
          var radio = P.el("input", { type: "radio", name: name, id: name + "-" + id, value: String(id) });
          radio.checked = i === 0;
          var p = D.proposalById(id);
          options.appendChild(P.el("li", {}, [
            radio,
            P.el("label", { for: name + "-" + id }, [
              P.el("span", { className: "option-title", text: titleOf(id) }),
              p && p.status !== "visible"
                ? P.el("span", { className: "option-status", text: " (" + D.label("statuses", p.status) + ")" }) : null
            ])
          ]));
        });
        fieldset.appendChild(options);
        var form = P.el("form", { className: "similar-group", "data-ids": ids.join(",") }, [
          fieldset,
          P.el("div", { className: "actions" }, [
            D.button(t("merge_these", { n: ids.length }), ids.map(titleOf).map(function (x) { return "«" + x + "»"; }).join(", "), {
              type: "submit", className: "small", "data-focus": "similar-merge-" + ids.join("-")
            })
          ])
        ]);
        list.appendChild(P.el("li", {}, [form]));
      });
    });
  }

  /* ---- merges and undo ------------------------------------------------ */

  function loadMerges() {
    D.call("GET", "/merges", undefined, { quiet: true }).then(function (response) {
      if (!response.ok) return;
      state.merges = response.data.merges || [];
      renderMerges();
    });
  }

  function renderMerges() {
    var list = $("merge-list");
    var merges = state.merges || [];
    $("merges-empty").hidden = merges.length > 0;
    D.keepFocus(list.parentNode, function () {
      list.textContent = "";
      merges.forEach(function (m) {
        var undone = !!m.undone_at;
        var item = P.el("li", { "data-id": String(m.id), "data-undone": undone ? "true" : "false" }, [
          P.el("p", { className: "merge-into", text: t("merge_line", { title: titleOf(m.survivor_id) }) }),
          P.el("ul", { className: "merged-titles" }, m.merged_ids.map(function (id) {
            return P.el("li", { text: titleOf(id) });
          }))
        ]);
        if (undone) {
          item.appendChild(P.el("p", { className: "merge-state", text: S.undone }));
        } else {
          item.appendChild(P.el("button", {
            type: "button", className: "secondary small", "data-action": "undo-merge",
            "data-id": String(m.id), "data-focus": "undo-" + m.id,
            "aria-label": t("undo_label", { title: titleOf(m.survivor_id) })
          }, [document.createTextNode(S.undo)]));
        }
        list.appendChild(item);
      });
    });
  }

  function undo(id, trigger) {
    D.call("DELETE", "/merges/" + id, undefined, { busy: trigger }).then(function (response) {
      if (!response.ok) return;
      D.upsertProposal(response.data.survivor);
      (response.data.restored || []).forEach(function (p) { D.upsertProposal(p); });
      state.merges.forEach(function (m) { if (m.id === id && !m.undone_at) m.undone_at = new Date().toISOString(); });
      D.say(S.undone_msg);
      D.refresh(["proposals", "merge", "paper"]);
      renderMerges();
      loadMerges();
      schedule(true);
    });
  }

  /* ---- the panel ------------------------------------------------------ */

  function renderPanel() {
    $("merge-panel-toggle").setAttribute("aria-expanded", ui.open ? "true" : "false");
    $("merge-panel").hidden = !ui.open;
  }

  D.register("merge", renderSelection);
  D.register("merge", renderPanel);
  D.register("merges", renderMerges);
  D.register("merges", renderSimilar);
  D.register("similar", function () { schedule(); });
  D.onSnapshot(function () {
    loadMerges();
    if (ui.open) schedule(true);
  });

  document.addEventListener("click", function (event) {
    var target = event.target.closest("button");
    if (!target || !state.snapshot) return;
    if (target.id === "merge-panel-toggle") {
      ui.open = !ui.open;
      renderPanel();
      if (ui.open) { schedule(true); loadMerges(); }
    } else if (target.id === "similar-refresh") {
      if (ui.due) { window.clearTimeout(ui.due); ui.due = null; }
      loadSimilar();
    } else if (target.id === "merge-clear") {
      state.selected = [];
      D.refresh(["proposals", "merge"]);
      var list = $("proposal-list");
      if (list) list.focus();
    } else if (target.getAttribute("data-action") === "undo-merge") {
      undo(parseInt(target.getAttribute("data-id"), 10), target);
    }
  });

  document.addEventListener("change", function (event) {
    if (event.target.name === "survivor") ui.survivor = parseInt(event.target.value, 10);
    if (event.target.id === "similar-threshold") {
      if (ui.due) { window.clearTimeout(ui.due); ui.due = null; }
      loadSimilar();
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.id === "merge-form") {
      event.preventDefault();
      if (state.selected.length < 2) return;
      merge(ui.survivor || state.selected[0], state.selected.slice(), $("merge-submit")).then(function (response) {
        if (response && response.ok) {
          var list = $("proposal-list");
          if (list) list.focus();
        }
      });
    } else if (form.classList.contains("similar-group")) {
      event.preventDefault();
      var ids = form.getAttribute("data-ids").split(",").map(Number);
      var picked = form.querySelector("input[type=radio]:checked");
      merge(picked ? Number(picked.value) : ids[0], ids, form);
    }
  });
})();
