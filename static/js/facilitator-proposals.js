/* Facilitator screen, proposals: the list (filter, sort, live dots), the moderation queue, and
   per proposal hide/show, approve/reject, edit (keeping the original), plan area and change
   level. Cards are kept and patched in place, so live tallies never close a menu or move focus. */
(function () {
  "use strict";

  var D = window.PlanverkstedDesk;
  if (!D) return;
  var P = D.P, S = D.S, $ = D.$, t = D.t, state = D.state;
  var LEVELS = ["lokal", "regional", "nasjonal"];
  var STATUS_ORDER = { pending: 0, visible: 1, hidden: 2, merged: 3 };
  var FILTERS = {
    active: { visible: true, hidden: true },
    visible: { visible: true },
    hidden: { hidden: true },
    pending: { pending: true },
    merged: { merged: true },
    all: { visible: true, hidden: true, pending: true, merged: true }
  };
  var ui = { sortChosen: false, originals: {}, forms: {} };
  var cards = {};        // proposal id -> {node, signature}

  function proposals() { return state.snapshot.proposals; }

  function quoted(p) { return "«" + p.title + "»"; }

  /* ---- counts from the tally ------------------------------------------ */

  function tallyRow(id) {
    var rows = (state.tally && state.tally.proposals) || [];
    for (var i = 0; i < rows.length; i += 1) if (rows[i].id === id) return rows[i];
    return null;
  }

  function paperDots(id) {
    var paper = state.paper;
    if (!paper || !state.tally || state.tally.step !== paper.step_position) return 0;
    return (paper.dots && paper.dots[String(id)]) || 0;
  }

  function countsVisible() {
    var kind = state.snapshot.step.kind;
    return kind === "vote" || kind === "agree" || kind === "rate" || kind === "results";
  }

  function number(value) { return P.mean(value); }

  /* [main text, detail text or ""] for a proposal, or null when there is nothing to show. */
  function tallyText(p) {
    if (!state.tallied || !state.tally || p.status !== "visible") return null;
    var row = tallyRow(p.id);
    var kind = state.tally.kind || "dots";
    if (kind === "agree") {
      if (!row && !countsVisible()) return null;
      return [t("stances", { agree: row ? row.agree || 0 : 0, disagree: row ? row.disagree || 0 : 0, pass: row ? row.pass || 0 : 0 }), ""];
    }
    if (kind === "rate") {
      if (!row && !countsVisible()) return null;
      var means = (row && row.means) || {};
      var criteria = [];
      (state.snapshot.steps || []).forEach(function (s) {
        if (s.position === state.tally.step) criteria = s.criteria || [];
      });
      var detail = criteria.filter(function (c) { return means[c.key] != null; }).map(function (c) {
        return t("mean", { label: c.label, value: number(means[c.key]) });
      }).join(" · ");
      return [t("raters", { n: row ? row.raters || 0 : 0 }), detail];
    }
    var dots = row ? row.dots || 0 : 0;
    if (!dots && !countsVisible()) return null;
    var paper = paperDots(p.id);
    var main = t(dots === 1 ? "dots_one" : "dots_other", { n: dots });
    return [main, paper ? t("dots_split", { phone: Math.max(0, dots - paper), paper: paper }) : ""];
  }

  /* ---- one card ------------------------------------------------------- */

  function categorySelect(p) {
    var id = "category-" + p.id;
    var select = P.el("select", { id: id, className: "compact", "data-action": "category", "data-id": String(p.id), "data-focus": id });
    select.appendChild(P.el("option", { value: "", text: S.no_category }));
    var categories = (state.snapshot.categories || []).slice();
    if (p.category && categories.indexOf(p.category) === -1) categories.push(p.category);
    categories.forEach(function (c) { select.appendChild(P.el("option", { value: c, text: c })); });
    select.value = p.category || "";
    return P.el("div", { className: "classify" }, [
      P.el("label", { for: id }, [
        document.createTextNode(S.category),
        P.el("span", { className: "visually-hidden", text: " – " + quoted(p) })
      ]),
      select
    ]);
  }

  function levelSelect(p) {
    var id = "level-" + p.id;
    /* A participant's level is a suggestion (suggested_change_level) until the facilitator
       settles change_level; older workshops kept an unsettled level in change_level. */
    var suggested = !p.classification_settled ? (p.change_level || p.suggested_change_level || null) : null;
    var select = P.el("select", { id: id, className: "compact", "data-action": "level", "data-id": String(p.id), "data-focus": id });
    if (suggested) {
      select.appendChild(P.el("option", {
        value: "suggested", text: t("level_suggested", { level: D.label("levels_short", suggested) })
      }));
    }
    select.appendChild(P.el("option", { value: "", text: S.level_unset }));
    LEVELS.forEach(function (level) {
      select.appendChild(P.el("option", { value: level, text: D.label("levels", level) }));
    });
    select.value = suggested ? "suggested" : (p.change_level || "");
    var box = P.el("div", { className: "classify" + (suggested ? " is-suggested" : "") }, [
      P.el("label", { for: id }, [
        document.createTextNode(S.level),
        P.el("span", { className: "visually-hidden", text: " – " + quoted(p) })
      ]),
      select
    ]);
    if (suggested) {
      box.appendChild(D.button(t("level_confirm", { level: D.label("levels_short", suggested) }), quoted(p), {
        className: "secondary small", "data-action": "level-confirm", "data-id": String(p.id),
        "data-level": suggested, "data-focus": "level-confirm-" + p.id
      }));
    }
    return box;
  }

  function actions(p) {
    var box = P.el("div", { className: "proposal-actions" });
    var id = String(p.id);
    if (p.status === "pending") {
      box.appendChild(D.button(S.approve, quoted(p), { "data-action": "approve", "data-id": id, className: "small", "data-focus": "approve-" + id }));
      box.appendChild(D.button(S.reject, quoted(p), { "data-action": "reject", "data-id": id, className: "secondary small danger", "data-focus": "reject-" + id }));
    } else if (p.status === "visible") {
      box.appendChild(D.button(S.hide, quoted(p), { "data-action": "hide", "data-id": id, className: "secondary small", "data-focus": "hide-" + id }));
    } else if (p.status === "hidden") {
      box.appendChild(D.button(S.show, quoted(p), { "data-action": "show", "data-id": id, className: "secondary small", "data-focus": "show-" + id }));
    }
    var editing = !!ui.forms[p.id];
    box.appendChild(D.button(editing ? S.close_edit : S.edit, quoted(p), {
      "data-action": "edit", "data-id": id, className: "secondary small",
      "aria-expanded": editing ? "true" : "false", "data-focus": "edit-" + id
    }));
    if (p.original_title != null || p.original_body != null) {
      var open = !!ui.originals[p.id];
      box.appendChild(D.button(open ? S.hide_original : S.show_original, quoted(p), {
        "data-action": "original", "data-id": id, className: "link-button",
        "aria-expanded": open ? "true" : "false", "aria-controls": "original-" + id,
        "data-focus": "original-" + id
      }));
    }
    return box;
  }

  function signature(p, inQueue) {
    return JSON.stringify([
      p.title, p.body, p.status, p.category, p.change_level, p.suggested_change_level, p.classification_settled, p.source,
      p.merged_into_id, p.original_title, p.original_body, !!ui.originals[p.id], !!ui.forms[p.id],
      state.selected.indexOf(p.id) !== -1, survivorOf(p), merges(p), inQueue,
      state.snapshot.categories
    ]);
  }

  function survivorOf(p) {
    if (p.status !== "merged" || !p.merged_into_id) return null;
    var survivor = D.proposalById(p.merged_into_id);
    return survivor ? survivor.title : t("proposal_n", { id: p.merged_into_id });
  }

  function merges(p) {
    return proposals().filter(function (other) {
      return other.status === "merged" && other.merged_into_id === p.id;
    }).map(function (other) { return other.title; });
  }

  function card(p, inQueue) {
    var id = String(p.id);
    var head = P.el("div", { className: "proposal-head" });
    if (p.status !== "merged" && !inQueue) {
      var box = P.el("input", {
        type: "checkbox", className: "select-proposal", "data-action": "select", "data-id": id,
        "data-focus": "select-" + id
      });
      box.checked = state.selected.indexOf(p.id) !== -1;
      head.appendChild(P.el("label", { className: "select-box", title: S.select_for_merge }, [
        box, P.el("span", { className: "visually-hidden", text: S.select_for_merge + ": " + quoted(p) })
      ]));
    }
    head.appendChild(P.el("p", { className: "proposal-title", text: p.title }));
    head.appendChild(P.el("p", { className: "tally", hidden: "" }, [
      P.el("span", { className: "tally-main" }), P.el("span", { className: "tally-detail" })
    ]));

    var meta = [
      P.el("span", { className: "badge status status-" + p.status, text: D.label("statuses", p.status) }),
      p.category && (inQueue || p.status === "merged")
        ? P.el("span", { className: "badge category", text: p.category }) : null,
      p.change_level && (inQueue || p.status === "merged")
        ? P.el("span", { className: "badge level", text: D.label("levels_short", p.change_level) }) : null,
      p.original_title != null || p.original_body != null
        ? P.el("span", { className: "badge edited", text: S.edited }) : null,
      P.el("span", { className: "source", text: D.label("sources", p.source) })
    ];

    var children = [
      head,
      p.body ? P.el("p", { className: "proposal-body", text: p.body }) : null
    ];
    if (ui.originals[p.id]) {
      children.push(P.el("div", { className: "original", id: "original-" + id }, [
        P.el("p", { className: "original-label", text: S.original }),
        P.el("p", { className: "original-title", text: p.original_title != null ? p.original_title : p.title }),
        p.original_body ? P.el("p", { className: "original-body", text: p.original_body }) : null
      ]));
    }
    children.push(P.el("div", { className: "proposal-row" }, [
      P.el("p", { className: "proposal-meta" }, meta),
      p.status !== "merged" ? actions(p) : null
    ]));
    var survivor = survivorOf(p);
    if (survivor) children.push(P.el("p", { className: "merge-note", text: t("merged_into", { title: survivor }) }));
    var included = merges(p);
    if (included.length) {
      children.push(P.el("div", { className: "merge-note" }, [
        P.el("span", { text: S.contains + " " }),
        P.el("span", { text: included.map(function (title) { return "«" + title + "»"; }).join(", ") })
      ]));
    }
    if (p.status !== "merged" && !inQueue) {
      children.push(P.el("div", { className: "classification" }, [categorySelect(p), levelSelect(p)]));
    }
    if (ui.forms[p.id] && !inQueue) children.push(ui.forms[p.id]);
    var attrs = { "data-id": id, "data-status": p.status };
    if (state.selected.indexOf(p.id) !== -1) attrs["data-selected"] = "true";
    return P.el("li", attrs, children);
  }

  function patchTally(node, p) {
    var box = node.querySelector(".tally");
    if (!box) return;
    var text = tallyText(p);
    box.hidden = !text;
    if (!text) return;
    D.setText(box.querySelector(".tally-main"), text[0]);
    D.setText(box.querySelector(".tally-detail"), text[1]);
    var dots = (tallyRow(p.id) || {}).dots || 0;
    box.classList.toggle("is-zero", (state.tally.kind || "dots") === "dots" && !dots);
  }

  /* ---- the list ------------------------------------------------------- */

  function effectiveSort() {
    var chosen = $("proposal-sort").value;
    if (ui.sortChosen) return chosen;
    return state.tallied && countsVisible() ? "dots" : "newest";
  }

  function score(p) {
    var row = tallyRow(p.id);
    if (!row) return 0;
    if ((state.tally.kind || "dots") === "agree") return (row.agree || 0) - (row.disagree || 0);
    if (state.tally.kind === "rate") return row.raters || 0;
    return row.dots || 0;
  }

  function sorted(list, how) {
    return list.slice().sort(function (a, b) {
      if (how === "dots") { var d = score(b) - score(a); if (d) return d; }
      if (how === "status") { var s = STATUS_ORDER[a.status] - STATUS_ORDER[b.status]; if (s) return s; }
      if (how === "oldest") return a.id - b.id;
      return b.id - a.id;
    });
  }

  function reconcile(list, items, inQueue) {
    var prefix = inQueue ? "q" : "p";
    var wanted = items.map(function (p) {
      var key = prefix + p.id;
      var sig = signature(p, inQueue);
      var known = cards[key];
      if (!known || known.signature !== sig) {
        known = cards[key] = { node: card(p, inQueue), signature: sig };
      }
      patchTally(known.node, p);
      return known.node;
    });
    var same = list.children.length === wanted.length &&
      wanted.every(function (node, i) { return list.children[i] === node; });
    if (!same) {
      D.keepFocus(list.parentNode, function () {
        wanted.forEach(function (node, i) {
          if (list.children[i] !== node) list.insertBefore(node, list.children[i] || null);
        });
        while (list.children.length > wanted.length) list.removeChild(list.lastChild);
      });
    }
  }

  function renderList() {
    var all = proposals();
    var filter = FILTERS[$("proposal-filter").value] || FILTERS.active;
    var how = effectiveSort();
    if (!ui.sortChosen) $("proposal-sort").value = how;
    var shown = sorted(all.filter(function (p) { return filter[p.status]; }), how);
    var live = {};
    all.forEach(function (p) { live["p" + p.id] = live["q" + p.id] = true; });
    Object.keys(cards).forEach(function (key) { if (!live[key]) delete cards[key]; });
    reconcile($("proposal-list"), shown, false);
    var visible = all.filter(function (p) { return p.status === "visible"; }).length;
    D.setText("proposal-count", String(visible));
    D.setText("proposal-sort-note", t("shown_count", { shown: shown.length, total: all.length }));
    $("proposals-empty").hidden = all.length > 0;
  }

  function renderQueue() {
    var pending = proposals().filter(function (p) { return p.status === "pending"; })
      .sort(function (a, b) { return a.id - b.id; });
    var moderated = !!(state.snapshot.settings && state.snapshot.settings.moderation);
    var section = $("moderation-queue");
    section.hidden = !moderated && !pending.length;
    D.setText("queue-count", String(pending.length));
    $("queue-empty").hidden = pending.length > 0;
    reconcile($("queue-list"), pending, true);
  }

  function render() {
    renderQueue();
    renderList();
  }
  D.register("proposals", render);
  D.register("queue", renderQueue);

  /* ---- changing a proposal -------------------------------------------- */

  function patch(p, body, trigger, message) {
    return D.call("PATCH", "/proposals/" + p.id, body, { busy: trigger }).then(function (response) {
      if (!response.ok) { render(); return response; }
      D.upsertProposal(response.data);
      D.refresh(["proposals", "merge", "paper", "similar"]);
      if (message) D.say(t(message, { title: response.data.title }));
      return response;
    });
  }

  function openEdit(p) {
    var form = D.fromTemplate("proposal-edit-template", "edit-proposal-" + p.id);
    form.setAttribute("data-id", String(p.id));
    form.setAttribute("aria-label", S.edit + " " + quoted(p));
    form.elements.title.value = p.title;
    form.elements.body.value = p.body || "";
    ui.forms[p.id] = form;
    render();
    form.elements.title.focus();
  }

  function closeEdit(id) {
    delete ui.forms[id];
    render();
    var back = document.querySelector('#proposal-list [data-focus="edit-' + id + '"]');
    if (back) back.focus();
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest("button");
    if (!target || !state.snapshot) return;
    var form = target.closest(".proposal-edit-form");
    if (form && target.getAttribute("data-action") === "cancel-edit") {
      closeEdit(parseInt(form.getAttribute("data-id"), 10));
      return;
    }
    if (!target.closest("#proposal-list, #queue-list")) return;
    var p = D.proposalById(parseInt(target.getAttribute("data-id"), 10));
    if (!p) return;
    var action = target.getAttribute("data-action");
    if (action === "approve") patch(p, { status: "visible" }, target, "approved");
    else if (action === "reject") patch(p, { status: "hidden" }, target, "rejected");
    else if (action === "hide") patch(p, { status: "hidden" }, target, "hidden_msg");
    else if (action === "show") patch(p, { status: "visible" }, target, "shown_msg");
    else if (action === "level-confirm") patch(p, { change_level: target.getAttribute("data-level") }, target, "saved_msg");
    else if (action === "edit") { if (ui.forms[p.id]) closeEdit(p.id); else openEdit(p); }
    else if (action === "original") {
      ui.originals[p.id] = !ui.originals[p.id];
      render();
    }
  });

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!state.snapshot) return;
    if (target.id === "proposal-filter") { render(); return; }
    if (target.id === "proposal-sort") { ui.sortChosen = true; render(); return; }
    var p = D.proposalById(parseInt(target.getAttribute("data-id"), 10));
    if (!p || !target.closest("#proposal-list")) return;
    var action = target.getAttribute("data-action");
    if (action === "category") patch(p, { category: target.value || null }, null, "saved_msg");
    else if (action === "level" && target.value !== "suggested") {
      patch(p, { change_level: target.value || null }, null, "saved_msg");
    } else if (action === "select") {
      var at = state.selected.indexOf(p.id);
      if (target.checked && at === -1) state.selected.push(p.id);
      if (!target.checked && at !== -1) state.selected.splice(at, 1);
      D.refresh(["proposals", "merge"]);
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList.contains("proposal-edit-form")) return;
    event.preventDefault();
    var p = D.proposalById(parseInt(form.getAttribute("data-id"), 10));
    if (!p) return;
    var body = {};
    var title = form.elements.title.value.trim();
    var text = form.elements.body.value.trim();
    if (title !== p.title) body.title = title;
    if (text !== (p.body || "")) body.body = text;
    if (!Object.keys(body).length) { closeEdit(p.id); return; }
    D.call("PATCH", "/proposals/" + p.id, body, { busy: form }).then(function (response) {
      if (!response.ok) return;
      delete ui.forms[p.id];
      D.upsertProposal(response.data);
      D.refresh(["proposals", "merge", "paper", "similar"]);
      D.say(t("saved_msg", { title: response.data.title }));
      var back = document.querySelector('#proposal-list [data-focus="edit-' + p.id + '"]');
      if (back) back.focus();
    });
  });
})();
