/* Facilitator screen, core: shared state, the live connection, events and small helpers.
   The workshop itself lives in the client state of state.js (snapshot, events, tally); the
   other facilitator-*.js modules register renderers per area here, and after every change the
   areas whose part of the state changed re-render (render on change, no hand-kept lists).
   Without JavaScript the plain forms (steps, paper proposals) still work. */
(function () {
  "use strict";

  var P = window.Planverksted;
  var State = window.PlanverkstedState;
  if (!P || !State) return;
  var store = State.store();
  State.expose(window, store); // read-only, for tests
  document.documentElement.classList.add("has-js");

  var S = P.strings();
  var code = document.body.getAttribute("data-code");
  var base = "/api/v1/workshops/" + encodeURIComponent(code);
  var renderers = {};
  var loaders = [];

  var state = {
    dots: {},               // proposal id -> dots in the step that counts (phone + paper)
    tallied: false,
    paper: null,            // {step_position, dots, total} for the vote step that counts
    merges: [],
    similar: null,          // {groups} once loaded
    selected: [],           // proposal ids chosen for a merge, in the order they were chosen
    editingProposal: null,  // proposal id whose text is being edited
    editingStep: null       // step id being edited
  };
  // The snapshot and the last tally live in the store (state.js); modules read them here.
  Object.defineProperty(state, "snapshot", { get: function () { return store.state.snapshot; } });
  Object.defineProperty(state, "tally", { get: function () { return store.state.tally; } });

  function $(id) { return document.getElementById(id); }

  function fmt(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (all, name) {
      return Object.prototype.hasOwnProperty.call(values || {}, name) ? String(values[name]) : all;
    });
  }

  function t(name, values) { return fmt(S[name], values); }

  function label(group, value) {
    var labels = S[group] || {};
    return labels[value] || value || "";
  }

  function setText(id, text) {
    var node = typeof id === "string" ? $(id) : id;
    if (node && node.textContent !== String(text)) node.textContent = String(text);
  }

  function say(message, isError) {
    var node = $("facilitator-status");
    node.textContent = message || "";
    node.className = "status-line" + (message ? (isError ? " is-error" : " is-ok") : "");
    node.setAttribute("role", isError ? "alert" : "status");
  }

  function errorText(response) {
    var error = response && response.data && response.data.error;
    return (error && error.message) || S.error;
  }

  /* A button with visible text and, for screen readers, what it acts on. */
  function button(text, context, attrs) {
    var all = { type: "button" };
    Object.keys(attrs || {}).forEach(function (k) { all[k] = attrs[k]; });
    return P.el("button", all, [
      document.createTextNode(text),
      context ? P.el("span", { className: "visually-hidden", text: " – " + context }) : null
    ]);
  }

  /* Mark a form or button as working: its buttons are disabled, except the focused one,
     which only says so (aria-disabled), so keyboard focus stays where it was. */
  function busy(node, on) {
    var buttons = node.tagName === "BUTTON" ? [node] : node.querySelectorAll("button");
    Array.prototype.forEach.call(buttons, function (b) {
      if (on) {
        if (b === document.activeElement) b.setAttribute("aria-disabled", "true");
        else { b.setAttribute("data-was-disabled", b.disabled ? "1" : ""); b.disabled = true; }
      } else {
        b.removeAttribute("aria-disabled");
        if (b.hasAttribute("data-was-disabled")) {
          b.disabled = b.getAttribute("data-was-disabled") === "1";
          b.removeAttribute("data-was-disabled");
        }
      }
    });
    node.setAttribute("aria-busy", on ? "true" : "false");
  }

  /* While a request runs, its form and buttons take no second click. */
  document.addEventListener("click", function (event) {
    var target = event.target.closest && event.target.closest('button[aria-disabled="true"]');
    if (target) { event.preventDefault(); event.stopImmediatePropagation(); }
  }, true);
  document.addEventListener("submit", function (event) {
    if (event.target.getAttribute("aria-busy") === "true") {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  /* Call the API as the facilitator. Resolves with the response (ok or not); a network
     failure is reported on the status line and resolves with {ok: false, network: true}. */
  function call(method, path, body, options) {
    var node = options && options.busy;
    if (node) busy(node, true);
    return P.api(method, base + path, body, "facilitator").then(function (response) {
      if (node) busy(node, false);
      if (!response.ok && !(options && options.quiet)) say(errorText(response), true);
      return response;
    }, function () {
      if (node) busy(node, false);
      say(S.network, true);
      return { ok: false, network: true, status: 0, data: {} };
    });
  }

  /* Re-render a container and put the focus back on the control that had it (matched by
     data-focus), so live updates never throw a keyboard user out of the list. */
  function keepFocus(container, render) {
    var active = document.activeElement;
    var key = active && container.contains(active) ? active.getAttribute("data-focus") : null;
    var hadFocus = active && container.contains(active);
    var caret = null;
    try { if (hadFocus && typeof active.selectionStart === "number") caret = [active.selectionStart, active.selectionEnd]; } catch (e) { caret = null; }
    render();
    if (!hadFocus) return;
    if (active.isConnected && container.contains(active)) {
      if (document.activeElement !== active) {
        active.focus();
        if (caret) { try { active.setSelectionRange(caret[0], caret[1]); } catch (e) { /* not a text field */ } }
      }
      return;
    }
    var again = key ? container.querySelector('[data-focus="' + key + '"]') : null;
    if (again && !again.disabled) again.focus();
    else if (!container.contains(document.activeElement)) {
      if (container.hasAttribute("tabindex")) container.focus();
    }
  }

  /* A copy of a <template>'s first element, with "__" in ids and label references
     replaced by a prefix that is unique on the page. */
  function fromTemplate(id, prefix) {
    var node = $(id).content.firstElementChild.cloneNode(true);
    var all = [node].concat(Array.prototype.slice.call(node.querySelectorAll("*")));
    all.forEach(function (el) {
      ["id", "for", "aria-describedby", "aria-labelledby"].forEach(function (name) {
        var value = el.getAttribute(name);
        if (value && value.indexOf("__") !== -1) el.setAttribute(name, value.split("__").join(prefix));
      });
    });
    return node;
  }

  /* ---- state --------------------------------------------------------- */

  function proposalById(id) {
    var list = state.snapshot ? state.snapshot.proposals : [];
    for (var i = 0; i < list.length; i += 1) if (list[i].id === id) return list[i];
    return null;
  }

  function stepById(id) {
    var steps = state.snapshot ? state.snapshot.steps || [] : [];
    for (var i = 0; i < steps.length; i += 1) if (steps[i].id === id) return steps[i];
    return null;
  }

  /* Merge a proposal into the state. Socket events for visible proposals carry the public
     payload plus meta; the staff fields they lack (original text) are kept, and an edit seen
     for the first time keeps the text as it was, as the server does. */
  function upsertProposal(proposal, meta) {
    if (!state.snapshot || !proposal) return null;
    var incoming = {};
    Object.keys(proposal).forEach(function (k) { incoming[k] = proposal[k]; });
    Object.keys(meta || {}).forEach(function (k) { incoming[k] = meta[k]; });
    var known = proposalById(incoming.id);
    if (!known) {
      if (!("classification_settled" in incoming)) {
        incoming.classification_settled = incoming.source !== "phone" && incoming.change_level != null;
      }
      if (!("merged_into_id" in incoming)) incoming.merged_into_id = null;
      if (!("original_title" in incoming)) { incoming.original_title = null; incoming.original_body = null; }
      state.snapshot.proposals.push(incoming);
      return incoming;
    }
    if (!("original_title" in incoming) &&
        known.original_title == null && known.original_body == null &&
        (incoming.title !== known.title || (incoming.body || "") !== (known.body || ""))) {
      known.original_title = known.title;
      known.original_body = known.body;
    }
    if (!("merged_into_id" in incoming) && incoming.status && incoming.status !== "merged") {
      known.merged_into_id = null;
    }
    Object.keys(incoming).forEach(function (k) { known[k] = incoming[k]; });
    return known;
  }

  function replaceStep(step) {
    if (!state.snapshot || !step) return;
    var steps = state.snapshot.steps || [];
    for (var i = 0; i < steps.length; i += 1) {
      if (steps[i].id === step.id) { steps[i] = step; break; }
    }
    if (state.snapshot.step && state.snapshot.step.id === step.id) state.snapshot.step = step;
  }

  function applyAgenda(data) {
    if (!state.snapshot || !data) return;
    if (data.steps) {
      state.snapshot.steps = data.steps;
      state.snapshot.step_count = data.steps.length;
    }
    if (data.current) applyCurrent(data.current);
    refresh(["steps", "timer", "paper", "proposals"]);
  }

  function applyCurrent(step, revealed) {
    var snapshot = state.snapshot;
    var moved = snapshot.step.position !== step.position || snapshot.step.id !== step.id;
    snapshot.step = step;
    var steps = snapshot.steps || [];
    for (var i = 0; i < steps.length; i += 1) {
      if (steps[i].id === step.id) steps[i] = step;
    }
    if (typeof revealed === "boolean") snapshot.revealed = revealed;
    return moved;
  }

  function applyStepChange(step, revealed) {
    if (!state.snapshot || !step) return;
    var moved = applyCurrent(step, revealed);
    refresh(["steps", "timer", "proposals", "paper"]);
    if (moved) say(t("moved", { title: step.title }));
  }

  function applyTimer(data) {
    if (!state.snapshot || !data) return;
    var step = stepById(data.step_id);
    if (step) step.timer = data.timer;
    if (state.snapshot.step.id === data.step_id) state.snapshot.step.timer = data.timer;
    refresh(["timer", "steps"]);
  }

  function applyReveal(data) {
    if (!state.snapshot || !data) return;
    var step = stepById(data.step_id);
    if (step) step.revealed = data.revealed;
    if (state.snapshot.step.id === data.step_id) state.snapshot.step.revealed = data.revealed;
    if (typeof data.results_revealed === "boolean") state.snapshot.revealed = data.results_revealed;
    refresh(["steps"]);
  }

  function applyWorkshop(data) {
    if (!state.snapshot || !data) return;
    if (typeof data.joining_open === "boolean") state.snapshot.joining_open = data.joining_open;
    if (typeof data.show_qr === "boolean") state.snapshot.show_qr = data.show_qr;
    refresh(["room"]);
  }

  function upsertMerge(merge) {
    if (!merge) return;
    for (var i = 0; i < state.merges.length; i += 1) {
      if (state.merges[i].id === merge.id) { state.merges[i] = merge; return; }
    }
    state.merges.unshift(merge);
    state.merges.sort(function (a, b) { return b.id - a.id; });
  }

  function applyPaper(data) {
    if (!data) return;
    state.paper = data;
    refresh(["proposals", "paper"]);
  }

  /* ---- rendering ------------------------------------------------------ */

  function register(area, render) {
    (renderers[area] = renderers[area] || []).push(render);
  }

  /* Run a loader after every snapshot (initial and on reconnect). */
  function onSnapshot(load) { loaders.push(load); }

  /* What each area draws from; an area re-renders when its part changed. */
  var parts = {
    steps: function (s) { return [s.steps, s.step, s.step_count, s.revealed]; },
    timer: function (s) { return [s.step, s.steps]; },
    followup: function (s) { return [s.actions, s.action_suggestions, s.notes, s.closed, s.report_published]; },
    proposals: function (s) { return [s.proposals, s.step, s.steps, s.revealed, state.tally]; },
    paper: function (s) { return [s.proposals, s.step, s.steps, state.tally]; },
    counts: function (s) { return [s.participants, s.voters]; },
    seating: function (s) { return [s.participants]; },
    room: function (s) { return [s.joining_open, s.show_qr]; }
  };
  var drawn = {};

  function partOf(area) {
    var s = state.snapshot;
    return JSON.stringify(parts[area] ? parts[area](s) : [s.proposals]);
  }

  function refresh(areas) {
    if (!state.snapshot) return;
    (areas || Object.keys(renderers)).forEach(function (area) {
      drawn[area] = partOf(area);
      (renderers[area] || []).forEach(function (render) { render(); });
    });
  }

  /* Replace a server-drawn section (escaped there) with the one on a freshly fetched page;
     a section the facilitator is typing or choosing in is left alone until the next change. */
  function redrawSection(id) {
    fetch(window.location.pathname, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById(id);
        var current = document.getElementById(id);
        if (!fresh || !current || current.contains(document.activeElement)) return;
        current.replaceWith(document.importNode(fresh, true));
      })
      .catch(function () { /* offline: the next snapshot redraws */ });
  }

  function renderChanged() {
    if (!state.snapshot) return;
    refresh(Object.keys(renderers).filter(function (area) { return drawn[area] !== partOf(area); }));
  }

  function renderCounts() {
    setText("participant-count", String(state.snapshot.participants || 0));
    setText("voter-count", String(state.snapshot.voters || 0));
  }
  register("counts", renderCounts);

  function renderRoom() {
    var snapshot = state.snapshot;
    [["joining-open", "joining-state", snapshot.joining_open],
     ["show-qr", "qr-state", snapshot.show_qr]].forEach(function (row) {
      var box = $(row[0]);
      var note = $(row[1]);
      if (!box) return;
      if (!box.hasAttribute("aria-busy") || box.getAttribute("aria-busy") !== "true") box.checked = !!row[2];
      setText(note, note.getAttribute(row[2] ? "data-on" : "data-off"));
      box.closest(".switch").setAttribute("data-on", row[2] ? "true" : "false");
    });
  }
  register("room", renderRoom);

  function toggleWorkshop(box, field) {
    var body = {};
    body[field] = box.checked;
    box.setAttribute("aria-busy", "true");
    call("PATCH", "", body).then(function (response) {
      box.removeAttribute("aria-busy");
      if (response.ok) {
        applyWorkshop(response.data);
        if (field === "joining_open") say(response.data.joining_open ? S.joining_on : S.joining_off);
        else say(response.data.show_qr ? S.qr_on : S.qr_off);
      } else {
        refresh(["room"]);
      }
    });
  }

  /* ---- live ----------------------------------------------------------- */

  function resync() {
    P.api("GET", base, undefined, "facilitator").then(function (response) {
      if (response.ok && response.data && response.data.step) store.dispatch("snapshot", response.data);
    }).catch(function () { /* the next reconnect resyncs */ });
  }

  function takeSnapshot(snapshot) {
    var known = {};
    snapshot.proposals.forEach(function (p) { if (p.status !== "merged") known[p.id] = true; });
    state.selected = state.selected.filter(function (id) { return known[id]; });
    refresh();
    loaders.forEach(function (load) { load(); });
  }

  function takeTally(tally) {
    var dots = {};
    (tally.proposals || []).forEach(function (row) { dots[row.id] = row.dots; });
    state.dots = dots;
    state.tallied = true;
  }

  /* Render on change: the store has applied the message; this adds what the snapshot does not
     hold (merges, paper dots), then redraws the areas whose part of the state changed. */
  var lastStep = null;
  store.subscribe(function (kind, data) {
    if (kind === "snapshot") {
      lastStep = data.step;
      takeSnapshot(data);
      return;
    }
    if (kind === "tally") takeTally(data);
    var type = kind === "event" ? data.type : null;
    var detail = (data && data.data) || {};
    if (type === "merge_created" || type === "merge_undone") {
      upsertMerge(detail.merge);
      refresh(["merges"]);
    } else if (type === "participant_table") {
      refresh(["seating"]);
    } else if (type === "paper_dots" && (!state.paper || state.paper.step_position === detail.step_position)) {
      state.paper = detail;
      refresh(["paper"]);
    }
    if (store.state.stale.snapshot) { store.state.stale.snapshot = false; resync(); }
    var step = state.snapshot && state.snapshot.step;
    if (type === "step_changed" && lastStep && step &&
        (lastStep.position !== step.position || lastStep.id !== step.id)) {
      say(t("moved", { title: step.title }));
    }
    lastStep = step;
    renderChanged();
  });

  function setConnection(name) {
    var node = $("connection");
    node.setAttribute("data-state", name);
    node.textContent = S[name];
  }

  /* ---- forms that were already here --------------------------------- */

  function submitStep(form) {
    var action = form.querySelector("input[name=action]");
    var position = form.querySelector("input[name=position]");
    var body = action ? { action: action.value } : { position: parseInt(position.value, 10) };
    call("POST", "/step", body, { busy: form }).then(function (response) {
      if (response.ok && response.data.step) applyStepChange(response.data.step);
    });
  }

  function newClientKey() {
    var bytes = new Uint8Array(12);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function submitProposal(form) {
    var keyField = form.querySelector("input[name=client_key]");
    if (!keyField.value) keyField.value = newClientKey();
    var body = {
      title: form.elements.title.value,
      body: form.elements.body.value,
      client_key: keyField.value,
      source: "paper"
    };
    if (form.elements.category.value) body.category = form.elements.category.value;
    call("POST", "/proposals", body, { busy: form }).then(function (response) {
      if (!response.ok) return;
      upsertProposal(response.data);
      refresh(["proposals", "queue", "paper", "similar"]);
      form.reset();
      keyField.value = newClientKey();
      say(S.added);
      form.elements.title.focus();
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.classList.contains("step-form")) {
      event.preventDefault();
      submitStep(form);
    } else if (form.id === "add-proposal-form") {
      event.preventDefault();
      submitProposal(form);
    }
  });

  document.addEventListener("change", function (event) {
    if (event.target.id === "joining-open") toggleWorkshop(event.target, "joining_open");
    else if (event.target.id === "show-qr") toggleWorkshop(event.target, "show_qr");
  });

  window.PlanverkstedDesk = {
    P: P, S: S, code: code, base: base, state: state,
    $: $, fmt: fmt, t: t, label: label, setText: setText, say: say, errorText: errorText,
    button: button, busy: busy, redrawSection: redrawSection, keepFocus: keepFocus, fromTemplate: fromTemplate, call: call, register: register, onSnapshot: onSnapshot,
    refresh: refresh, proposalById: proposalById, stepById: stepById,
    upsertProposal: upsertProposal, upsertMerge: upsertMerge, replaceStep: replaceStep,
    applyAgenda: applyAgenda, applyStepChange: applyStepChange, applyTimer: applyTimer,
    applyReveal: applyReveal, applyPaper: applyPaper, resync: resync
  };

  /* The modules load after this file (all deferred); connect once every one has registered. */
  document.addEventListener("DOMContentLoaded", function () {
    setConnection("connecting");
    P.live({
      workshop: code,
      as: "facilitator",
      onState: setConnection,
      onSnapshot: function (snapshot) { store.dispatch("snapshot", snapshot); },
      onEvent: function (event) { store.dispatch("event", event); },
      onTally: function (tally) { store.dispatch("tally", tally); },
      onProgress: function (progress) { store.dispatch("progress", progress); }
    });
  });
})();
