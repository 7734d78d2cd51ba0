/* Facilitator screen, agenda: the current step, the step list with go-to and reveal, and the
   agenda editor (edit, move, remove, add a step; save the agenda as a session plan). */
(function () {
  "use strict";

  var D = window.PlanverkstedDesk;
  if (!D) return;
  var P = D.P, S = D.S, $ = D.$, t = D.t, state = D.state;
  var ui = { open: false, removing: null, conflict: null };
  var forms = {};   // step id -> the open edit form (kept across re-renders)
  var PRIORITISING = { vote: true, agree: true, rate: true };

  function steps() { return state.snapshot.steps || []; }
  function current() { return state.snapshot.step; }

  function stepContext(step) { return t("go_to", { n: step.position + 1, title: step.title }); }

  /* ---- the current step ----------------------------------------------- */

  function renderCurrent() {
    var step = current();
    var all = steps();
    var last = all.length - 1;
    var box = $("current-step");
    box.setAttribute("data-position", String(step.position));
    box.setAttribute("data-kind", step.kind);
    D.setText("current-step-counter", t("step_counter", { n: step.position + 1, total: all.length || state.snapshot.step_count }));
    D.setText("current-step-kind", D.label("kinds", step.kind));
    D.setText("current-step-title", step.title);
    var prompt = $("current-step-prompt");
    D.setText(prompt, step.prompt || "");
    prompt.hidden = !step.prompt;

    $("step-previous").disabled = step.position <= 0;
    $("step-next").disabled = step.position >= last;
    D.setText("step-next-label", step.position < last && all[step.position + 1]
      ? t("next_to", { title: all[step.position + 1].title }) : S.last_step);

    var reveal = $("reveal-box");
    reveal.hidden = !PRIORITISING[step.kind];
    if (!reveal.hidden) {
      reveal.setAttribute("data-revealed", step.revealed ? "true" : "false");
      D.setText("reveal-state", step.revealed ? S.reveal_state_shown : S.reveal_state_hidden);
      var toggle = $("reveal-toggle");
      D.setText(toggle, step.revealed ? S.unreveal : S.reveal);
      toggle.setAttribute("data-position", String(step.position));
      toggle.setAttribute("data-revealed", step.revealed ? "true" : "false");
      toggle.className = step.revealed ? "secondary" : "";
    }
  }

  /* ---- the step list -------------------------------------------------- */

  function goForm(step) {
    return P.el("form", {
      method: "post", action: $("step-list").getAttribute("data-action"), className: "step-form"
    }, [
      P.el("input", { type: "hidden", name: "csrf", value: $("step-list").getAttribute("data-csrf") || "" }),
      P.el("input", { type: "hidden", name: "position", value: String(step.position) }),
      D.button(S.go_here, stepContext(step), {
        type: "submit", className: "secondary small", "data-focus": "go-" + step.id
      })
    ]);
  }

  function metaLine(step) {
    var parts = [];
    if (D.label("kinds", step.kind) !== step.title) parts.push(P.el("span", { text: D.label("kinds", step.kind) }));
    var timer = step.timer;
    if (timer && timer.seconds) {
      parts.push(P.el("span", { text: t("timer_length", { n: Math.round(timer.seconds / 60 * 10) / 10 }) }));
    }
    if (PRIORITISING[step.kind]) {
      parts.push(P.el("span", {
        className: "result-state " + (step.revealed ? "is-shown" : "is-hidden"),
        text: step.revealed ? S.results_shown : S.results_hidden
      }));
    }
    var line = P.el("span", { className: "step-meta" });
    parts.forEach(function (part, i) {
      if (i) line.appendChild(P.el("span", { className: "sep", "aria-hidden": "true", text: " · " }));
      line.appendChild(part);
    });
    return line;
  }

  function iconButton(icon, text, action, step) {
    return P.el("button", {
      type: "button", className: "secondary small icon", "data-action": action,
      "data-id": String(step.id), "data-focus": action + "-" + step.id
    }, [
      P.el("span", { "aria-hidden": "true", text: icon }),
      P.el("span", { className: "visually-hidden", text: text })
    ]);
  }

  function tools(step, index, count) {
    var box = P.el("div", { className: "step-tools" });
    if (PRIORITISING[step.kind]) {
      box.appendChild(D.button(step.revealed ? S.unreveal : S.reveal, stepContext(step), {
        className: "secondary small reveal-step", "data-action": "reveal",
        "data-id": String(step.id), "data-focus": "reveal-" + step.id
      }));
    }
    if (ui.open) {
      var editing = !!forms[step.id];
      var group = P.el("span", { className: "edit-tools" });
      box.appendChild(group);
      group.appendChild(D.button(editing ? S.close_edit : S.edit, stepContext(step), {
        className: "secondary small", "data-action": "edit", "data-id": String(step.id),
        "aria-expanded": editing ? "true" : "false", "data-focus": "edit-" + step.id
      }));
      var up = iconButton("↑", S.move_up + " – " + stepContext(step), "up", step);
      up.disabled = index === 0;
      var down = iconButton("↓", S.move_down + " – " + stepContext(step), "down", step);
      down.disabled = index === count - 1;
      group.appendChild(up);
      group.appendChild(down);
      var remove = D.button(S.remove, stepContext(step), {
        className: "secondary small danger", "data-action": "remove", "data-id": String(step.id),
        "data-focus": "remove-" + step.id
      });
      remove.disabled = count <= 1;
      group.appendChild(remove);
    }
    return box.childNodes.length ? box : null;
  }

  function removeBox(step) {
    var conflict = ui.conflict && ui.removing === step.id ? ui.conflict : null;
    var box = P.el("div", { className: "confirm-box", role: "group", "aria-label": t("remove_question", { title: step.title }) }, [
      P.el("p", { className: conflict ? "confirm-warning" : "", text: conflict || t("remove_question", { title: step.title }) })
    ]);
    var actions = P.el("div", { className: "actions" });
    actions.appendChild(D.button(conflict ? S.remove_anyway : S.remove_confirm, null, {
      className: "danger-solid small", "data-action": conflict ? "remove-force" : "remove-confirm",
      "data-id": String(step.id), "data-focus": "confirm-" + step.id
    }));
    actions.appendChild(D.button(S.cancel, null, {
      className: "secondary small", "data-action": "remove-cancel", "data-id": String(step.id),
      "data-focus": "cancel-" + step.id
    }));
    box.appendChild(actions);
    return box;
  }

  function stepItem(step, index, count) {
    var isCurrent = step.id === current().id;
    var attrs = {
      "data-position": String(step.position), "data-kind": step.kind, "data-id": String(step.id)
    };
    if (isCurrent) { attrs["aria-current"] = "step"; attrs.className = "is-current"; }
    return P.el("li", attrs, [
      P.el("span", { className: "step-number", "aria-hidden": "true", text: String(step.position + 1) }),
      P.el("span", { className: "step-text" }, [
        P.el("span", { className: "step-title", text: step.title }),
        metaLine(step)
      ]),
      isCurrent ? P.el("span", { className: "step-now", text: S.now }) : goForm(step),
      tools(step, index, count),
      forms[step.id] || null,
      ui.removing === step.id ? removeBox(step) : null
    ]);
  }

  function renderList() {
    var list = $("step-list");
    var all = steps();
    Object.keys(forms).forEach(function (id) {
      if (!D.stepById(parseInt(id, 10))) delete forms[id];
    });
    if (ui.removing && !D.stepById(ui.removing)) { ui.removing = null; ui.conflict = null; }
    D.keepFocus(list.parentNode, function () {
      var fragment = document.createDocumentFragment();
      all.forEach(function (s, i) { fragment.appendChild(stepItem(s, i, all.length)); });
      list.textContent = "";
      list.appendChild(fragment);
      list.classList.toggle("is-editing", ui.open);
    });
  }

  function renderEditor() {
    var toggle = $("agenda-edit-toggle");
    toggle.setAttribute("aria-expanded", ui.open ? "true" : "false");
    $("agenda-editor").hidden = !ui.open;
    document.querySelector(".desk").classList.toggle("is-editing-agenda", ui.open);
    var select = $("add-step-position");
    var chosen = select.value;
    var all = steps();
    select.textContent = "";
    select.appendChild(P.el("option", { value: "0", text: S.position_first }));
    all.forEach(function (s) {
      select.appendChild(P.el("option", {
        value: String(s.position + 1), text: t("position_after", { n: s.position + 1, title: s.title })
      }));
    });
    var fallback = String(current().position + 1);
    select.value = chosen && Number(chosen) <= all.length ? chosen : fallback;
    if (!select.value) select.value = String(all.length);
  }

  function renderAll() {
    renderCurrent();
    renderList();
    renderEditor();
  }
  D.register("steps", renderAll);

  /* ---- editing a step ------------------------------------------------- */

  var criterionCounter = 0;

  function criterionRow(prefix, criterion) {
    criterionCounter += 1;
    var row = D.fromTemplate("criterion-template", prefix + "-c" + criterionCounter);
    row.setAttribute("data-key", criterion.key || "");
    row.querySelector("[name=label]").value = criterion.label || "";
    row.querySelector("[name=low]").value = criterion.low || "";
    row.querySelector("[name=high]").value = criterion.high || "";
    row.querySelector("[data-slot=name]").textContent = criterion.label ? " «" + criterion.label + "»" : "";
    return row;
  }

  /* ---- the shortlist of a rate or agree step: all, the top of a dot vote, or picked --------- */

  function fillShortlist(form, prefix, step) {
    var shortlist = step.shortlist || {};
    var mode = shortlist.proposals ? "pick" : shortlist.top ? "top" : "all";
    var from = form.elements.shortlist_from;
    steps().forEach(function (s) {
      if (s.kind === "vote" && s.position < step.position) {
        from.appendChild(P.el("option", { value: String(s.position), text: (s.position + 1) + ". " + s.title }));
      }
    });
    if (!from.options.length) form.querySelector("#" + prefix + "-sl-top").disabled = true;
    if (shortlist.from !== undefined) from.value = String(shortlist.from);
    form.elements.shortlist_top.value = String(shortlist.top || 8);
    var picked = {};
    (shortlist.proposals || []).forEach(function (id) { picked[id] = true; });
    var list = form.querySelector("[data-slot=shortlist-list]");
    state.snapshot.proposals.filter(function (p) { return p.status === "visible"; }).forEach(function (p) {
      var id = prefix + "-sl-p" + p.id;
      var box = P.el("input", { type: "checkbox", id: id, name: "shortlist_pick", value: String(p.id) });
      box.checked = !!picked[p.id];
      list.appendChild(P.el("li", { className: "checkbox" }, [box, P.el("label", { "for": id, text: p.title })]));
    });
    Array.prototype.forEach.call(form.elements.shortlist_mode, function (radio) {
      radio.checked = radio.value === mode;
      radio.addEventListener("change", function () { showShortlist(form); });
    });
    showShortlist(form);
  }

  function shortlistMode(form) {
    var chosen = "all";
    Array.prototype.forEach.call(form.elements.shortlist_mode, function (r) { if (r.checked) chosen = r.value; });
    return chosen;
  }

  function showShortlist(form) {
    var mode = shortlistMode(form);
    form.querySelector("[data-slot=shortlist-top]").hidden = mode !== "top";
    var pick = form.querySelector("[data-slot=shortlist-pick]");
    pick.hidden = mode !== "pick";
    pick.disabled = mode !== "pick";
  }

  /* The shortlist the form asks for: null (all), {from, top} or {proposals}. */
  function shortlistOf(form) {
    var mode = shortlistMode(form);
    if (mode === "top") {
      return { from: parseInt(form.elements.shortlist_from.value, 10), top: intOf(form.elements.shortlist_top) || 8 };
    }
    if (mode === "pick") {
      var ids = [];
      Array.prototype.forEach.call(form.querySelectorAll("[name=shortlist_pick]:checked"), function (box) {
        ids.push(parseInt(box.value, 10));
      });
      return { proposals: ids };
    }
    return null;
  }

  function openEdit(step) {
    var prefix = "step-" + step.id;
    var form = D.fromTemplate("step-edit-template", prefix);
    form.setAttribute("data-id", String(step.id));
    form.setAttribute("aria-label", t("edit_step_heading", { n: step.position + 1, title: step.title }));
    form.querySelector("[data-slot=heading]").textContent = t("edit_step_heading", { n: step.position + 1, title: step.title });
    form.elements.title.value = step.title;
    form.elements.prompt.value = step.prompt || "";
    var timer = step.timer;
    form.elements.timer_minutes.value = timer && timer.seconds ? String(Math.max(1, Math.round(timer.seconds / 60))) : "";
    form.elements.auto_advance.checked = !!(timer && timer.auto_advance);
    Array.prototype.forEach.call(form.querySelectorAll(".kind-settings"), function (fieldset) {
      var mine = fieldset.getAttribute("data-kind").split(" ").indexOf(step.kind) >= 0;
      fieldset.hidden = !mine;
      fieldset.disabled = !mine;
    });
    if (step.kind === "vote") {
      form.elements.mode.value = step.mode || "dots";
      form.elements.votes_per_participant.value = String(step.votes_per_participant || "");
      form.elements.max_votes_per_proposal.value = String(step.max_votes_per_proposal || 0);
    }
    if (step.kind === "rate") {
      var list = form.querySelector("[data-slot=criteria]");
      (step.criteria || []).forEach(function (c) { list.appendChild(criterionRow(prefix, c)); });
    }
    if (step.kind === "results") {
      form.elements.breakdown.value = step.breakdown || "";
      form.elements.change_level.value = step.change_level || "";
    }
    if (step.kind === "rate" || step.kind === "agree") fillShortlist(form, prefix, step);
    forms[step.id] = form;
    renderList();
    form.elements.title.focus();
  }

  function closeEdit(id, focusKey) {
    delete forms[id];
    renderList();
    var back = document.querySelector('[data-focus="' + (focusKey || "edit-" + id) + '"]');
    if (back) back.focus();
  }

  function slug(text, taken) {
    var base = String(text || "").toLowerCase()
      .replace(/æ/g, "ae").replace(/ø/g, "o").replace(/å/g, "a")
      .normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 30) || "kriterium";
    var key = base, n = 2;
    while (taken[key]) { key = base + "_" + n; n += 1; }
    taken[key] = true;
    return key;
  }

  function criteriaOf(form) {
    var taken = {};
    var rows = Array.prototype.slice.call(form.querySelectorAll(".criterion"));
    rows.forEach(function (row) { var k = row.getAttribute("data-key"); if (k) taken[k] = true; });
    return rows.map(function (row) {
      var item = {
        key: row.getAttribute("data-key") || slug(row.querySelector("[name=label]").value, taken),
        label: row.querySelector("[name=label]").value.trim()
      };
      var low = row.querySelector("[name=low]").value.trim();
      var high = row.querySelector("[name=high]").value.trim();
      if (low) item.low = low;
      if (high) item.high = high;
      return item;
    });
  }

  function sameCriteria(a, b) {
    return JSON.stringify(a || []) === JSON.stringify((b || []).map(function (c) {
      var item = { key: c.key, label: c.label };
      if (c.low) item.low = c.low;
      if (c.high) item.high = c.high;
      return item;
    }));
  }

  function intOf(input) {
    var value = input.value.trim();
    if (value === "") return null;
    var n = Number(value);
    return Number.isInteger(n) ? n : NaN;
  }

  function submitEdit(form) {
    var step = D.stepById(parseInt(form.getAttribute("data-id"), 10));
    if (!step) return;
    var body = {};
    var title = form.elements.title.value.trim();
    if (title !== step.title) body.title = title;
    var prompt = form.elements.prompt.value.trim();
    if (prompt !== (step.prompt || "")) body.prompt = prompt;
    var minutes = intOf(form.elements.timer_minutes);
    if (Number.isNaN(minutes) || (minutes !== null && (minutes < 1 || minutes > 240))) {
      D.say(S.timer_minutes_invalid, true);
      form.elements.timer_minutes.focus();
      return;
    }
    var seconds = minutes === null ? null : minutes * 60;
    var oldSeconds = step.timer && step.timer.seconds ? step.timer.seconds : null;
    var oldMinutes = oldSeconds ? Math.max(1, Math.round(oldSeconds / 60)) : null;
    if (minutes !== oldMinutes) body.timer_seconds = seconds;
    var advance = form.elements.auto_advance.checked;
    if (advance !== !!(step.timer && step.timer.auto_advance)) body.auto_advance = advance;
    var config = {};
    if (step.kind === "vote") {
      if (form.elements.mode.value !== (step.mode || "dots")) config.mode = form.elements.mode.value;
      var budget = intOf(form.elements.votes_per_participant);
      if (budget !== null && budget !== step.votes_per_participant) config.votes_per_participant = budget;
      var cap = intOf(form.elements.max_votes_per_proposal);
      if (cap === null) cap = 0;
      if (cap !== (step.max_votes_per_proposal || 0)) config.max_votes_per_proposal = cap;
    } else if (step.kind === "rate") {
      var criteria = criteriaOf(form);
      if (!sameCriteria(criteria, step.criteria)) config.criteria = criteria;
    } else if (step.kind === "results") {
      var breakdown = form.elements.breakdown.value || null;
      if (breakdown !== (step.breakdown || null)) config.breakdown = breakdown;
      var level = form.elements.change_level.value || null;
      if (level !== (step.change_level || null)) config.change_level = level;
    }
    if (step.kind === "rate" || step.kind === "agree") {
      var shortlist = shortlistOf(form);
      if (JSON.stringify(shortlist) !== JSON.stringify(step.shortlist || null)) config.shortlist = shortlist;
    }
    if (Object.keys(config).length) body.config = config;
    if (!Object.keys(body).length) { closeEdit(step.id); return; }
    D.call("PATCH", "/steps/" + step.id, body, { busy: form }).then(function (response) {
      if (!response.ok) return;
      delete forms[step.id];
      D.applyAgenda(response.data);
      D.say(t("step_saved", { title: response.data.step.title }));
      var back = document.querySelector('[data-focus="edit-' + step.id + '"]');
      if (back) back.focus();
    });
  }

  /* ---- moving, removing, adding --------------------------------------- */

  function move(step, delta) {
    var ids = steps().map(function (s) { return s.id; });
    var from = ids.indexOf(step.id);
    var to = from + delta;
    if (from < 0 || to < 0 || to >= ids.length) return;
    ids.splice(from, 1);
    ids.splice(to, 0, step.id);
    D.call("PUT", "/steps/order", { step_ids: ids }).then(function (response) {
      if (!response.ok) return;
      D.applyAgenda(response.data);
      D.say(t("step_moved", { title: step.title }));
      var again = document.querySelector('[data-focus="' + (delta < 0 ? "up-" : "down-") + step.id + '"]');
      if (again && again.disabled) again = document.querySelector('[data-focus="' + (delta < 0 ? "down-" : "up-") + step.id + '"]');
      if (again) again.focus();
    });
  }

  function remove(step, force) {
    var path = "/steps/" + step.id + (force ? "?force=true" : "");
    D.call("DELETE", path, undefined, { quiet: true }).then(function (response) {
      if (response.status === 409) {
        ui.removing = step.id;
        ui.conflict = S.remove_conflict;
        renderList();
        var button = document.querySelector('[data-focus="confirm-' + step.id + '"]');
        if (button) button.focus();
        return;
      }
      if (!response.ok) { if (!response.network) D.say(D.errorText(response), true); return; }
      ui.removing = null;
      ui.conflict = null;
      delete forms[step.id];
      D.applyAgenda(response.data);
      D.say(t("step_removed", { title: step.title }));
      $("step-list").parentNode.querySelector("#agenda-edit-toggle").focus();
    });
  }

  function reveal(step, revealed, trigger) {
    D.call("POST", "/reveal", { revealed: revealed, position: step.position }, { busy: trigger }).then(function (response) {
      if (!response.ok) return;
      D.applyReveal(response.data);
      D.say(t(revealed ? "revealed_msg" : "unrevealed_msg", { title: step.title }));
    });
  }

  function addStep(form) {
    var body = {
      kind: form.elements.kind.value,
      title: form.elements.title.value.trim(),
      position: parseInt(form.elements.position.value, 10)
    };
    var prompt = form.elements.prompt.value.trim();
    if (prompt) body.prompt = prompt;
    D.call("POST", "/steps", body, { busy: form }).then(function (response) {
      if (!response.ok) return;
      D.applyAgenda(response.data);
      form.elements.title.value = "";
      form.elements.prompt.value = "";
      D.say(t("step_added", { title: response.data.step.title }));
    });
  }

  function savePlan(form) {
    var result = $("save-plan-result");
    result.textContent = "";
    var body = {
      name: form.elements.name.value.trim(),
      title: form.elements.title.value.trim(),
      include_proposals: form.elements.include_proposals.checked
    };
    D.call("POST", "/plans", body, { busy: form, quiet: true }).then(function (response) {
      if (!response.ok) {
        if (response.network) return;
        result.className = "form-result is-error";
        result.setAttribute("role", "alert");
        result.textContent = D.errorText(response);
        return;
      }
      result.className = "form-result is-ok";
      result.setAttribute("role", "status");
      result.textContent = t("plan_saved", { name: response.data.name, steps: response.data.steps.length });
    });
  }

  /* ---- wiring --------------------------------------------------------- */

  document.addEventListener("click", function (event) {
    var target = event.target.closest("button");
    if (!target || !state.snapshot) return;
    if (target.id === "agenda-edit-toggle") {
      ui.open = !ui.open;
      if (!ui.open) { Object.keys(forms).forEach(function (k) { delete forms[k]; }); ui.removing = null; ui.conflict = null; }
      renderList();
      renderEditor();
      return;
    }
    if (target.id === "reveal-toggle") {
      reveal(current(), target.getAttribute("data-revealed") !== "true", target);
      return;
    }
    if (!target.closest("#step-list")) return;
    var action = target.getAttribute("data-action");
    var step = D.stepById(parseInt(target.getAttribute("data-id"), 10));
    var form = target.closest(".step-edit-form");
    if (form && action === "cancel-edit") { closeEdit(parseInt(form.getAttribute("data-id"), 10)); return; }
    if (form && action === "add-criterion") {
      var list = form.querySelector("[data-slot=criteria]");
      if (list.children.length >= 6) return;
      var row = criterionRow("step-" + form.getAttribute("data-id"), {});
      list.appendChild(row);
      row.querySelector("[name=label]").focus();
      return;
    }
    if (form && action === "remove-criterion") {
      var item = target.closest(".criterion");
      if (form.querySelectorAll(".criterion").length <= 1) return;
      var next = item.nextElementSibling || item.previousElementSibling;
      item.parentNode.removeChild(item);
      if (next) next.querySelector("[name=label]").focus();
      return;
    }
    if (!step) return;
    if (action === "reveal") reveal(step, !step.revealed, target);
    else if (action === "edit") { if (forms[step.id]) closeEdit(step.id); else openEdit(step); }
    else if (action === "up") move(step, -1);
    else if (action === "down") move(step, 1);
    else if (action === "remove") {
      ui.removing = step.id;
      ui.conflict = null;
      renderList();
      var confirm = document.querySelector('[data-focus="confirm-' + step.id + '"]');
      if (confirm) confirm.focus();
    } else if (action === "remove-cancel") {
      ui.removing = null;
      ui.conflict = null;
      renderList();
      var back = document.querySelector('[data-focus="remove-' + step.id + '"]');
      if (back) back.focus();
    } else if (action === "remove-confirm") remove(step, false);
    else if (action === "remove-force") remove(step, true);
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.classList.contains("step-edit-form")) { event.preventDefault(); submitEdit(form); }
    else if (form.id === "add-step-form") { event.preventDefault(); addStep(form); }
    else if (form.id === "save-plan-form") { event.preventDefault(); savePlan(form); }
  });
})();
