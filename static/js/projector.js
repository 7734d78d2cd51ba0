/* Projector view: follows the workshop live. Read-only; every text goes in with textContent. */
(function () {
  "use strict";

  var P = window.Planverksted;
  if (!P) return;
  var S = P.strings();
  var body = document.body;
  var code = body.getAttribute("data-code");
  var audience = body.getAttribute("data-as") || "projector";

  var state = { snapshot: null, tally: null, seen: null };

  function $(id) { return document.getElementById(id); }

  function fmt(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (all, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : all;
    });
  }

  function plural(key, n) {
    return fmt(n === 1 ? S[key + "_one"] : S[key + "_other"], { n: n });
  }

  function setText(id, text) {
    var node = $(id);
    if (node && node.textContent !== text) node.textContent = text;
  }

  function modeFor(snapshot) {
    var kind = snapshot.step.kind;
    if (kind === "collect" || kind === "review") return "feed";
    if (kind === "vote") return "progress";
    if (kind === "results") return snapshot.revealed ? "results" : "progress";
    return "info";
  }

  function visibleProposals() {
    return state.snapshot.proposals.filter(function (p) { return p.status === "visible"; });
  }

  /* Hide the items at the end of a list that do not fit in its box; say how many are shown. */
  function fit(list, noteId, noteKey) {
    var items = Array.prototype.slice.call(list.children);
    items.forEach(function (item) { item.hidden = false; });
    var bottom = list.getBoundingClientRect().bottom;
    var shown = 0;
    items.forEach(function (item) {
      if (shown > 0 && item.getBoundingClientRect().bottom > bottom + 1) item.hidden = true;
      else shown += 1;
    });
    // A hidden item can leave a later item of the same grid row visible: keep order strict.
    var cut = false;
    items.forEach(function (item) {
      if (item.hidden) cut = true;
      else if (cut) { item.hidden = true; shown -= 1; }
    });
    var note = $(noteId);
    if (note) {
      note.hidden = shown >= items.length;
      note.textContent = note.hidden ? "" : fmt(S[noteKey], { n: shown });
    }
  }

  function renderStep() {
    var snapshot = state.snapshot;
    var step = snapshot.step;
    var mode = modeFor(snapshot);
    var stage = $("stage");
    stage.setAttribute("data-kind", step.kind);
    stage.setAttribute("data-mode", mode);
    stage.setAttribute("data-revealed", snapshot.revealed ? "true" : "false");
    stage.setAttribute("data-version", String(snapshot.version));
    setText("workshop-title", snapshot.title);
    setText("step-counter", fmt(S.step_counter, { n: step.position + 1, total: snapshot.step_count }));
    setText("step-title", step.title);
    var prompt = $("step-prompt");
    prompt.textContent = step.prompt || "";
    prompt.hidden = !step.prompt;
    document.title = step.title + " – " + snapshot.title;
    ["feed", "progress", "results", "info"].forEach(function (name) {
      $("panel-" + name).hidden = name !== mode;
    });
    setText("info-text", step.kind === "rate" ? S.info_rate : S.info_join);
    setText("participant-count", plural("participants", snapshot.participants));
    return mode;
  }

  function renderFeed() {
    var list = $("proposal-feed");
    var proposals = visibleProposals().slice().sort(function (a, b) { return b.id - a.id; });
    var seen = state.seen;
    var nextSeen = {};
    var fragment = document.createDocumentFragment();
    proposals.forEach(function (proposal) {
      var item = P.el("li", { "data-id": String(proposal.id) }, [
        P.el("p", { className: "feed-title", text: proposal.title }),
        proposal.body ? P.el("p", { className: "feed-body", text: proposal.body }) : null,
        proposal.category ? P.el("p", { className: "feed-category", text: proposal.category }) : null
      ]);
      if (seen && !seen[proposal.id]) item.className = "is-new";
      nextSeen[proposal.id] = true;
      fragment.appendChild(item);
    });
    state.seen = nextSeen;
    list.textContent = "";
    list.appendChild(fragment);
    setText("feed-count", fmt(S.feed_count, { n: proposals.length }));
    $("feed-empty").hidden = proposals.length > 0;
    if (!$("panel-feed").hidden) fit(list, "feed-more", "feed_more");
  }

  function voters() {
    if (state.tally && typeof state.tally.voters === "number") return state.tally.voters;
    return state.snapshot.voters || 0;
  }

  function renderProgress() {
    var count = voters();
    var participants = state.snapshot.participants || 0;
    setText("voter-count", String(count));
    setText("progress-of", plural("of_participants", participants));
    var share = participants > 0 ? Math.min(1, count / participants) : 0;
    $("progress-fill").style.width = (share * 100).toFixed(1) + "%";
  }

  function titleOf(id) {
    var found = state.snapshot.proposals.filter(function (p) { return p.id === id; })[0];
    return found ? found.title : "#" + id;
  }

  function renderResults() {
    var list = $("results");
    if (modeFor(state.snapshot) !== "results") {
      // Before the reveal the numbers stay out of the page altogether.
      list.textContent = "";
      return;
    }
    if (state.tally) {
      var ranked = state.tally.proposals
        .filter(function (row) { return row.dots > 0; })
        .sort(function (a, b) { return b.dots - a.dots || a.id - b.id; });
      var top = ranked.length ? ranked[0].dots : 1;
      var fragment = document.createDocumentFragment();
      ranked.forEach(function (row, index) {
        fragment.appendChild(P.el("li", {
          "data-id": String(row.id), "data-dots": String(row.dots), "data-share": String(row.dots / top)
        }, [
          P.el("span", { className: "result-rank", text: String(index + 1) }),
          P.el("span", { className: "result-title", text: titleOf(row.id) }),
          P.el("span", { className: "result-count", text: plural("dots", row.dots) }),
          P.el("span", { className: "result-bar", "aria-hidden": "true" }, [
            P.el("span", { className: "result-fill" })
          ])
        ]));
      });
      list.textContent = "";
      list.appendChild(fragment);
      setText("results-voters", plural("voted", state.tally.voters));
      $("results-empty").hidden = ranked.length > 0;
    }
    applyBars(list);
    if (!$("panel-results").hidden) fit(list, "results-more", "results_more");
  }

  function applyBars(list) {
    Array.prototype.forEach.call(list.querySelectorAll("li"), function (item) {
      var share = parseFloat(item.getAttribute("data-share")) || 0;
      var fill = item.querySelector(".result-fill");
      if (fill) fill.style.width = Math.max(0.5, share * 100).toFixed(1) + "%";
    });
  }

  function renderAll() {
    if (!state.snapshot) return;
    renderStep();
    renderFeed();
    renderProgress();
    renderResults();
  }

  function setConnection(name) {
    var node = $("connection");
    node.setAttribute("data-state", name);
    node.textContent = name === "online" ? S.online : S.offline;
  }

  function resync() {
    P.api("GET", "/api/v1/workshops/" + encodeURIComponent(code), undefined, audience)
      .then(function (response) {
        if (response.ok && response.data && response.data.step) {
          state.snapshot = response.data;
          renderAll();
        }
      })
      .catch(function () { /* the next reconnect resyncs */ });
  }

  function onEvent(event) {
    var snapshot = state.snapshot;
    if (!snapshot) return;
    var data = event.data || {};
    snapshot.version = event.version;
    if (event.type === "step_changed") {
      snapshot.step = data.step;
      snapshot.revealed = !!data.revealed;
      renderAll();
    } else if (event.type === "proposal_added") {
      var proposal = data.proposal;
      var known = snapshot.proposals.some(function (p) { return p.id === proposal.id; });
      if (!known) snapshot.proposals.push(proposal);
      renderFeed();
    } else if (event.type === "participants") {
      snapshot.participants = data.participants;
      setText("participant-count", plural("participants", snapshot.participants));
      renderProgress();
    } else {
      // Moderation, merges, edits …: fetch what the projector may see now.
      resync();
    }
  }

  // Lay out what the server rendered before the socket answers.
  applyBars($("results"));
  window.requestAnimationFrame(function () {
    if (!$("panel-feed").hidden) fit($("proposal-feed"), "feed-more", "feed_more");
    if (!$("panel-results").hidden) fit($("results"), "results-more", "results_more");
  });

  var resizeTimer = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(renderAll, 150);
  });

  P.live({
    workshop: code,
    as: audience,
    onState: setConnection,
    onSnapshot: function (snapshot) {
      state.snapshot = snapshot;
      renderAll();
    },
    onEvent: onEvent,
    onTally: function (tally) {
      state.tally = tally;
      if (!state.snapshot) return;
      state.snapshot.voters = tally.voters;
      renderProgress();
      renderResults();
    },
    onProgress: function (progress) {
      if (!state.snapshot) return;
      state.snapshot.voters = progress.voters;
      if (state.tally) state.tally.voters = progress.voters;
      renderProgress();
    }
  });
})();
