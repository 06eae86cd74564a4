// engine_worker.mjs - the sessions of a session host (session_host.mjs), all
// in this one thread so that they share the runtime and its warm pool.
//
// A run is one synchronous wasm call; the host's main thread stays free and
// stops it through the session's interrupt buffer. A py_eval (py_eval.mjs) is
// a series of runs: while its code waits for a tool call, this thread serves
// other requests, including runs of the same session.
import { parentPort } from 'node:worker_threads';

import { createSession, setWarmPool } from '../session.mjs';
import { PyEvaluator } from './py_eval.mjs';

const sessions = new Map(); // id -> {session, pyEval}

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

function pyEval(msg) {
  const s = entry(msg.session);
  s.pyEval = s.pyEval || new PyEvaluator(s.session);
  return s.pyEval.evaluate(msg, ({ call, name, args }) => {
    parentPort.postMessage({ id: msg.id, event: 'toolCall', call, name, args });
  });
}

function toolResult(msg) {
  const { pyEval: evaluator } = entry(msg.session);
  return evaluator ? evaluator.answer(msg) : false;
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
    sessions.set(msg.session, { session, pyEval: null });
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
