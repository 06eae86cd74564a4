// engine_worker.mjs - the sessions of a session host (session_host.mjs), all
// in this one thread so that they share the runtime and its warm pool.
//
// A run is one synchronous wasm call; the host's main thread stays free and
// stops it through the session's interrupt buffer. A py_eval is asynchronous
// (Pyodide's top-level await): while its code awaits a tool call, this
// thread serves other requests, including runs of the same session.
import { parentPort } from 'node:worker_threads';

import { createSession, setWarmPool } from '../session.mjs';
import { REPL_SOURCE } from './repl.mjs';

const sessions = new Map(); // id -> {session, repl}

function reply(id, result) {
  parentPort.postMessage({ id, ok: true, result: result === undefined ? null : result });
}

function replyError(id, e) {
  const error = {
    name: (e && e.name) || 'Error',
    code: (e && e.code) || 'WASMSH_ERROR',
    message: e && e.message ? e.message : String(e),
  };
  for (const k of ['errno', 'op', 'path']) if (e && e[k] !== undefined) error[k] = e[k];
  parentPort.postMessage({ id, ok: false, error });
}

function entry(id) {
  const s = sessions.get(id);
  if (!s) {
    const e = new Error(`unknown session ${id}`);
    e.code = 'WASMSH_SESSION_CLOSED';
    throw e;
  }
  return s;
}

// JSON has no Infinity: the client sends the string.
function budgetFrom(b) {
  if (!b) return undefined;
  const out = {};
  for (const [k, v] of Object.entries(b)) out[k] = v === 'Infinity' ? Infinity : v;
  return out;
}

function bytesOf(msg) {
  if (msg.base64 !== undefined) return new Uint8Array(Buffer.from(msg.base64, 'base64'));
  return msg.text ?? '';
}

function toBase64(u8) {
  return Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength).toString('base64');
}

// ------------------------------------------------------------------ py_eval

// The REPL's deadline and cancel: Python polls Py_EmscriptenSignalBuffer[0]
// (session_core installs such a check for python3 commands); outside a shell
// run this one answers for the evaluation in progress.
const REFIRE_MS = 100;

function installReplCheck(s) {
  const { session } = s;
  const engine = session.engine;
  const check = {
    get 0() {
      const owner = engine.owner;
      if (owner && owner.sink && owner.bridge) return engine.exports.wasmsh_py_poll(owner.bridge) ? 2 : 0;
      const r = s.repl;
      if (!r || !r.active || !r.userActive) return 0;
      const now = performance.now();
      if (now - r.lastStop < REFIRE_MS) return 0;
      if (r.deadline && now > r.deadline) r.stop = r.stop || 'time';
      else if (Atomics.load(session.interrupt, 0)) {
        Atomics.store(session.interrupt, 0, 0);
        r.stop = 'cancel';
      }
      if (!r.stop) return 0;
      r.lastStop = now;
      return 2;
    },
    set 0(_v) { /* Python clears the flag after reading it */ },
  };
  session.pyodide.setInterruptBuffer(check);
}

function replOf(s) {
  if (!s.repl) {
    const py = s.session.pyodide;
    const ns = py.globals.get('dict')();
    const make = py.runPython(REPL_SOURCE, { globals: ns, filename: '<wasmsh-repl>' });
    ns.destroy();
    s.repl = { evaluate: make(), calls: new Map(), nextCall: 1, active: false, deadline: 0, stop: null };
    make.destroy();
  }
  return s.repl;
}

async function pyEval(msg) {
  const s = entry(msg.session);
  if (s.session.busy) throw Object.assign(new Error('the session is running a script'), { code: 'WASMSH_SESSION_BUSY' });
  const r = replOf(s);
  if (r.active) throw Object.assign(new Error('a py_eval is already running in this session'), { code: 'WASMSH_SESSION_BUSY' });
  const callTool = (name, argsJson) => new Promise((resolve) => {
    const call = r.nextCall++;
    r.calls.set(call, resolve);
    parentPort.postMessage({ id: msg.id, event: 'toolCall', call, name, args: JSON.parse(argsJson) });
  });
  r.active = true;
  r.stop = null;
  r.lastStop = -Infinity;
  r.deadline = msg.timeoutMs ? performance.now() + msg.timeoutMs : 0;
  const t0 = performance.now();
  // at the deadline, tool calls still waiting fail at once, so that the code
  // runs again and the deadline check can stop it
  const timer = msg.timeoutMs ? setTimeout(() => {
    for (const resolve of r.calls.values()) resolve(JSON.stringify({ ok: false, kind: 'budget', error: "the evaluation's time is up" }));
    r.calls.clear();
  }, msg.timeoutMs) : null;
  try {
    const setActive = (flag) => { r.userActive = !!flag; };
    const shellRunning = () => !!(s.session.sink && s.session.bridge);
    const json = await r.evaluate(msg.code, callTool, JSON.stringify(msg.tools || []), !!msg.reset, setActive,
      shellRunning);
    const result = JSON.parse(json);
    if (r.stop && result.status === 'interrupted') result.status = r.stop === 'time' ? 'timeout' : 'cancelled';
    result.durationMs = performance.now() - t0;
    return result;
  } finally {
    if (timer) clearTimeout(timer);
    r.active = false;
    r.userActive = false;
    r.deadline = 0;
    for (const resolve of r.calls.values()) resolve(JSON.stringify({ ok: false, error: 'the evaluation ended' }));
    r.calls.clear();
  }
}

function toolResult(msg) {
  const r = entry(msg.session).repl;
  const resolve = r && r.calls.get(msg.call);
  if (!resolve) return false;
  r.calls.delete(msg.call);
  // the value's JSON is passed on as the client wrote it (so 10.0 stays a float in Python)
  if (msg.ok) resolve(typeof msg.valueJson === 'string' ? `{"ok":true,"value":${msg.valueJson}}` : JSON.stringify({ ok: true, value: msg.value ?? null }));
  else resolve(JSON.stringify({ ok: false, error: String(msg.error), kind: msg.kind || null }));
  return true;
}

// ------------------------------------------------------------------ ops

const OPS = {
  async create(msg) {
    const opts = { ...(msg.options || {}), interruptBuffer: msg.interrupt };
    if (opts.budget) opts.budget = budgetFrom(opts.budget);
    if (opts.files) {
      const files = {};
      for (const [p, v] of Object.entries(opts.files)) files[p] = typeof v === 'string' ? v : bytesOf(v);
      opts.files = files;
    }
    const session = await createSession(opts);
    const s = { session, repl: null };
    sessions.set(msg.session, s);
    if (session.pyodide) installReplCheck(s);
    return { session: msg.session, cwd: session.cwd() };
  },
  async run(msg) {
    const { session } = entry(msg.session);
    const ro = {};
    if (msg.stdinBase64 !== undefined) ro.stdin = new Uint8Array(Buffer.from(msg.stdinBase64, 'base64'));
    else if (msg.stdin !== undefined) ro.stdin = msg.stdin;
    if (msg.timeoutMs !== undefined && msg.timeoutMs !== null) ro.timeoutMs = msg.timeoutMs;
    if (msg.budget) ro.budget = budgetFrom(msg.budget);
    if (msg.stream) {
      ro.onStdout = (text) => parentPort.postMessage({ id: msg.id, event: 'out', fd: 1, text });
      ro.onStderr = (text) => parentPort.postMessage({ id: msg.id, event: 'out', fd: 2, text });
    }
    const result = await session.run(msg.script, ro);
    result.cwd = session.cwd();
    return result;
  },
  writeFile(msg) {
    entry(msg.session).session.writeFile(msg.path, bytesOf(msg), msg.mode !== undefined ? { mode: msg.mode } : {});
  },
  readFile(msg) {
    return { base64: toBase64(entry(msg.session).session.readFile(msg.path)) };
  },
  listDir(msg) { return entry(msg.session).session.listDir(msg.path ?? '.'); },
  stat(msg) { return entry(msg.session).session.stat(msg.path); },
  remove(msg) { entry(msg.session).session.remove(msg.path, { recursive: !!msg.recursive }); },
  mkdir(msg) { entry(msg.session).session.mkdir(msg.path, { recursive: !!msg.recursive }); },
  cwd(msg) { return entry(msg.session).session.cwd(); },
  setArgs(msg) { entry(msg.session).session.setArgs(msg.arg0, msg.args || []); },
  reset(msg) {
    const s = entry(msg.session);
    s.session.reset();
    return { cwd: s.session.cwd() };
  },
  pyEval,
  toolResult,
  close(msg) {
    const s = sessions.get(msg.session);
    if (!s) return;
    sessions.delete(msg.session);
    if (s.repl) {
      try { s.repl.evaluate.destroy(); } catch { /* the instance is going anyway */ }
    }
    s.session.close();
  },
  async warmPool(msg) { return { before: await setWarmPool(msg.count) }; },
};

parentPort.on('message', async (msg) => {
  const fn = OPS[msg.op];
  if (!fn) {
    replyError(msg.id, Object.assign(new Error(`unknown op ${msg.op}`), { code: 'WASMSH_BAD_REQUEST' }));
    return;
  }
  try {
    reply(msg.id, await fn(msg));
  } catch (e) {
    replyError(msg.id, e);
  }
});
