// Simulated phones for bench/load.py: one node process, many phones, each with the official
// Socket.IO JavaScript client (socket.io-client) and its own kept-alive HTTP connection (undici).
//
// Driven by bench/load.py over stdin/stdout, one JSON object per line: a command
// {"id", "op", ...} is answered by {"id", ...}. Times are seconds on CLOCK_MONOTONIC, the clock
// of Python's time.perf_counter() on Linux, so both processes measure on one time line.
// Socket events are only counted here (a proposal reaches every phone: N² messages); load.py
// reads the counts with the "state" command.

import { createInterface } from "node:readline";
import { io } from "socket.io-client";
import { Pool } from "undici";

const mono = () => Number(process.hrtime.bigint()) / 1e9;
const sleep = (seconds) => new Promise((resolve) => setTimeout(resolve, Math.max(0, seconds * 1000)));

let base = "";
let code = "";
let revealed = false;
const phones = [];

function newPhone() {
  return {
    key: null,
    pool: null,
    socket: null,
    connected: false,
    stepSeen: {},
    proposalsSeen: 0,
    lastProposalAt: 0,
    progressVersion: 0,
    progressVoters: 0,
    talliesBeforeReveal: 0,
    snapshotVersion: null,
    disconnects: 0,
  };
}

async function mapLimited(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index]);
      } catch (error) {
        results[index] = { error: String(error && error.message ? error.message : error) };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

function pick(kind, data) {
  if (kind === "read" && data && Array.isArray(data.proposals)) {
    return {
      visible_ids: data.proposals.filter((p) => p.status === "visible").map((p) => p.id),
      budget: data.step ? data.step.votes_per_participant : null,
      version: data.version,
    };
  }
  return data;
}

async function httpCall(call) {
  const phone = phones[call.phone];
  if (!phone.pool) {
    // Patient like a phone's browser (and like load.py's Python phones): 15 s to connect.
    phone.pool = new Pool(base, {
      connections: 1,
      pipelining: 1,
      keepAliveTimeout: 120_000,
      connect: { timeout: 15_000 },
    });
  }
  if (call.at) await sleep(call.at - mono());
  const headers = { "content-type": "application/json" };
  if (call.auth && phone.key) headers.authorization = `Bearer ${phone.key}`;
  const sent = mono();
  try {
    const response = await phone.pool.request({
      path: call.path,
      method: call.method,
      headers,
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      headersTimeout: 60_000,
      bodyTimeout: 60_000,
    });
    const text = await response.body.text();
    const answered = mono();
    let data;
    try {
      data = JSON.parse(text);
    } catch {
      data = text.slice(0, 200);
    }
    if (call.pick === "join" && response.statusCode === 201) phone.key = data.key;
    return { status: response.statusCode, data: pick(call.pick, data), sent, answered };
  } catch (error) {
    return { status: null, data: `${error.name}: ${error.message}`, sent, answered: mono() };
  }
}

function connect(index) {
  const phone = phones[index];
  return new Promise((resolve) => {
    const started = mono();
    const socket = io(base, {
      transports: ["websocket"],
      auth: { workshop: code, key: phone.key, proposals: 0 }, // as static/js/participant.js
      reconnection: false,
      forceNew: true,
      timeout: 30_000,
    });
    phone.socket = socket;
    socket.on("event", (message) => {
      const received = mono();
      if (!message || typeof message !== "object") return;
      if (message.type === "proposal_added" || message.type === "proposals_changed") {
        const batch = message.data && message.data.proposals;
        phone.proposalsSeen += Array.isArray(batch) ? batch.length : 1; // phones get batches
        phone.lastProposalAt = Math.max(phone.lastProposalAt, received);
      } else if (message.type === "step_changed") {
        const position = message.data && message.data.step && message.data.step.position;
        if (Number.isInteger(position) && !(position in phone.stepSeen)) {
          phone.stepSeen[position] = received;
        }
      }
    });
    socket.on("progress", (message) => {
      const version = Number((message && message.version) || 0);
      if (version >= phone.progressVersion) {
        phone.progressVersion = version;
        phone.progressVoters = Number((message && message.voters) || 0);
      }
    });
    socket.on("tally", () => {
      if (!revealed) phone.talliesBeforeReveal += 1;
    });
    socket.on("snapshot", (message) => {
      if (message && typeof message === "object") phone.snapshotVersion = message.version;
    });
    socket.on("disconnect", () => {
      if (phone.connected) phone.disconnects += 1;
    });
    socket.once("connect", () => {
      phone.connected = true;
      resolve({ ok: true, latency: mono() - started });
    });
    socket.once("connect_error", (error) => {
      resolve({ ok: false, error: `connect_error: ${error.message}` });
    });
  });
}

function state() {
  return phones.map((p) => ({
    connected: p.connected,
    step_seen: p.stepSeen,
    proposals_seen: p.proposalsSeen,
    last_proposal_at: p.lastProposalAt,
    progress_version: p.progressVersion,
    progress_voters: p.progressVoters,
    tallies_before_reveal: p.talliesBeforeReveal,
    snapshot_version: p.snapshotVersion,
    disconnects: p.disconnects,
  }));
}

async function handle(command) {
  switch (command.op) {
    case "init":
      base = command.base;
      code = command.code;
      while (phones.length < command.phones) phones.push(newPhone());
      return { ok: true };
    case "http":
      return { results: await mapLimited(command.calls, command.concurrency || 500, httpCall) };
    case "connect":
      return { results: await mapLimited(command.phones, command.concurrency || 25, connect) };
    case "state":
      return { phones: state() };
    case "reveal":
      revealed = true;
      return { ok: true };
    case "close":
      for (const phone of phones) {
        if (phone.socket) phone.socket.disconnect();
        if (phone.pool) phone.pool.destroy().catch(() => {});
      }
      return { ok: true };
    default:
      return { error: `unknown op ${command.op}` };
  }
}

const input = createInterface({ input: process.stdin });
input.on("line", (line) => {
  let command;
  try {
    command = JSON.parse(line);
  } catch {
    return;
  }
  handle(command).then(
    (answer) => process.stdout.write(`${JSON.stringify({ id: command.id, ...answer })}\n`),
    (error) => process.stdout.write(`${JSON.stringify({ id: command.id, error: String(error) })}\n`),
  );
});
input.on("close", () => process.exit(0));
