/* Shared live connection: Socket.IO with snapshot on connect, events, tallies, resync.
   Usage: Planverksted.live({workshop, as, proposals, onSnapshot, onEvent, onTally, onProgress,
   onState}); proposals: list only the newest N in the snapshot (phones: 0). */
(function () {
  "use strict";

  function readStrings() {
    var node = document.getElementById("i18n");
    if (!node) return {};
    try { return JSON.parse(node.textContent || "{}"); } catch (e) { return {}; }
  }

  function live(options) {
    var lastVersion = 0;
    var synced = false; // a snapshot arrived since the last connect
    var early = []; // events that came before it: kept for the ones the snapshot misses
    var auth = { workshop: options.workshop, as: options.as };
    if (typeof options.proposals === "number") auth.proposals = options.proposals;
    var socket = window.io({
      path: "/socket.io",
      auth: auth,
      transports: ["websocket", "polling"],
      reconnectionDelayMax: 5000
    });
    function state(name) { if (options.onState) options.onState(name); }

    function deliver(event) {
      // Only what the snapshot already holds is dropped: the events of one commit share a
      // version, so a second event of the same version is news, not a repeat.
      if (event.version <= lastVersion) return;
      if (event.type === "workshop_deleted") { window.location.reload(); return; } // now a 404
      if (options.onEvent) options.onEvent(event);
    }

    socket.on("connect", function () { state("online"); });
    socket.on("disconnect", function () { synced = false; early = []; state("offline"); });
    socket.on("connect_error", function () { state("offline"); });
    socket.on("snapshot", function (snapshot) {
      lastVersion = snapshot.version;
      synced = true;
      if (options.onSnapshot) options.onSnapshot(snapshot);
      var held = early;
      early = [];
      held.forEach(deliver);
    });
    socket.on("event", function (event) {
      if (!synced) { early.push(event); return; }
      deliver(event);
    });
    socket.on("tally", function (tally) { if (options.onTally) options.onTally(tally); });
    socket.on("progress", function (progress) { if (options.onProgress) options.onProgress(progress); });
    return socket;
  }

  function api(method, url, body, as) {
    var headers = { "Accept": "application/json", "X-Planverksted-As": as || "participant" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    return fetch(url, {
      method: method,
      headers: headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { ok: response.ok, status: response.status, data: data };
      });
    });
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") node.textContent = attrs[name];
      else if (name === "className") node.className = attrs[name];
      else node.setAttribute(name, attrs[name]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  /* A mean as every screen and the report show it: one decimal, halves rounded up (2.25 → 2.3),
     the language's decimal sign (2,3 in bokmål and nynorsk); "–" for none. The report and the
     phone's results use the same rule in workshop/web/report.py. */
  function mean(value, lang) {
    if (value === null || value === undefined || isNaN(value)) return "–";
    var tenths = Math.round(Number((Math.abs(value) * 10).toFixed(6))) * (value < 0 ? -1 : 1);
    try {
      return new Intl.NumberFormat(lang || document.documentElement.lang || "nb",
        { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(tenths / 10);
    } catch (e) { return (tenths / 10).toFixed(1); }
  }

  window.Planverksted = { live: live, api: api, el: el, strings: readStrings, mean: mean };
})();
