/* Runs static/js/state.js in node for tests/test_client_state.py: one JSON request per line,
   {"messages": [[kind, data], ...]} (the first is the snapshot), one JSON answer per line:
   {"snapshot": ..., "stale": ..., "view": ...} or {"error": "..."}. */
"use strict";
var path = require("path");
var readline = require("readline");
var State = require(path.join(__dirname, "..", "..", "static", "js", "state.js"));

var lines = readline.createInterface({ input: process.stdin, terminal: false });
lines.on("line", function (line) {
  var answer;
  try {
    var request = JSON.parse(line);
    var state = State.create();
    request.messages.forEach(function (message) { State.apply(state, message[0], message[1]); });
    answer = {
      snapshot: state.snapshot,
      stale: state.stale,
      view: state.snapshot ? {
        mode: State.view(state.snapshot).mode,
        resultKind: State.view(state.snapshot).resultKind,
        join: State.view(state.snapshot).join
      } : null
    };
  } catch (error) {
    answer = { error: String(error && error.stack || error) };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
});
