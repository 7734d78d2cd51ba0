/* Facilitator screen, timer of the current step: start (with minutes), pause, +1 minute, reset.
   The countdown runs from timer.ends_at, corrected by timer.server_time for clock skew. The
   display is a role="timer" that screen readers do not read every second; one minute left and
   time up are announced once. */
(function () {
  "use strict";

  var D = window.PlanverkstedDesk;
  if (!D) return;
  var S = D.S, $ = D.$, state = D.state;
  var ticking = null;
  var dirty = false;          // the minutes field was changed by hand
  var stepId = null;          // the step the minutes field belongs to
  var last = { key: null, remaining: null, minute: false, up: false };

  /* Seconds left, on the server's clock. */
  function remainingOf(timer) {
    if (!timer) return null;
    if (!timer.running || !timer.ends_at) return timer.remaining == null ? timer.seconds : timer.remaining;
    if (typeof timer._offset !== "number") {
      var server = Date.parse(timer.server_time);
      timer._offset = isNaN(server) ? 0 : server - Date.now();
    }
    var left = (Date.parse(timer.ends_at) - (Date.now() + timer._offset)) / 1000;
    return Math.max(0, Math.ceil(left - 0.001));
  }

  function clock(seconds) {
    if (seconds == null) return "–:––";
    var h = Math.floor(seconds / 3600);
    var m = Math.floor((seconds % 3600) / 60);
    var s = seconds % 60;
    var mm = h ? ("0" + m).slice(-2) : String(m);
    return (h ? h + ":" : "") + mm + ":" + ("0" + s).slice(-2);
  }

  function phase(timer, remaining) {
    if (!timer) return "none";
    if (remaining === 0) return "done";
    if (timer.running) return "running";
    if (remaining != null && remaining !== timer.seconds) return "paused";
    return "ready";
  }

  function announce(message) {
    var node = $("timer-announcer");
    node.textContent = "";
    window.setTimeout(function () { node.textContent = message; }, 60);
  }

  function update() {
    if (!state.snapshot) return;
    var step = state.snapshot.step;
    var timer = step.timer;
    var remaining = remainingOf(timer);
    var now = phase(timer, remaining);
    var box = $("timer-box");
    box.setAttribute("data-state", now);
    box.setAttribute("data-warn", now === "running" && remaining <= 60 ? "true" : "false");
    D.setText("timer-display", clock(remaining));
    D.setText("timer-state", {
      none: S.timer_none, ready: S.timer_ready, running: S.timer_running,
      paused: S.timer_paused, done: S.timer_done
    }[now]);

    var key = step.id + "@" + (timer && timer.ends_at);
    if (key !== last.key) {
      last = { key: key, remaining: remaining, minute: remaining !== null && remaining <= 60, up: remaining === 0 };
    } else if (now === "running" || now === "done") {
      if (!last.minute && remaining <= 60 && remaining > 0) {
        last.minute = true;
        announce(S.timer_one_minute + " " + step.title);
      }
      if (!last.up && remaining === 0) {
        last.up = true;
        announce(S.timer_up + " " + step.title);
      }
      last.remaining = remaining;
    }

    if (now === "running" && !ticking) ticking = window.setInterval(update, 250);
    if (now !== "running" && ticking) { window.clearInterval(ticking); ticking = null; }
    return now;
  }

  function render() {
    var step = state.snapshot.step;
    var timer = step.timer;
    if (stepId !== step.id) { dirty = false; stepId = step.id; }
    var now = update();
    var minutes = $("timer-minutes");
    if (!dirty && document.activeElement !== minutes) {
      minutes.value = String(timer && timer.seconds ? Math.max(1, Math.round(timer.seconds / 60)) : 5);
    }
    var start = $("timer-start");
    var resume = now === "paused" && !dirty;
    D.setText(start, start.getAttribute(resume ? "data-resume" : "data-start"));
    start.disabled = now === "running";
    $("timer-pause").disabled = now !== "running";
    $("timer-reset").disabled = now === "none" || now === "ready";
    $("timer-note").hidden = !(timer && timer.auto_advance);
  }
  D.register("timer", render);

  function control(action, body, trigger) {
    body.action = action;
    body.position = state.snapshot.step.position;
    D.call("POST", "/timer", body, { busy: trigger }).then(function (response) {
      if (!response.ok) return;
      if (action === "start" || action === "reset") dirty = false;
      D.applyTimer(response.data);
      var lost = document.activeElement === trigger || document.activeElement === document.body;
      if (!trigger || !trigger.disabled || !lost) return;
      var counterpart = action === "start" ? $("timer-pause") : $("timer-start");
      if (!counterpart.disabled) counterpart.focus();
    });
  }

  document.addEventListener("submit", function (event) {
    if (event.target.id !== "timer-form") return;
    event.preventDefault();
    if (!state.snapshot) return;
    var timer = state.snapshot.step.timer;
    var now = phase(timer, remainingOf(timer));
    var body = {};
    if (dirty || now === "none" || now === "done" || now === "ready") {
      var minutes = Number($("timer-minutes").value);
      if (!Number.isFinite(minutes) || minutes < 1 || minutes > 240) {
        D.say(S.timer_minutes_invalid, true);
        $("timer-minutes").focus();
        return;
      }
      body.seconds = Math.round(minutes * 60);
    }
    control("start", body, $("timer-start"));
  });

  document.addEventListener("input", function (event) {
    if (event.target.id === "timer-minutes") { dirty = true; render(); }
  });

  document.addEventListener("click", function (event) {
    var target = event.target.closest("button");
    if (!target || !state.snapshot) return;
    if (target.id === "timer-pause") control("pause", {}, target);
    else if (target.id === "timer-add") control("add_minute", {}, target);
    else if (target.id === "timer-reset") control("reset", {}, target);
  });
})();
