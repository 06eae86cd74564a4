// index.mjs - wasmsh in the browser: `import { createSession } from 'wasmsh'`
// (bundlers pick this file through the package's "browser" condition; also
// `wasmsh/browser`). Each session runs in its own dedicated Web Worker with
// Pyodide and the wasmsh side module (or the standalone build), so a long
// command never blocks the page. The session API is the Node one, with every
// method returning a promise (await works the same in both).
//
//   const s = await createSession({ allowedHosts: ['api.example.com'] });
//   const r = await s.run("python3 -c 'print(6*7)'", { onStdout: (t) => term.write(t) });
//   s.cancel();   // stops the running command
//
// cancel(): on a cross-origin isolated page (COOP + COEP headers, so
// SharedArrayBuffer exists) the page sets a flag in shared memory that the
// shell and Python check while they run. Elsewhere the worker is terminated
// and replaced: the files (and the working directory) as they were before the
// cancelled run come back, shell variables and functions do not.
// docs/browser.md has the details.
import {
  OptionsError, RuntimeLoadError, SessionBusyError, SessionClosedError,
} from '../errors.mjs';
import { checkBudget, checkSessionOptions, SIGINT } from '../session_core.mjs';
import { assetUrls } from './assets.mjs';
import { CALLS, deserializeError } from './protocol.mjs';

export * from '../errors.mjs';
export { attachToPyodide } from './attach.mjs';
export { defaultAssetBaseUrl } from './assets.mjs';

const BROWSER_OPTIONS = ['assetBaseUrl', 'pyodideBaseUrl', 'runtime', 'snapshot'];
const RUNTIMES = ['pyodide', 'standalone'];

/** True when this page can share memory with its workers (cancel without a restart). */
export function isCrossOriginIsolated() {
  return typeof SharedArrayBuffer === 'function' && globalThis.crossOriginIsolated === true;
}

// ------------------------------------------------------------------ workers

// What the first worker of a kind made and later ones reuse: Pyodide's
// compiled module and memory snapshot, the compiled side module (or the
// compiled standalone build). A later session then restores instead of
// loading Pyodide from scratch.
const seeds = new Map();
// Prepared workers (prewarm): engine loaded, no session yet.
const pools = new Map();

const keyOf = (urls, runtime) => `${runtime} ${urls.base} ${urls.pyodide}`;

class WorkerLink {
  constructor(url) {
    this.worker = new Worker(url, { type: 'module', name: 'wasmsh' });
    this.handlers = new Map();
    this.waiters = [];
    this.onOut = null;
    this.onCheckpoint = null;
    this.failure = null;
    this.worker.onmessage = (ev) => this.dispatch(ev.data);
    this.worker.onerror = (ev) => {
      ev.preventDefault();
      this.fail(new RuntimeLoadError(`the wasmsh worker failed (${url}): ${ev.message || 'it could not be loaded'}; ` +
        'with a bundler, serve the package files and pass assetBaseUrl (docs/browser.md)'));
    };
    this.worker.onmessageerror = () => this.fail(new RuntimeLoadError('a message from the wasmsh worker could not be read'));
  }

  dispatch(m) {
    if (m.type === 'out') { if (this.onOut) this.onOut(m); return; }
    if (m.type === 'checkpoint') { if (this.onCheckpoint) this.onCheckpoint(m); return; }
    if (m.type === 'result') {
      const h = this.handlers.get(m.id);
      if (!h) return;
      this.handlers.delete(m.id);
      if (m.ok) h.resolve(m); else h.reject(deserializeError(m.error));
      return;
    }
    if (m.type === 'fatal') { this.fail(deserializeError(m.error)); return; }
    const i = this.waiters.findIndex((w) => w.type === m.type);
    if (i >= 0) this.waiters.splice(i, 1)[0].resolve(m);
  }

  waitFor(type) {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiters.push({ type, resolve, reject }));
  }

  fail(err) {
    if (this.failure) return;
    this.failure = err;
    for (const w of this.waiters.splice(0)) w.reject(err);
    for (const h of this.handlers.values()) h.reject(err);
    this.handlers.clear();
  }

  request(msg, transfer) {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.handlers.set(msg.id, { resolve, reject });
      this.worker.postMessage(msg, transfer || []);
    });
  }

  terminate(err) {
    this.worker.terminate();
    this.fail(err || new SessionClosedError());
  }
}

// A worker with its engine loaded (the slow part), not yet a session.
async function preparedWorker(urls, runtime, snapshot) {
  const key = keyOf(urls, runtime);
  const pool = pools.get(key);
  if (pool && pool.length) return { link: await pool.shift(), info: { fromPool: true } };
  const link = new WorkerLink(urls.worker);
  const seedEntry = seeds.get(key);
  let seed = null;
  if (seedEntry) {
    try {
      seed = await seedEntry;
    } catch {
      seed = null;
    }
  }
  let resolveSeed;
  let rejectSeed;
  if (!seedEntry || !seed) {
    seeds.set(key, new Promise((res, rej) => { resolveSeed = res; rejectSeed = rej; }));
    seeds.get(key).catch(() => {});
  }
  const prepared = link.waitFor('prepared');
  link.worker.postMessage({ type: 'prepare', urls, runtime, seed, wantSeed: !seed, snapshot });
  try {
    const m = await prepared;
    if (resolveSeed) {
      if (m.seed) resolveSeed(m.seed);
      else { seeds.delete(key); rejectSeed(new Error('no seed')); }
    }
    return { link, info: m.info };
  } catch (e) {
    if (rejectSeed) { seeds.delete(key); rejectSeed(e); }
    link.terminate(e);
    throw e;
  }
}

/** Starts `count` workers with their engine loaded, so that the next sessions open at once. */
export async function prewarm(count = 1, options = {}) {
  const runtime = options.runtime || 'pyodide';
  const urls = assetUrls(options);
  const key = keyOf(urls, runtime);
  if (!pools.has(key)) pools.set(key, []);
  const made = [];
  for (let i = 0; i < count; i++) {
    const p = preparedWorker(urls, runtime, options.snapshot).then(({ link }) => link);
    made.push(p);
  }
  for (const p of made) pools.get(key).push(Promise.resolve(await p));
}

// ------------------------------------------------------------------ session

/**
 * Creates a session in a new Web Worker. Options: those of the Node API
 * (allowedHosts, budget, env, cwd, files, python, fetch, interruptBuffer)
 * plus assetBaseUrl, pyodideBaseUrl, runtime ('pyodide' | 'standalone') and
 * snapshot (false: no memory snapshot is kept for later sessions).
 */
export async function createSession(options = {}) {
  const opts = checkSessionOptions(options, BROWSER_OPTIONS);
  const runtime = opts.runtime || 'pyodide';
  if (!RUNTIMES.includes(runtime)) throw new OptionsError(`createSession: runtime must be one of ${RUNTIMES.join(', ')}`);
  const urls = assetUrls(opts);
  const session = new BrowserSession(opts, urls, runtime);
  await session.start(null);
  return session;
}

class BrowserSession {
  constructor(opts, urls, runtime) {
    this.opts = opts;
    this.urls = urls;
    this.runtime = runtime;
    this.isolated = isCrossOriginIsolated();
    /** 'interrupt' (shared memory) or 'restart' (terminate and replace the worker) */
    this.cancelMode = this.isolated ? 'interrupt' : 'restart';
    this.interrupt = opts.interruptBuffer ||
      (this.isolated ? new Int32Array(new SharedArrayBuffer(4)) : null);
    this.link = null;
    this.ready = null;
    this.nextId = 1;
    this.current = null; // the run in progress
    this.closed = false;
    this.cwdCache = opts.cwd;
    this.mirror = new Map(); // restart mode: the files before the last run
    this.mirrorCwd = opts.cwd;
    this.info = null;
    this.restarts = 0;
  }

  async start(restore) {
    const t0 = performance.now();
    const { link, info } = await preparedWorker(this.urls, this.runtime, this.opts.snapshot);
    this.link = link;
    link.onOut = (m) => this.onOut(m);
    link.onCheckpoint = (m) => this.onCheckpoint(m);
    const options = { ...this.opts };
    for (const k of BROWSER_OPTIONS) delete options[k];
    delete options.interruptBuffer;
    if (restore) options.files = {};
    const ready = link.waitFor('ready');
    link.worker.postMessage({ type: 'open', options, interrupt: this.interrupt, restore });
    const m = await ready;
    this.cwdCache = m.cwd;
    this.info = { ...info, readyMs: performance.now() - t0, cancelMode: this.cancelMode };
  }

  check() {
    if (this.closed) throw new SessionClosedError();
  }

  async whenReady() {
    this.check();
    if (this.ready) await this.ready;
    this.check();
  }

  /**
   * Runs a script in the worker; resolves to the Node API's result
   * ({stdout, stderr, output, exitCode, truncated, durationMs, stopReason, exited}).
   */
  async run(script, runOptions = {}) {
    this.check();
    if (this.current) throw new SessionBusyError();
    if (typeof script !== 'string') throw new OptionsError('run: script must be a string');
    const ro = runOptions || {};
    const known = ['stdin', 'timeoutMs', 'budget', 'onStdout', 'onStderr'];
    for (const k of Object.keys(ro)) {
      if (!known.includes(k)) throw new OptionsError(`run: unknown option ${k} (known: ${known.join(', ')})`);
    }
    checkBudget(ro.budget, 'run');
    const id = this.nextId++;
    const run = { id, onStdout: ro.onStdout, onStderr: ro.onStderr, parts: [], t0: performance.now(), settle: null };
    this.current = run;
    try {
      await this.whenReady();
      const restart = this.cancelMode === 'restart';
      const msg = { type: 'run', id, script, stdin: ro.stdin, budget: ro.budget, timeoutMs: ro.timeoutMs,
        stream: restart || !!(ro.onStdout || ro.onStderr), checkpoint: restart };
      const reply = await new Promise((resolve, reject) => {
        run.settle = { resolve, reject };
        this.link.request(msg).then(resolve, reject);
        if (run.cancelRequested) this.restartAfterCancel(run);
      });
      if (reply.cwd) this.cwdCache = reply.cwd;
      return reply.value;
    } finally {
      if (this.current === run) this.current = null;
      // a cancel that came too late for this run must not stop the next one
      if (this.interrupt) Atomics.store(this.interrupt, 0, 0);
    }
  }

  onOut(m) {
    const run = this.current;
    if (!run || run.id !== m.id) return;
    run.parts.push([m.fd, m.text]);
    const cb = m.fd === 2 ? run.onStderr : run.onStdout;
    if (cb) {
      try { cb(m.text); } catch (e) { setTimeout(() => { throw e; }); }
    }
  }

  onCheckpoint(m) {
    const all = new Set(m.all);
    for (const p of [...this.mirror.keys()]) if (!all.has(p)) this.mirror.delete(p);
    for (const e of m.entries) this.mirror.set(e.path, e);
    this.mirrorCwd = m.cwd;
  }

  /**
   * Stops the running command (as Ctrl-C: status 130, stopReason 'cancel').
   * Does nothing when no command is running.
   */
  cancel() {
    const run = this.current;
    if (!run || this.closed) return;
    if (this.cancelMode === 'interrupt') {
      Atomics.store(this.interrupt, 0, SIGINT);
      return;
    }
    if (!run.settle) { run.cancelRequested = true; return; } // cancelled as soon as it is sent
    this.restartAfterCancel(run);
  }

  restartAfterCancel(run) {
    const old = this.link;
    old.onOut = null;
    old.terminate(new SessionClosedError());
    this.restarts++;
    let stdout = '';
    let stderr = '';
    let output = '';
    for (const [fd, text] of run.parts) {
      if (fd === 2) stderr += text; else stdout += text;
      output += text;
    }
    const msg = 'wasmsh: cancelled (budget: cancel)\n';
    stderr += msg;
    output += msg;
    if (run.onStderr) { try { run.onStderr(msg); } catch { /* the page's callback */ } }
    const restore = { entries: [...this.mirror.values()], cwd: this.mirrorCwd };
    this.ready = this.start(restore).catch((e) => { this.closed = true; throw e; });
    this.ready.catch(() => {});
    run.settle.resolve({
      value: { stdout, stderr, output, exitCode: 130, truncated: false, exited: false,
        durationMs: performance.now() - run.t0, stopReason: 'cancel', restarted: true },
      cwd: this.mirrorCwd,
    });
  }

  async call(method, ...args) {
    await this.whenReady();
    const id = this.nextId++;
    const reply = await this.link.request({ type: 'call', id, method, args });
    if (reply.cwd) this.cwdCache = reply.cwd;
    return reply.value;
  }

  /** Ends the session: its worker is terminated. */
  close() {
    if (this.closed) return;
    this.closed = true;
    if (this.link) this.link.terminate(new SessionClosedError());
    if (this.current && this.current.settle) this.current.settle.reject(new SessionClosedError());
  }
}

for (const m of CALLS) {
  if (m === 'cwd') continue;
  BrowserSession.prototype[m] = function callInWorker(...args) { return this.call(m, ...args); };
}
/** The shell's current directory (a promise, as every call). */
BrowserSession.prototype.cwd = function cwd() { return this.call('cwd'); };
