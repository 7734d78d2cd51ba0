/* Projector view: follows the workshop live. Read-only; every text goes in with textContent.
   Modules: state.js (the client state and what the wall shows: its view() decides the mode),
   projector-theme.js (theme before first paint), projector-pager.js (long lists page by
   themselves), projector-results.js (results of dots, agree and rate steps). */
(function () {
  "use strict";

  var P = window.Planverksted;
  var State = window.PlanverkstedState;
  if (!P || !P.Pager || !P.results || !State) return;
  var store = State.store();
  State.expose(window, store); // read-only, for tests
  var S = P.strings();
  var body = document.body;
  var code = body.getAttribute("data-code");
  var audience = body.getAttribute("data-as") || "projector";
  var base = "/api/v1/workshops/" + encodeURIComponent(code);
  var PAGE_SECONDS = 8;
  var THEME_KEY = "planverksted-projector-theme";

  var state = {
    model: null, // results as drawn: from the tally at once, then from the analysis
    seen: null,
    timer: null, // {data, received}
    lastMode: null
  };
  // The snapshot and tally live in the store; this screen only reads them.
  Object.defineProperty(state, "snapshot", { get: function () { return store.state.snapshot; } });
  Object.defineProperty(state, "tally", { get: function () { return store.state.tally; } });

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

  var pagers = {
    feed: new P.Pager($("proposal-feed")),
    results: new P.Pager($("results")),
    legend: new P.Pager($("matrix-legend"))
  };

  /* ---- what the wall shows ---------------------------------------------------------------- */

  function countingStep() { return State.countingStep(state.snapshot); }

  function resultKind(step) { return State.resultKind(step); }

  function modeFor() { return State.view(state.snapshot).mode; }

  function joinState() { return State.view(state.snapshot).join; }

  function visibleProposals() {
    return state.snapshot.proposals.filter(function (p) { return p.status === "visible"; });
  }

  function titleOf(id) {
    var found = state.snapshot.proposals.filter(function (p) { return p.id === id; })[0];
    return found ? found.title : "#" + id;
  }

  function renderStep() {
    var snapshot = state.snapshot;
    var step = snapshot.step;
    var mode = modeFor();
    var counting = countingStep();
    var stage = $("stage");
    stage.setAttribute("data-kind", step.kind);
    stage.setAttribute("data-mode", mode);
    stage.setAttribute("data-result-kind", resultKind(counting));
    stage.setAttribute("data-revealed", snapshot.revealed ? "true" : "false");
    stage.setAttribute("data-version", String(snapshot.version));
    stage.setAttribute("data-join", joinState());
    setText("workshop-title", snapshot.title);
    setText("step-counter", fmt(S.step_counter, { n: step.position + 1, total: snapshot.step_count }));
    setText("step-title", step.title);
    var prompt = $("step-prompt");
    prompt.textContent = step.prompt || "";
    prompt.hidden = !step.prompt;
    document.title = step.title + " – " + snapshot.title;
    ["feed", "progress", "results", "actions", "info"].forEach(function (name) {
      $("panel-" + name).hidden = name !== mode;
    });
    var join = joinState();
    setText("info-text", join === "qr" ? S.info_join : join === "corner" ? S.info_join_code : S.info_follow);
    setText("participant-count", plural("participants", snapshot.participants));
    if (mode !== state.lastMode) {
      pagers.feed.index = 0;
      pagers.results.index = 0;
      pagers.legend.index = 0;
    }
    state.lastMode = mode;
    return mode;
  }

  /* ---- the actions step: the growing list of actions ----------------------------------------- */

  function renderActions() {
    var list = $("action-wall");
    var actions = state.snapshot.actions || [];
    $("actions-empty").hidden = actions.length > 0;
    list.textContent = "";
    actions.forEach(function (action) {
      var bodies = S.bodies || {};
      var facts = [
        S.owner + ": " + (action.owner || S.not_settled),
        S.due + ": " + (action.due ? action.due.split("-").reverse().join(".") : S.not_settled),
        S.decided_by + ": " + (action.decided_by ? bodies[action.decided_by] || action.decided_by : S.not_settled)
      ].join(" · ");
      list.appendChild(P.el("li", { "data-id": String(action.id) }, [
        P.el("p", { className: "action-what", text: action.what }),
        P.el("p", { className: "action-facts", text: facts })
      ]));
    });
  }

  /* ---- the live feed ---------------------------------------------------------------------- */

  /* On a review step the feed is grouped by change level (who can make the change), and by
     theme (plan area) within a level; a level not yet settled counts by its suggestion. */
  var LEVELS = ["lokal", "regional", "nasjonal", ""];

  function levelOf(proposal) {
    var level = proposal.change_level || proposal.suggested_change_level || "";
    return LEVELS.indexOf(level) >= 0 ? level : "";
  }

  function byLevel(a, b) {
    var order = LEVELS.indexOf(levelOf(a)) - LEVELS.indexOf(levelOf(b));
    if (order) return order;
    var themeA = a.category || "\uffff", themeB = b.category || "\uffff";
    if (themeA !== themeB) return themeA < themeB ? -1 : 1;
    return a.id - b.id;
  }

  function renderFeed() {
    var list = $("proposal-feed");
    var grouped = state.snapshot.step.kind === "review";
    var proposals = visibleProposals().slice().sort(grouped ? byLevel : function (a, b) { return b.id - a.id; });
    var seen = state.seen;
    var nextSeen = {};
    var arrived = false;
    var fragment = document.createDocumentFragment();
    var lastLevel = null;
    list.setAttribute("data-grouped", grouped ? "change_level" : "");
    proposals.forEach(function (proposal) {
      if (grouped && levelOf(proposal) !== lastLevel) {
        lastLevel = levelOf(proposal);
        fragment.appendChild(P.el("li", { className: "feed-group", "data-level": lastLevel || "none" }, [
          P.el("h3", { className: "feed-group-title", text: S["level_" + (lastLevel || "none")] })
        ]));
      }
      var item = P.el("li", { "data-id": String(proposal.id) }, [
        P.el("p", { className: "feed-title", text: proposal.title }),
        proposal.body ? P.el("p", { className: "feed-body", text: proposal.body }) : null,
        proposal.category ? P.el("p", { className: "feed-category", text: proposal.category }) : null
      ]);
      if (seen && !seen[proposal.id]) { item.className = "is-new"; arrived = true; }
      nextSeen[proposal.id] = true;
      fragment.appendChild(item);
    });
    state.seen = nextSeen;
    list.textContent = "";
    list.appendChild(fragment);
    setText("feed-count", plural("feed_count", proposals.length));
    $("feed-empty").hidden = proposals.length > 0;
    if (!$("panel-feed").hidden) pagers.feed.layout(!arrived); // a new proposal: back to page 1
  }

  /* ---- progress before the reveal --------------------------------------------------------- */

  function voters() {
    var counting = countingStep();
    if (state.tally && typeof state.tally.voters === "number" &&
        (!counting || state.tally.step === counting.position)) return state.tally.voters;
    return state.snapshot.voters || 0;
  }

  function renderProgress() {
    var count = voters();
    var participants = state.snapshot.participants || 0;
    setText("voter-count", String(count));
    setText("progress-label", S["progress_" + resultKind(countingStep())]);
    setText("progress-of", plural("of_participants", participants));
    var share = participants > 0 ? Math.min(1, count / participants) : 0;
    $("progress-fill").style.width = (share * 100).toFixed(1) + "%";
  }

  /* ---- results after the reveal ----------------------------------------------------------- */

  var resultRefs = {
    list: $("results"),
    empty: $("results-empty"),
    voters: $("results-voters"),
    roles: $("results-roles"),
    legendKey: $("results-legend"),
    matrixLayout: $("matrix-layout"),
    matrix: $("matrix"),
    legend: $("matrix-legend"),
    summary: $("matrix-summary"),
    unrated: $("matrix-unrated"),
    explanation: $("results-explanation"),
    suppressed: $("results-suppressed")
  };

  function clearResults() {
    state.model = null;
    resultRefs.list.textContent = "";
    resultRefs.legend.textContent = "";
    resultRefs.matrix.textContent = "";
  }

  function tallyCounts(tally) {
    var counting = countingStep();
    return tally && counting && tally.step === counting.position && tally.kind === resultKind(counting);
  }

  function renderResults() {
    if (modeFor() !== "results") {
      clearResults(); // before the reveal the numbers stay out of the page altogether
      return;
    }
    var counting = countingStep();
    var kind = resultKind(counting);
    if (state.model && (state.model.step !== counting.position || state.model.kind !== kind)) state.model = null;
    if (!state.model && tallyCounts(state.tally)) {
      state.model = P.results.fromTally(state.tally, counting.criteria, titleOf);
    }
    if (!state.model) {
      requestAnalysis(true);
      return;
    }
    resultRefs.visibleCount = visibleProposals().length;
    var step = state.snapshot.step;
    state.model.byLevel = step.kind === "results" && step.breakdown === "change_level";
    state.model.byTable = step.kind === "results" && step.breakdown === "table";
    state.model.rows.forEach(function (row) {
      var known = state.snapshot.proposals.filter(function (p) { return p.id === row.id; })[0];
      if (known) row.title = known.title;
    });
    P.results.render(resultRefs, state.model, S);
    if (kind === "rate") pagers.legend.layout(true);
    else pagers.results.layout(true);
    showPageNote();
  }

  var analysis = { timer: null, busy: false, again: false, last: 0 };

  /* Fetch the role analysis: at once on the reveal, then at most every two seconds. */
  function requestAnalysis(now) {
    if (analysis.timer) {
      if (!now) return;
      window.clearTimeout(analysis.timer);
    }
    var wait = now ? 0 : Math.max(0, 2000 - (Date.now() - analysis.last));
    analysis.timer = window.setTimeout(function () {
      analysis.timer = null;
      fetchAnalysis();
    }, wait);
  }

  function fetchAnalysis() {
    if (analysis.busy) { analysis.again = true; return; }
    if (!state.snapshot || modeFor() !== "results") return;
    analysis.busy = true;
    analysis.last = Date.now();
    P.api("GET", base + "/analysis", undefined, audience).then(function (response) {
      analysis.busy = false;
      var counting = state.snapshot && countingStep();
      if (response.ok && response.data && response.data.proposals && counting &&
          modeFor() === "results" && response.data.step && response.data.step.position === counting.position) {
        state.model = P.results.build(response.data);
        renderResults();
      }
      if (analysis.again) { analysis.again = false; requestAnalysis(false); }
    }).catch(function () {
      analysis.busy = false;
    });
  }

  /* ---- the timer -------------------------------------------------------------------------- */

  function setTimer(data) {
    // When this payload first arrived: its server_time belongs to that moment.
    if (data && !data.__received) data.__received = Date.now();
    state.timer = data ? { data: data, received: data.__received } : null;
    renderTimer();
  }

  function secondsLeft() {
    var t = state.timer && state.timer.data;
    if (!t) return null;
    if (t.running && t.ends_at) {
      var serverNow = Date.now() + (Date.parse(t.server_time) - state.timer.received);
      if (isNaN(serverNow)) serverNow = Date.now();
      return Math.max(0, Math.ceil((Date.parse(t.ends_at) - serverNow) / 1000));
    }
    return Math.max(0, t.remaining || 0);
  }

  function clock(seconds) {
    var hours = Math.floor(seconds / 3600);
    var minutes = Math.floor((seconds % 3600) / 60);
    var rest = seconds % 60;
    var mm = hours ? (minutes < 10 ? "0" : "") + minutes : String(minutes);
    return (hours ? hours + ":" : "") + mm + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function renderTimer() {
    var box = $("timer");
    var t = state.timer && state.timer.data;
    var stage = $("stage");
    if (!t) {
      box.hidden = true;
      box.setAttribute("data-state", "none");
      stage.setAttribute("data-timer", "none");
      return;
    }
    var left = secondsLeft();
    var name;
    if (left === 0) name = "done";
    else if (t.running) name = left <= 60 ? "warning" : "running";
    else name = left < (t.seconds || 0) ? "paused" : "ready";
    box.hidden = false;
    box.setAttribute("data-state", name);
    stage.setAttribute("data-timer", name);
    setText("timer-time", clock(left));
    setText("timer-label", name === "done" ? S.timer_done : name === "paused" ? S.timer_paused :
      name === "ready" ? S.timer_ready : S.timer_left);
  }

  window.setInterval(function () {
    if (state.timer && state.timer.data && state.timer.data.running) renderTimer();
  }, 250);

  /* ---- paging ----------------------------------------------------------------------------- */

  function activePager() {
    var mode = state.snapshot ? modeFor() : $("stage").getAttribute("data-mode");
    if (mode === "feed") return pagers.feed;
    if (mode === "results") {
      return $("stage").getAttribute("data-result-kind") === "rate" ? pagers.legend : pagers.results;
    }
    return null;
  }

  function showPageNote() {
    var pager = activePager();
    var note = $("pager");
    var pages = pager ? pager.count() : 0;
    note.hidden = pages < 2;
    note.textContent = pages < 2 ? "" : fmt(S.page, { n: pager.index + 1, total: pages });
  }

  window.setInterval(function () {
    var pager = activePager();
    if (pager && pager.next()) showPageNote();
  }, PAGE_SECONDS * 1000);

  function relayout() {
    var mode = $("stage").getAttribute("data-mode");
    if (mode === "feed") pagers.feed.layout(true);
    if (mode === "results") {
      if ($("stage").getAttribute("data-result-kind") === "rate") pagers.legend.layout(true);
      else pagers.results.layout(true);
    }
    showPageNote();
  }

  /* ---- everything ------------------------------------------------------------------------- */

  function renderAll() {
    if (!state.snapshot) return;
    renderStep();
    setTimer(state.snapshot.step.timer || null);
    renderFeed();
    renderProgress();
    renderResults();
    showPageNote();
  }

  function setConnection(name) {
    var node = $("connection");
    node.setAttribute("data-state", name);
    node.textContent = name === "online" ? S.online : S.offline;
  }

  function resync() {
    P.api("GET", base, undefined, audience)
      .then(function (response) {
        if (response.ok && response.data && response.data.step) store.dispatch("snapshot", response.data);
      })
      .catch(function () { /* the next reconnect resyncs */ });
  }

  /* Render on change: the store has applied the message; the parts whose data changed redraw. */
  var drawn = {};
  function changed(part, value) {
    var key = JSON.stringify(value === undefined ? null : value);
    if (drawn[part] === key) return false;
    drawn[part] = key;
    return true;
  }

  store.subscribe(function (kind, data) {
    if (kind === "snapshot") {
      drawn = {};
      renderAll();
      if (modeFor() === "results") requestAnalysis(true);
      return;
    }
    if (kind === "tally" || kind === "progress") {
      renderProgress();
      if (modeFor() !== "results") return;
      if (kind === "tally" && state.model && tallyCounts(data)) {
        P.results.merge(state.model, data, titleOf);
        renderResults();
        requestAnalysis(false);
      } else if (kind === "tally") {
        renderResults();
      }
      return;
    }
    if (store.state.stale.snapshot) { store.state.stale.snapshot = false; resync(); }
    var type = data && data.type;
    if (type === "proposal_removed" && state.model) {
      var gone = (data.data || {}).id;
      state.model.rows = state.model.rows.filter(function (r) { return r.id !== gone; });
    }
    var snapshot = state.snapshot;
    var mode = renderStep(); // cheap: texts and attributes
    if (changed("timer", snapshot.step.timer)) setTimer(snapshot.step.timer || null);
    if (changed("actions", [snapshot.actions, mode]) && mode === "actions") renderActions();
    var feed = changed("feed", [snapshot.proposals, mode]);
    if (feed) renderFeed();
    renderProgress();
    var results = changed("results", [snapshot.proposals, snapshot.step, snapshot.steps, snapshot.revealed, mode]);
    if (results) renderResults();
    if (feed || results) relayout();
    if (mode === "results" && (type === "revealed" || type === "step_changed")) requestAnalysis(true);
    else if (mode === "results" && results) requestAnalysis(false);
  });

  /* ---- theme, full screen, idle controls -------------------------------------------------- */

  var root = document.documentElement;
  var themeButton = $("theme-toggle");

  function showTheme() {
    var light = root.getAttribute("data-theme") === "light";
    themeButton.setAttribute("aria-pressed", light ? "true" : "false");
    themeButton.textContent = S.theme_light;
  }

  themeButton.addEventListener("click", function () {
    var next = root.getAttribute("data-theme") === "light" ? "dark" : "light";
    root.setAttribute("data-theme", next);
    try { window.localStorage.setItem(THEME_KEY, next); } catch (e) { /* not remembered */ }
    showTheme();
  });
  if (!root.getAttribute("data-theme")) root.setAttribute("data-theme", "dark");
  showTheme();

  var fullButton = $("fullscreen");
  if (document.fullscreenEnabled && root.requestFullscreen) {
    fullButton.hidden = false;
    fullButton.addEventListener("click", function () {
      if (document.fullscreenElement) document.exitFullscreen();
      else root.requestFullscreen().catch(function () { /* refused: stay windowed */ });
    });
    document.addEventListener("fullscreenchange", function () {
      fullButton.textContent = document.fullscreenElement ? S.fullscreen_exit : S.fullscreen_enter;
    });
  }

  var idleTimer = null;
  function wake() {
    $("stage").classList.remove("is-idle");
    window.clearTimeout(idleTimer);
    idleTimer = window.setTimeout(function () { $("stage").classList.add("is-idle"); }, 4000);
  }
  ["mousemove", "keydown", "touchstart"].forEach(function (name) {
    document.addEventListener(name, wake, { passive: true });
  });
  wake();

  /* ---- start ------------------------------------------------------------------------------ */

  window.requestAnimationFrame(relayout); // the feed the server rendered, before the socket answers

  var resizeTimer = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(function () {
      if (state.snapshot) { renderResults(); }
      relayout();
    }, 150);
  });

  P.live({
    workshop: code,
    as: audience,
    onState: setConnection,
    onSnapshot: function (snapshot) { store.dispatch("snapshot", snapshot); },
    onEvent: function (event) { store.dispatch("event", event); },
    onTally: function (tally) { store.dispatch("tally", tally); },
    onProgress: function (progress) { store.dispatch("progress", progress); }
  });
})();
