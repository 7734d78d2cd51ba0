/* Facilitator screen: steer the steps, follow proposals and counts live, type in paper notes.
   Works without this script (plain forms); with it, nothing reloads. */
(function () {
  "use strict";

  var P = window.Planverksted;
  if (!P) return;
  var S = P.strings();
  var code = document.body.getAttribute("data-code");
  var base = "/api/v1/workshops/" + encodeURIComponent(code);
  var state = { snapshot: null, dots: {}, tallied: false };

  function $(id) { return document.getElementById(id); }

  function fmt(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (all, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : all;
    });
  }

  function label(group, value) {
    var labels = S[group] || {};
    return labels[value] || value || "";
  }

  function setText(id, text) {
    var node = $(id);
    if (node && node.textContent !== String(text)) node.textContent = String(text);
  }

  function say(message, isError) {
    var node = $("facilitator-status");
    node.textContent = message || "";
    node.className = "status-line" + (message ? (isError ? " is-error" : " is-ok") : "");
    node.setAttribute("role", isError ? "alert" : "status");
  }

  /* ---- steps ---------------------------------------------------------- */

  function csrf() { return $("step-list").getAttribute("data-csrf") || ""; }

  function hidden(name, value) {
    return P.el("input", { type: "hidden", name: name, value: String(value) });
  }

  function stepItem(step, current) {
    var isCurrent = step.position === current;
    var attrs = { "data-position": String(step.position), "data-kind": step.kind };
    if (isCurrent) { attrs["aria-current"] = "step"; attrs.className = "is-current"; }
    var action;
    if (isCurrent) {
      action = P.el("span", { className: "step-now", text: S.now });
    } else {
      action = P.el("form", {
        method: "post", action: $("step-list").getAttribute("data-action"), className: "step-form"
      }, [
        hidden("csrf", csrf()),
        hidden("position", step.position),
        P.el("button", { type: "submit", className: "secondary small" }, [
          document.createTextNode(S.go_here),
          P.el("span", {
            className: "visually-hidden", text: " – " + fmt(S.go_to, { n: step.position + 1, title: step.title })
          })
        ])
      ]);
    }
    return P.el("li", attrs, [
      P.el("span", { className: "step-number", "aria-hidden": "true", text: String(step.position + 1) }),
      P.el("span", { className: "step-text" }, [
        P.el("span", { className: "step-title", text: step.title }),
        label("kinds", step.kind) !== step.title
          ? P.el("span", { className: "step-kind", text: label("kinds", step.kind) }) : null
      ]),
      action
    ]);
  }

  function renderSteps() {
    var snapshot = state.snapshot;
    var step = snapshot.step;
    var steps = snapshot.steps || [];
    var last = steps.length - 1;
    var current = $("current-step");
    current.setAttribute("data-position", String(step.position));
    current.setAttribute("data-kind", step.kind);
    setText("current-step-counter", fmt(S.step_counter, { n: step.position + 1, total: snapshot.step_count }));
    setText("current-step-kind", label("kinds", step.kind));
    setText("current-step-title", step.title);
    var prompt = $("current-step-prompt");
    prompt.textContent = step.prompt || "";
    prompt.hidden = !step.prompt;

    $("step-previous").disabled = step.position <= 0;
    $("step-next").disabled = step.position >= last;
    setText("step-next-label", step.position < last
      ? fmt(S.next_to, { title: steps[step.position + 1].title }) : S.last_step);

    var list = $("step-list");
    var focused = document.activeElement && list.contains(document.activeElement);
    var fragment = document.createDocumentFragment();
    steps.forEach(function (s) { fragment.appendChild(stepItem(s, step.position)); });
    list.textContent = "";
    list.appendChild(fragment);
    if (focused) $("step-next").focus();
  }

  /* ---- proposals ------------------------------------------------------ */

  function sortByDots() {
    var kind = state.snapshot.step.kind;
    return state.tallied && (kind === "vote" || kind === "results");
  }

  function proposalItem(proposal) {
    var dots = state.dots[proposal.id] || 0;
    var meta = [
      P.el("span", { className: "badge status status-" + proposal.status, text: label("statuses", proposal.status) }),
      proposal.category ? P.el("span", { className: "badge category", text: proposal.category }) : null,
      proposal.change_level ? P.el("span", { className: "badge level", text: proposal.change_level }) : null,
      P.el("span", { className: "source", text: label("sources", proposal.source) })
    ];
    if (state.tallied && (dots > 0 || sortByDots())) {
      meta.unshift(P.el("span", {
        className: dots ? "dots" : "dots is-zero", text: fmt(dots === 1 ? S.dots_one : S.dots_other, { n: dots })
      }));
    }
    return P.el("li", { "data-id": String(proposal.id), "data-status": proposal.status }, [
      P.el("p", { className: "proposal-title", text: proposal.title }),
      proposal.body ? P.el("p", { className: "proposal-body", text: proposal.body }) : null,
      P.el("p", { className: "proposal-meta" }, meta)
    ]);
  }

  function renderProposals() {
    var proposals = state.snapshot.proposals.slice();
    var byDots = sortByDots();
    proposals.sort(function (a, b) {
      if (byDots) {
        var diff = (state.dots[b.id] || 0) - (state.dots[a.id] || 0);
        if (diff) return diff;
      }
      return b.id - a.id;
    });
    var list = $("proposal-list");
    var scroll = list.scrollTop;
    var fragment = document.createDocumentFragment();
    proposals.forEach(function (p) { fragment.appendChild(proposalItem(p)); });
    list.textContent = "";
    list.appendChild(fragment);
    list.scrollTop = scroll;
    setText("proposal-count", String(proposals.length));
    setText("proposal-sort", byDots ? S.sort_dots : S.sort_newest);
    $("proposals-empty").hidden = proposals.length > 0;
  }

  /* ---- counts --------------------------------------------------------- */

  function renderCounts() {
    setText("participant-count", String(state.snapshot.participants || 0));
    setText("voter-count", String(state.snapshot.voters || 0));
  }

  function renderAll() {
    if (!state.snapshot) return;
    renderSteps();
    renderProposals();
    renderCounts();
  }

  /* ---- live ----------------------------------------------------------- */

  function resync() {
    P.api("GET", base, undefined, "facilitator").then(function (response) {
      if (response.ok && response.data && response.data.step) {
        state.snapshot = response.data;
        renderAll();
      }
    }).catch(function () { /* the next reconnect resyncs */ });
  }

  function upsertProposal(proposal, meta) {
    var list = state.snapshot.proposals;
    var merged = {};
    Object.keys(proposal).forEach(function (k) { merged[k] = proposal[k]; });
    Object.keys(meta || {}).forEach(function (k) { merged[k] = meta[k]; });
    for (var i = 0; i < list.length; i += 1) {
      if (list[i].id === merged.id) {
        Object.keys(merged).forEach(function (k) { list[i][k] = merged[k]; });
        return;
      }
    }
    list.push(merged);
  }

  function applyStep(step, revealed) {
    var snapshot = state.snapshot;
    var moved = snapshot.step.position !== step.position;
    snapshot.step = step;
    if (typeof revealed === "boolean") snapshot.revealed = revealed;
    else if (step.kind === "results") snapshot.revealed = true;
    renderSteps();
    renderProposals();
    if (moved) say(fmt(S.moved, { title: step.title }));
  }

  function onEvent(event) {
    if (!state.snapshot) return;
    var data = event.data || {};
    state.snapshot.version = event.version;
    if (event.type === "step_changed") {
      applyStep(data.step, data.revealed);
    } else if (event.type === "proposal_added") {
      upsertProposal(data.proposal, data.meta);
      renderProposals();
    } else if (event.type === "participants") {
      state.snapshot.participants = data.participants;
      renderCounts();
    } else {
      resync();
    }
  }

  function onTally(tally) {
    var dots = {};
    (tally.proposals || []).forEach(function (row) { dots[row.id] = row.dots; });
    state.dots = dots;
    state.tallied = true;
    if (!state.snapshot) return;
    state.snapshot.voters = tally.voters;
    renderCounts();
    renderProposals();
  }

  function setConnection(name) {
    var node = $("connection");
    node.setAttribute("data-state", name);
    node.textContent = name === "online" ? S.online : S.offline;
  }

  /* ---- forms ---------------------------------------------------------- */

  function busy(form, on) {
    Array.prototype.forEach.call(form.querySelectorAll("button"), function (button) {
      if (on) { button.setAttribute("data-was-disabled", button.disabled ? "1" : ""); button.disabled = true; }
      else { button.disabled = button.getAttribute("data-was-disabled") === "1"; }
    });
    form.setAttribute("aria-busy", on ? "true" : "false");
  }

  function errorText(response) {
    var error = response.data && response.data.error;
    return (error && error.message) || S.error;
  }

  function submitStep(form) {
    var action = form.querySelector("input[name=action]");
    var position = form.querySelector("input[name=position]");
    var body = action ? { action: action.value } : { position: parseInt(position.value, 10) };
    busy(form, true);
    P.api("POST", base + "/step", body, "facilitator").then(function (response) {
      busy(form, false);
      if (!response.ok) { say(errorText(response), true); return; }
      if (state.snapshot && response.data.step) applyStep(response.data.step);
    }).catch(function () {
      busy(form, false);
      say(S.network, true);
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
    busy(form, true);
    P.api("POST", base + "/proposals", body, "facilitator").then(function (response) {
      busy(form, false);
      if (!response.ok) { say(errorText(response), true); return; }
      if (state.snapshot) { upsertProposal(response.data); renderProposals(); }
      form.reset();
      keyField.value = newClientKey();
      say(S.added);
      form.elements.title.focus();
    }).catch(function () {
      busy(form, false);
      say(S.network, true);
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

  P.live({
    workshop: code,
    as: "facilitator",
    onState: setConnection,
    onSnapshot: function (snapshot) {
      state.snapshot = snapshot;
      renderAll();
    },
    onEvent: onEvent,
    onTally: onTally,
    onProgress: function (progress) {
      if (!state.snapshot) return;
      state.snapshot.voters = progress.voters;
      renderCounts();
    }
  });
})();
