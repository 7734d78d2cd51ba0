/* The phone: follows the current step, sends proposals and dots, resyncs after reconnects.
   Works on top of plain HTML forms; without this script the forms still work. */
(function () {
  "use strict";
  document.documentElement.classList.add("has-js"); // the "saved at once" lines are true now
  var P = window.Planverksted;
  var code = document.body.getAttribute("data-code");
  var base = "/api/v1/workshops/" + code;
  var strings = P.strings();
  var container = document.getElementById("step-container");
  var announcer = document.getElementById("announcer");
  var connection = document.getElementById("connection");
  var queueKey = "planverksted-outbox-" + code;
  var saveTimer = null;
  var saving = false;
  var resend = false; // dots changed while a save was on its way: send the newest when it answers
  var unsaved = false; // the last save found no network: send the dots again on reconnect
  var refreshTimer = null;
  var edits = 0; // dots changed or saved on this phone: a step drawn before then is not shown
  var touched = 0; // when a finger or key last went down in the step: never redraw under it
  var TOUCH_QUIET_MS = 1000;

  function text(name, values) {
    var template = strings[name] || "";
    Object.keys(values || {}).forEach(function (key) {
      template = template.split("{" + key + "}").join(String(values[key]));
    });
    return template;
  }

  function announce(message) {
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = message; }, 50);
  }

  function currentSection() { return document.getElementById("step"); }

  /* A new step: bring its heading to the top of the screen and put focus on it, so a phone
     scrolled far down the last step's list sees the new one and a screen reader reads its
     title. The heading is focusable from script only (tabindex -1). */
  function showNewStep(title) {
    if (!title) return;
    title.setAttribute("tabindex", "-1");
    title.scrollIntoView({ block: "start" });
    title.focus({ preventScroll: true });
  }

  /* Dots changed here and not yet saved, an answer on its way, or a tap in progress: a step
     redrawn between a finger's down and up would swallow the tap. */
  function busy() {
    return saving || unsaved || saveTimer !== null || Date.now() - touched < TOUCH_QUIET_MS ||
      Boolean(P.prioritiseBusy && P.prioritiseBusy());
  }

  function noteTouch() { touched = Date.now(); }
  container.addEventListener("pointerdown", noteTouch, true);
  container.addEventListener("keydown", noteTouch, true);

  function refreshStep() {
    var editsBefore = edits;
    var feed = document.getElementById("feed");
    var size = feed ? "?feed=" + encodeURIComponent(feed.getAttribute("data-size") || "") : "";
    return fetch("/j/" + code + "/step" + size, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null) { watchPendingResults(); return; }
        var doc = new DOMParser().parseFromString(html, "text/html");
        var section = doc.getElementById("step");
        if (!section) return;
        var old = currentSection();
        var changedStep = !old || old.dataset.position !== section.dataset.position;
        if (!changedStep && (busy() || edits !== editsBefore)) {
          // Drawn before this phone's latest dots reached the server: it would take them back.
          scheduleRefresh();
          return;
        }
        var focused = document.activeElement && document.activeElement.id;
        var wasPending = Boolean(old && old.dataset.resultsPending);
        if (changedStep) unsaved = false; // the dots' step is over
        container.replaceChildren(document.adoptNode(section));
        enhance();
        readTimer(changedStep);
        watchTimer();
        watchPendingResults();
        if (wasPending && !changedStep && !section.dataset.resultsPending) announce(strings.results_ready);
        if (changedStep && old) {
          showNewStep(document.getElementById("step-title"));
        } else if (!changedStep && focused) {
          // The same step drawn again (a proposal merged, hidden or edited): keep the place.
          var again = document.getElementById(focused);
          if (again && again.focus) again.focus({ preventScroll: true });
        }
      })
      .catch(function () { watchPendingResults(); /* offline: the next connect resyncs */ });
  }

  /* Results still being worked out when the step was drawn (the server waited a few seconds):
     fetch the step again a little later, each phone at its own moment, until they are there. */
  var pendingTimer = null;

  function watchPendingResults() {
    window.clearTimeout(pendingTimer);
    pendingTimer = null;
    var section = currentSection();
    if (!section || section.dataset.resultsPending !== "true") return;
    pendingTimer = window.setTimeout(function () {
      pendingTimer = null;
      if (busy()) { scheduleRefresh(); return; }
      refreshStep();
    }, 3000 + Math.random() * 2000);
  }

  /* Fetch the step again a little later; each phone waits its own random time, so a hall full of
     phones does not ask at the same moment, and never while an answer is being saved. */
  function scheduleRefresh() {
    window.clearTimeout(refreshTimer);
    refreshTimer = window.setTimeout(function () {
      if (busy()) { scheduleRefresh(); return; }
      refreshStep();
    }, 300 + Math.random() * 1500);
  }

  /* ---- proposals, with an outbox so a proposal written offline is sent exactly once ---- */

  function readOutbox() {
    try { return JSON.parse(window.localStorage.getItem(queueKey) || "[]"); } catch (e) { return []; }
  }
  function writeOutbox(items) {
    try { window.localStorage.setItem(queueKey, JSON.stringify(items)); } catch (e) { /* private mode */ }
  }

  function sendProposal(item) {
    return P.api("POST", base + "/proposals", item, "participant");
  }

  var outboxHeldBack = false;

  function flushOutbox() {
    var items = readOutbox();
    if (!items.length) return;
    var item = items[0];
    sendProposal(item).then(function (result) {
      if (result.status === 429) {
        /* Held back by the workshop's limit: keep it, say why once, try again later. */
        if (!outboxHeldBack) announce((result.data.error && result.data.error.message) || strings.error);
        outboxHeldBack = true;
        window.setTimeout(flushOutbox, 30000);
        return;
      }
      outboxHeldBack = false;
      if (result.ok || (result.status >= 400 && result.status < 500)) {
        writeOutbox(readOutbox().filter(function (other) { return other.client_key !== item.client_key; }));
        if (result.ok) announce(strings.sent);
        flushOutbox();
      }
    }).catch(function () { /* still offline */ });
  }

  function newClientKey() {
    if (window.crypto && window.crypto.getRandomValues) {
      var bytes = new Uint8Array(12);
      window.crypto.getRandomValues(bytes);
      return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
    }
    return String(Date.now()) + String(Math.random()).slice(2);
  }

  function showFormError(form, message) {
    var box = form.querySelector(".notice-error");
    if (!box) {
      box = P.el("p", { className: "notice notice-error", role: "alert" });
      form.insertBefore(box, form.firstChild);
    }
    box.textContent = message;
  }

  function enhanceProposalForm(form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var item = {
        title: form.elements.title.value,
        body: form.elements.body.value,
        client_key: form.elements.client_key.value
      };
      if (form.elements.category && form.elements.category.value) item.category = form.elements.category.value;
      if (form.elements.change_level && form.elements.change_level.value) item.change_level = form.elements.change_level.value;
      var button = form.querySelector("button[type=submit]");
      button.disabled = true;
      sendProposal(item).then(function (result) {
        button.disabled = false;
        if (!result.ok) {
          showFormError(form, (result.data.error && result.data.error.message) || strings.error);
          return;
        }
        form.reset();
        form.elements.client_key.value = newClientKey();
        var box = form.querySelector(".notice-error");
        if (box) box.remove();
        announce(strings.sent);
        addToFeed(result.data);
      }).catch(function () {
        button.disabled = false;
        writeOutbox(readOutbox().concat([item]));
        form.reset();
        form.elements.client_key.value = newClientKey();
        announce(strings.queued);
      });
    });
  }

  /* The collect step's list of proposals, newest first: the newest few on arrival, older ones
     behind «show older» (the count is of them all). */
  function feedCount(change) {
    var count = document.getElementById("feed-count");
    if (!count) return;
    var total = (parseInt(count.getAttribute("data-total"), 10) || 0) + change;
    count.setAttribute("data-total", String(total));
    count.textContent = String(total);
  }

  function addToFeed(proposal) {
    var feed = document.getElementById("feed");
    if (!feed || !proposal || proposal.status && proposal.status !== "visible") return;
    var item = feed.querySelector('[data-id="' + proposal.id + '"]');
    if (item) {
      item.textContent = proposal.title;
      return;
    }
    var oldest = feed.lastElementChild;
    if (oldest && document.getElementById("feed-more") &&
        proposal.id < parseInt(oldest.getAttribute("data-id"), 10)) {
      return; // an older proposal changed, behind «show older»: it is counted already
    }
    item = P.el("li", { text: proposal.title, "data-id": String(proposal.id) });
    var after = Array.prototype.filter.call(feed.children, function (other) {
      return parseInt(other.getAttribute("data-id"), 10) < proposal.id;
    })[0];
    feed.insertBefore(item, after || null);
    feedCount(1);
  }

  function dropFromFeed(id) {
    var feed = document.getElementById("feed");
    var item = feed && feed.querySelector('[data-id="' + id + '"]');
    if (item) {
      item.remove();
      feedCount(-1);
    } else if (feed && document.getElementById("feed-more")) {
      feedCount(-1); // one of the older ones, not listed here
    }
  }

  /* ---- the step's timer: counts down from ends_at corrected by server_time; announces only
     one minute left and time up ---- */

  var clock = { data: null, received: 0, position: null, last: null };

  function timerNode() { return document.getElementById("step-timer"); }

  function readTimer(changedStep) {
    var node = timerNode();
    var section = currentSection();
    if (changedStep || !section || clock.position !== section.dataset.position) {
      clock.last = null;
      clock.position = section ? section.dataset.position : null;
    }
    if (!node || node.hidden) { clock.data = null; return; }
    clock.data = {
      running: node.dataset.running === "true",
      ends_at: node.dataset.endsAt || null,
      server_time: node.dataset.serverTime || null,
      remaining: parseInt(node.dataset.remaining, 10) || 0,
      seconds: parseInt(node.dataset.seconds, 10) || 0
    };
    clock.received = Date.now();
    tick();
  }

  function setTimer(data) {
    var node = timerNode();
    if (!node) return;
    clock.data = data || null;
    clock.received = Date.now();
    node.hidden = !data;
    tick();
  }

  function secondsLeft() {
    var t = clock.data;
    if (t.running && t.ends_at) {
      var offset = Date.parse(t.server_time) - clock.received;
      var now = Date.now() + (isNaN(offset) ? 0 : offset);
      return Math.max(0, Math.ceil((Date.parse(t.ends_at) - now) / 1000));
    }
    return Math.max(0, t.remaining || 0);
  }

  function tick() {
    var node = timerNode();
    if (!node || !clock.data) return;
    var left = secondsLeft();
    var t = clock.data;
    var name = left === 0 ? "done" : t.running ? "running" : left < t.seconds ? "paused" : "ready";
    node.dataset.state = name;
    var label = document.getElementById("step-timer-label");
    var time = document.getElementById("step-timer-time");
    var wanted = strings["timer_" + name] || "";
    if (label && label.textContent !== wanted) label.textContent = wanted;
    var shown = Math.floor(left / 60) + ":" + ("0" + (left % 60)).slice(-2);
    if (time && time.textContent !== shown) time.textContent = shown;
    if (t.running && clock.last !== null) {
      if (clock.last > 60 && left <= 60 && left > 0) announce(strings.one_minute);
      if (clock.last > 0 && left === 0) announce(strings.time_up);
    }
    clock.last = t.running ? left : null;
  }

  window.setInterval(function () { if (clock.data && clock.data.running) tick(); }, 500);

  /* Scrolled down a long list: the timer floats in a corner so it stays in sight. */
  var floater = window.IntersectionObserver ? new window.IntersectionObserver(function (entries) {
    var node = timerNode();
    if (node) node.classList.toggle("is-floating", !entries[0].isIntersecting);
  }) : null;

  function watchTimer() {
    var top = document.querySelector(".step-top");
    if (!floater || !top) return;
    floater.disconnect();
    floater.observe(top);
  }

  /* ---- dots ---- */

  function voteInputs(form) { return Array.prototype.slice.call(form.querySelectorAll(".dots-input")); }

  function allocationOf(form) {
    var allocation = {};
    voteInputs(form).forEach(function (input) {
      var value = parseInt(input.value, 10);
      if (value > 0) allocation[input.id.replace("dots-", "")] = value;
    });
    return allocation;
  }

  function showCounts(form) {
    voteInputs(form).forEach(function (input) {
      var count = document.getElementById(input.id.replace("dots-", "count-"));
      var n = parseInt(input.value, 10) || 0;
      if (count) count.textContent = text(n === 1 ? "count_one" : "count_other", { n: n });
    });
  }

  /* With no dots left the + buttons are marked disabled and point to the visible "no dots
     left" line for the reason. aria-disabled, not disabled: the button pressed for the last dot
     keeps the keyboard focus instead of dropping it on the page. */
  function showRemaining(form, remaining) {
    showCounts(form);
    var node = document.getElementById("remaining");
    node.dataset.remaining = String(remaining);
    node.textContent = text(remaining === 1 ? "remaining_one" : "remaining_other", { n: remaining });
    var none = remaining <= 0;
    var noDots = document.getElementById("no-dots");
    if (noDots) noDots.hidden = !none;
    var cap = parseInt(form.dataset.cap, 10) || Infinity;
    form.querySelectorAll("button.inc").forEach(function (button) {
      var count = button.dataset.target.replace("dots-", "count-");
      var full = (parseInt(document.getElementById(button.dataset.target).value, 10) || 0) >= cap;
      if (none || full) button.setAttribute("aria-disabled", "true");
      else button.removeAttribute("aria-disabled");
      var reason = none && noDots ? " no-dots" : (full ? " at-cap" : "");
      button.setAttribute("aria-describedby", count + reason);
    });
  }

  /* "At most N dots on one proposal": shown when + is pressed on a proposal at the cap. */
  function showAtCap(shown) {
    var node = document.getElementById("at-cap");
    if (node) node.hidden = !shown;
  }

  /* The visible word on saving; screen readers hear "saved" through #announcer. */
  function showVoteState(message) {
    var node = document.getElementById("vote-state");
    if (!node) return;
    node.textContent = message || "";
  }

  function used(form) {
    return voteInputs(form).reduce(function (sum, input) { return sum + (parseInt(input.value, 10) || 0); }, 0);
  }

  function applyAllocation(form, allocation) {
    voteInputs(form).forEach(function (input) {
      input.value = String(allocation[input.id.replace("dots-", "")] || 0);
    });
  }

  function saveVotes(form) {
    edits += 1;
    showVoteState(strings.saving);
    window.clearTimeout(saveTimer);
    saveTimer = window.setTimeout(function () {
      saveTimer = null;
      sendVotes(form);
    }, 250);
  }

  /* One PUT at a time: each carries the whole allocation, so a later one overtaken by an
     earlier one on the network would put the older dots back. */
  function sendVotes(form) {
    if (saving) { resend = true; return; }
    saving = true;
    resend = false;
    P.api("PUT", base + "/votes", { allocations: allocationOf(form) }, "participant").then(function (result) {
      saving = false;
      edits += 1; // a step fetched while this save was on its way may predate it
      unsaved = false;
      if (resend) { sendVotes(form); return; } // newer dots: this answer is already old
      if (saveTimer !== null) return;
      if (result.ok) {
        showRemaining(form, result.data.remaining);
        showVoteState(strings.saved);
        announce(strings.saved);
        return;
      }
      var message = (result.data.error && result.data.error.message) || strings.error;
      showVoteState(message);
      announce(message);
      refreshStep();
    }).catch(function () {
      saving = false;
      if (resend) { sendVotes(form); return; }
      unsaved = true;
      showVoteState(strings.unsaved);
      announce(strings.unsaved);
      window.setTimeout(sendUnsaved, 4000 + Math.random() * 2000);
    });
  }

  function sendUnsaved() {
    var form = document.getElementById("vote-form");
    if (unsaved && form && !saving) sendVotes(form);
  }

  function enhanceVoteForm(form) {
    var budget = parseInt(form.dataset.budget, 10);
    var cap = parseInt(form.dataset.cap, 10) || budget;
    form.querySelectorAll("button.inc, button.dec").forEach(function (button) { button.hidden = false; });
    form.addEventListener("click", function (event) {
      var button = event.target.closest("button.inc, button.dec");
      if (!button) return;
      var input = document.getElementById(button.dataset.target);
      var value = parseInt(input.value, 10) || 0;
      if (button.classList.contains("inc")) {
        if (used(form) >= budget) {
          showRemaining(form, 0);
          announce(strings.no_more_dots);
          return;
        }
        if (value >= cap) {
          showAtCap(true);
          announce(strings.at_cap);
          return;
        }
        input.value = String(value + 1);
      } else if (value > 0) {
        input.value = String(value - 1);
      }
      var remaining = budget - used(form);
      showAtCap(false);
      showRemaining(form, remaining);
      announce(text(remaining === 1 ? "remaining_one" : "remaining_other", { n: remaining }));
      saveVotes(form);
    });
    form.addEventListener("change", function (event) {
      if (!event.target.classList.contains("dots-input")) return;
      var value = Math.max(0, parseInt(event.target.value, 10) || 0);
      event.target.value = String(value);
      if (used(form) > budget) {
        event.target.value = String(Math.max(0, value - (used(form) - budget)));
        announce(strings.no_more_dots);
      }
      showRemaining(form, budget - used(form));
      saveVotes(form);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      saveVotes(form);
    });
  }

  function enhance() {
    var proposalForm = document.getElementById("proposal-form");
    if (proposalForm) enhanceProposalForm(proposalForm);
    var voteForm = document.getElementById("vote-form");
    if (voteForm) enhanceVoteForm(voteForm);
  }

  /* ---- live updates ---- */

  function setConnection(state) {
    connection.dataset.state = state;
    connection.textContent = strings[state];
    if (state !== "online") return;
    flushOutbox();
    sendUnsaved();
  }

  function onSnapshot(snapshot) {
    var section = currentSection();
    if (!section || String(snapshot.step.position) !== section.dataset.position ||
        snapshot.version > parseInt(section.dataset.version, 10)) {
      refreshStep();
    }
  }

  var announcedKind = null; // the kind of the latest step_changed, before its step is drawn

  function onEvent(event) {
    var section = currentSection();
    var data = event.data || {};
    var kind = section ? section.dataset.kind : null;
    var prioritising = kind === "vote" || kind === "agree" || kind === "rate";
    if (event.type === "workshop_closed") {
      window.location.reload(); // the join URL now reports back
    } else if (event.type === "step_changed") {
      announcedKind = data.step ? data.step.kind : null;
      refreshStep();
    } else if (event.type === "actions_changed") {
      // The step drawn may still be the one before while the new one is on its way.
      if (kind === "actions" || announcedKind === "actions") scheduleRefresh();
    } else if (event.type === "timer") {
      if (section && String(data.position) === section.dataset.position) setTimer(data.timer);
      else if (section && data.step_id !== undefined) scheduleRefresh(); // our step may be stale
    } else if (event.type === "revealed") {
      if (prioritising || kind === "results") scheduleRefresh();
    } else if (event.type === "proposals_changed") {
      // new and edited proposals, a batch at most every second
      if (kind === "collect") (data.proposals || []).forEach(addToFeed);
      else if (prioritising) scheduleRefresh();
    } else if (event.type === "participant_table") {
      // the facilitator moved this phone to another table: show where it sits now
      if (String(data.participant_id) === document.body.dataset.participant) scheduleRefresh();
    } else if (event.type === "proposal_removed") {
      // hidden or merged into another: gone from the list; moved dots show after the refresh
      if (kind === "collect") dropFromFeed(data.id);
      else if (prioritising) scheduleRefresh();
    }
  }

  function onProgress(progress) {
    var node = document.getElementById("progress");
    if (node) node.textContent = node.textContent.replace(/\d+/, String(progress.voters));
  }

  enhance();
  readTimer(true);
  watchTimer();
  watchPendingResults();
  if (window.io) {
    setConnection("connecting");
    P.live({ workshop: code, as: "participant", proposals: 0, onSnapshot: onSnapshot, onEvent: onEvent,
             onProgress: onProgress, onState: setConnection });
  }
  window.addEventListener("online", flushOutbox);
})();
