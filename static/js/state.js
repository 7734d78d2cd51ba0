/* The one client state: applies `snapshot`, `event`, `tally` and `progress` (and a phone's own
   answers from its HTTP replies, "me") to a snapshot-shaped object that every screen renders
   from. It also decides what the projector shows (view()): nowhere else does.
   Runs in the browser (window.PlanverkstedState) and in node (module.exports) for the tests.
   The invariant, tested in tests/test_client_state.py: snapshot + every message received =
   a fresh snapshot of the same audience. It stores what the server sends, never interprets it. */
(function (root) {
  "use strict";

  var STAFF_ONLY = ["change_level", "suggested_change_level", "classification_settled", "source"];
  var NEW_STAFF_DEFAULTS = { merged_into_id: null, original_title: null, original_body: null };

  function copy(value) { return value == null ? value : JSON.parse(JSON.stringify(value)); }

  function create() {
    // base: the version of the last snapshot. Events of one commit share a version, so events are
    // dropped only when the snapshot already holds them, never because a sibling came first.
    return { snapshot: null, tally: null, base: 0, stale: {} };
  }

  /* ---- what the projector shows --------------------------------------------------------- */

  /* The steps that prioritise: dots, agree / disagree / pass, ratings. */
  var PRIORITISING = { vote: true, agree: true, rate: true };

  /* The vote, agree or rate step that counts now: the latest reached, else the first (as the server). */
  function countingStep(snapshot) {
    if (!snapshot.steps) {
      return PRIORITISING[snapshot.step.kind] ? snapshot.step : null;
    }
    var steps = snapshot.steps.filter(function (s) { return PRIORITISING[s.kind]; });
    var reached = steps.filter(function (s) { return s.position <= snapshot.step.position; });
    if (reached.length) return reached[reached.length - 1];
    return steps.length ? steps[0] : null;
  }

  function resultKind(step) {
    if (!step) return "dots";
    if (step.kind === "rate") return "rate";
    return step.kind === "agree" || step.mode === "agree" ? "agree" : "dots";
  }

  /* feed (live proposals), progress (how many answered), results (after the reveal), actions
     (the room's actions so far) or info;
     join: qr (QR code, address and code), corner (address and code only) or closed. */
  function view(snapshot) {
    var kind = snapshot.step.kind;
    var counting = countingStep(snapshot);
    var mode = "info";
    if (kind === "collect" || kind === "review") mode = "feed";
    else if (kind === "actions") mode = "actions";
    else if (PRIORITISING[kind] || (kind === "results" && counting)) {
      mode = snapshot.revealed ? "results" : "progress";
    }
    var join = snapshot.joining_open === false ? "closed" : snapshot.show_qr === false ? "corner" : "qr";
    return { mode: mode, counting: counting, resultKind: resultKind(counting), join: join };
  }

  /* ---- applying messages ---------------------------------------------------------------- */

  function isStaff(s) { return s.audience === "facilitator" || s.audience === "projector"; }

  function eachStep(s, id, change) {
    (s.steps || []).forEach(function (step, i) { if (step.id === id) s.steps[i] = change(step); });
    if (s.step && s.step.id === id) s.step = change(s.step);
  }

  function setStep(s, step) {
    eachStep(s, step.id, function () { return copy(step); });
    s.step = copy(step);
  }

  /* A phone's own answers belong to the current step; after a move they come from its next
     fetch (participant.js reloads the step), so they start empty and are marked stale. */
  function resetMe(state) {
    var me = state.snapshot.me;
    if (!me) return;
    delete me.allocations; delete me.remaining; delete me.stances; delete me.ratings;
    var step = state.snapshot.step;
    if (step.kind === "vote" && step.mode !== "agree") {
      me.allocations = {};
      me.remaining = step.votes_per_participant;
    } else if (step.kind === "agree" || step.kind === "vote") {
      me.stances = {};
    } else if (step.kind === "rate") {
      me.ratings = {};
    }
    state.stale.me = true;
  }

  function prioritising(s) { return !!PRIORITISING[s.step.kind]; }

  function upsertProposal(state, proposal, meta) {
    var s = state.snapshot;
    var index = -1;
    s.proposals.forEach(function (p, i) { if (p.id === proposal.id) index = i; });
    var seesAll = s.audience === "facilitator";
    if (!seesAll && proposal.status !== "visible") {
      if (index >= 0) s.proposals.splice(index, 1);
      if (index >= 0 && typeof s.proposals_total === "number") s.proposals_total -= 1;
      return;
    }
    var next = index >= 0 ? s.proposals[index] : {};
    if (index < 0 && isStaff(s)) Object.keys(NEW_STAFF_DEFAULTS).forEach(function (k) { next[k] = NEW_STAFF_DEFAULTS[k]; });
    Object.keys(proposal).forEach(function (k) { next[k] = proposal[k]; });
    if (meta && isStaff(s)) STAFF_ONLY.forEach(function (k) { if (k in meta) next[k] = meta[k]; });
    if (isStaff(s) && proposal.status !== "merged" && !("merged_into_id" in proposal)) {
      next.merged_into_id = null; // only a merged proposal points to its survivor
    }
    if (index < 0) {
      // a snapshot of the newest few counts them all: an older one changing is not new
      var older = typeof s.proposals_total === "number" && s.proposals.length < s.proposals_total &&
        s.proposals.length > 0 && proposal.id < s.proposals[0].id;
      if (older) return;
      if (typeof s.proposals_total === "number") s.proposals_total += 1;
      s.proposals.push(next);
      s.proposals.sort(function (a, b) { return a.id - b.id; });
    }
  }

  function applyEvent(state, event) {
    var s = state.snapshot;
    var data = event.data || {};
    if (event.version <= state.base) return false;
    s.version = Math.max(s.version, event.version);
    switch (event.type) {
      case "step_changed":
        setStep(s, data.step);
        if (typeof data.revealed === "boolean") s.revealed = data.revealed;
        if (typeof data.voters === "number") s.voters = data.voters;
        resetMe(state);
        break;
      case "agenda_changed":
        if (data.steps) { s.steps = copy(data.steps); s.step_count = data.steps.length; }
        if (data.current && data.current.id === s.step.id) s.step = copy(data.current);
        if (typeof data.revealed === "boolean") s.revealed = data.revealed;
        if (typeof data.voters === "number") s.voters = data.voters;
        break;
      case "step_count":
        s.step_count = data.step_count;
        break;
      case "timer":
        eachStep(s, data.step_id, function (step) { return Object.assign({}, step, { timer: copy(data.timer) }); });
        break;
      case "revealed":
        eachStep(s, data.step_id, function (step) { return Object.assign({}, step, { revealed: data.revealed }); });
        s.revealed = !!data.results_revealed;
        if (s.me && prioritising(s)) state.stale.me = true;
        break;
      case "workshop_changed":
        if (typeof data.joining_open === "boolean") s.joining_open = data.joining_open;
        if (typeof data.show_qr === "boolean") s.show_qr = data.show_qr;
        break;
      case "proposal_added":
      case "proposal_updated":
        if (data.proposal) upsertProposal(state, data.proposal, data.meta);
        if (s.me && prioritising(s)) state.stale.me = true; // dots may have come back (undo merge)
        break;
      case "proposals_changed": // a phone's batch: each proposal whole, added or changed
        (data.proposals || []).forEach(function (proposal) { upsertProposal(state, proposal); });
        if (s.me && prioritising(s)) state.stale.me = true;
        break;
      case "proposal_removed":
        if (s.audience !== "facilitator") {
          s.proposals = s.proposals.filter(function (p) { return p.id !== data.id; });
          if (typeof s.proposals_total === "number") s.proposals_total -= 1; // it was visible
        } // the facilitator gets the proposal's new status in a proposal_updated of the same version
        if (s.me && prioritising(s)) state.stale.me = true; // dots may have moved to a survivor
        break;
      case "participants":
        s.participants = data.participants;
        break;
      case "actions_changed":
        if (isStaff(s) || s.closed) s.actions = copy(data.actions);
        if (s.action_suggestions) {
          var kept = (data.actions || []).map(function (a) { return a.id; });
          s.action_suggestions = s.action_suggestions.filter(function (x) { return kept.indexOf(x.action_id) >= 0; });
        }
        break;
      case "action_suggested":
        if (s.audience === "facilitator") (s.action_suggestions = s.action_suggestions || []).push(copy(data.suggestion));
        break;
      case "workshop_closed":
        s.closed = true;
        s.closed_at = data.closed_at;
        s.report_published = !!data.report_published;
        s.actions = copy(data.actions);
        s.notes = copy(data.notes);
        break;
      case "note_added":
        (s.notes = s.notes || []).push(copy(data.note));
        break;
      case "report_published":
        s.report_published = !!data.report_published;
        break;
      case "merge_created":
      case "merge_undone":
      case "paper_dots":
      case "participant_table":
        break; // not part of the snapshot: the facilitator's modules keep them
      default:
        state.stale.snapshot = true; // unknown: the screen fetches a fresh snapshot
    }
    return true;
  }

  /* Apply one message: kind is "snapshot", "event", "tally", "progress" or "me". Returns true
     when the state changed (the screen renders). Mutates state; keeps its own copies. */
  function apply(state, kind, data) {
    if (kind === "snapshot") {
      state.snapshot = copy(data);
      state.base = data.version;
      state.stale = {};
      return true;
    }
    if (kind === "tally") state.tally = copy(data);
    var s = state.snapshot;
    if (!s) return kind === "tally";
    if (kind === "event") return applyEvent(state, data);
    if (kind === "tally" || kind === "progress") {
      if (typeof data.version === "number") s.version = Math.max(s.version, data.version);
      var counting = countingStep(s);
      if (kind === "progress" || data.step == null || (counting && data.step === counting.position)) {
        s.voters = data.voters;
      }
      if (kind === "progress" && state.tally) state.tally.voters = data.voters;
      return true;
    }
    if (kind === "me" && s.me) {
      Object.keys(data).forEach(function (k) { s.me[k] = copy(data[k]); });
      state.stale.me = false;
      return true;
    }
    return false;
  }

  /* A store for a page: dispatch messages, subscribe renderers (called on every change). */
  function store() {
    var state = create();
    var listeners = [];
    return {
      state: state,
      dispatch: function (kind, data) {
        var changed = apply(state, kind, data);
        if (changed) listeners.forEach(function (listener) { listener(kind, data, state); });
        return changed;
      },
      subscribe: function (listener) { listeners.push(listener); },
      view: function () { return state.snapshot ? view(state.snapshot) : null; }
    };
  }

  /* Tests read a page's state read-only: window.planverkstedState is a copy. */
  function expose(target, pageStore) {
    Object.defineProperty(target, "planverkstedState", {
      configurable: true,
      get: function () { return copy(pageStore.state.snapshot); }
    });
  }

  var api = {
    create: create, apply: apply, store: store, view: view, countingStep: countingStep,
    resultKind: resultKind, expose: expose
  };
  if (typeof module === "object" && module.exports) module.exports = api;
  if (root) root.PlanverkstedState = api;
})(typeof window !== "undefined" ? window : null);
