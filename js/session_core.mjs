// session_core.mjs - the session object, shared by every host: Node
// (session.mjs), a browser worker (browser/worker.mjs), a page's own Pyodide
// (browser/attach.mjs) and the standalone build without Python
// (standalone.mjs). Nothing here imports a platform module.
//
// An Engine is the wasm side a session drives: either a Pyodide instance with
// the wasmsh side module loaded into it (shell and python3 on Pyodide's
// MEMFS), or the standalone Emscripten module of the core (its own MEMFS, no
// Python). Engines are made ahead of need (a warm pool) and handed to exactly
// one session; the host hooks dispatch to whichever session owns the engine.
import {
  FsError, OptionsError, RuntimeLoadError, SessionBusyError, SessionClosedError, WasmshError,
} from './errors.mjs';
import { brokerExchange } from './fetch_wire.mjs';
import { closeSockets } from './python_net.mjs';
import { writeSharedFile } from './pyodide_loader.mjs';
import { installFsQuota, QUOTA_KINDS } from './fs_quota.mjs';
import { OutputSink } from './output_sink.mjs';
import { copyFileTree } from './rescue.mjs';
import * as vpath from './vfs_path.mjs';

export const SIDE_MODULE_PATH = '/lib/wasmsh/wasmsh.so';
export const WHEELS_DIR = '/lib/wasmsh/wheels';
export const DEFAULT_CWD = '/workspace';
export const SIGINT = 2;
/** How often Python's interrupt check asks the shell whether to stop (the deadline's resolution inside Python). */
const POLL_INTERVAL_MS = 1;
/** Reads of Python's interrupt flag per look at the clock (three reads per check of ~50 eval-breaker ticks). */
const READS_PER_CLOCK = 24;
/* wasmsh_py_fd_write/read: no python3 command is running (bridge.c) */
const NOT_ROUTED = -1000;

// ------------------------------------------------------------------ engines

export class Engine {
  /**
   * @param {'pyodide'|'standalone'} kind
   * @param {object} M        the Emscripten module (HEAPU8, addFunction, UTF8ToString)
   * @param {object} FS       its filesystem
   * @param {object} exports  wasmsh_* functions, unprefixed
   * @param {object} [pyodide]
   */
  constructor(kind, M, FS, exports, pyodide = null) {
    this.kind = kind;
    this.M = M;
    this.FS = FS;
    this.exports = exports;
    this.pyodide = pyodide;
    this.owner = null;
    const owner = () => this.owner;
    this.guard = M.wasmshGuard || null;
    if (this.guard) {
      this.guard.onViolation = (name) => { const s = owner(); if (s) s.onViolation(name); };
      this.guard.onHeapExceeded = () => { const s = owner(); if (s) s.onBudgetExceeded('heap'); };
    }
    this.quota = installFsQuota(FS);
    this.quota.onExceeded = (kind) => { const s = owner(); if (s) s.onBudgetExceeded(kind); };
    this.hooks = [
      M.addFunction((fd, ptr, len) => { const s = owner(); if (s) s.onWrite(fd, ptr, len); }, 'viii'),
      M.addFunction(() => { const s = owner(); return s ? s.onPoll() : 0; }, 'i'),
      M.addFunction((req, len, out) => { const s = owner(); return s ? s.onFetch(req, len, out) : -1; }, 'iiii'),
    ];
    if (pyodide) {
      closeSockets(M, FS); // Python's sockets: no network but the broker's
      this.installInterruptCheck();
      this.routeStandardStreams();
    }
  }

  // Python checks Module.Py_EmscriptenSignalBuffer[0] every 50 eval-breaker
  // ticks (CPython's Emscripten signal support, which Pyodide's
  // setInterruptBuffer enables): tens of thousands of times a second. Each
  // check reads the property three times (is there a buffer, read [0], write
  // [0] = 0). The property is an accessor that hands out one Int32Array, so
  // that most checks cost a decrement here. One check in READS_PER_CLOCK/3
  // looks at the clock, the cancel flag and the host's budget stops; when one
  // asks for it (and at most every POLL_INTERVAL_MS otherwise) the bridge is
  // asked whether the running python3 must stop (deadline, budget, cancel):
  // then [0] reads 2 (SIGINT) for the next three reads, one check's worth,
  // and Python raises KeyboardInterrupt once. bench/sandbox.mjs measures it.
  installInterruptCheck() {
    const engine = this;
    const M = this.M;
    const box = new Int32Array(1);
    engine.nextPollAt = 0;
    engine.pollCountdown = 0;
    engine.signalReads = 0;
    let on = false;
    const decide = () => {
      const s = engine.owner;
      if (!s || !s.sink || !s.bridge) return 0;
      const now = performance.now();
      if (now < engine.nextPollAt && !s.pendingStop && !Atomics.load(s.interrupt, 0)) return 0;
      engine.nextPollAt = now + POLL_INTERVAL_MS;
      return engine.exports.wasmsh_py_poll(s.bridge) ? SIGINT : 0;
    };
    Object.defineProperty(M, 'Py_EmscriptenSignalBuffer', {
      configurable: true,
      get() {
        if (!on) return undefined;
        if (engine.signalReads > 0) {
          engine.signalReads--;
          box[0] = SIGINT;
          return box;
        }
        box[0] = 0;
        if (--engine.pollCountdown > 0) return box;
        engine.pollCountdown = READS_PER_CLOCK;
        if (decide()) {
          box[0] = SIGINT;
          engine.signalReads = 2;
        }
        return box;
      },
      // Pyodide's setInterruptBuffer(x) turns Python's checks on or off and stores x here
      set(v) { on = !!v; },
    });
    this.pyodide.setInterruptBuffer(box);
  }

  // Python's own fds 0/1/2 (os.write(1, ...), os.read(0, n), open('/dev/stdout'))
  // are Pyodide's stdin/stdout/stderr devices. While a python3 command runs,
  // their reads and writes go to that command's shell fds instead (the
  // bridge knows which command is running); otherwise to Pyodide's handlers.
  // The device objects are patched in place, so fds made by dup/dup2 and new
  // opens of /dev/stdout follow too. Pyodide's setStdout() replaces them;
  // ensureRouting() puts the routing back before each run.
  routeStandardStreams() {
    const { FS } = this;
    for (const fd of [0, 1, 2]) {
      let stream;
      try {
        stream = FS.getStream(fd);
      } catch {
        stream = null;
      }
      const dev = stream && stream.devops;
      if (!dev || dev.wasmshRouted) continue;
      dev.wasmshRouted = true;
      if (fd === 0 && typeof dev.read === 'function') {
        const orig = dev.read.bind(dev);
        dev.read = (buf) => { const n = this.routeIo(0, buf, false); return n === null ? orig(buf) : n; };
      }
      if (fd !== 0 && typeof dev.write === 'function') {
        const orig = dev.write.bind(dev);
        dev.write = (buf) => { const n = this.routeIo(fd, buf, true); return n === null ? orig(buf) : n; };
      }
    }
  }

  ensureRouting() {
    const { FS } = this;
    for (const fd of [0, 1, 2]) {
      const s = FS.streams && FS.streams[fd];
      if (s && s.devops && !s.devops.wasmshRouted) {
        this.routeStandardStreams();
        return;
      }
    }
  }

  /** null when no python3 command is running (the caller uses Pyodide's handler). */
  routeIo(fd, buf, write) {
    const s = this.owner;
    if (!s || !s.bridge || !s.sink) return null;
    const M = this.M;
    const ex = this.exports;
    const len = buf.length;
    let ptr = buf.byteOffset;
    let tmp = 0;
    if (buf.buffer !== M.HEAPU8.buffer) {
      tmp = ex.wasmsh_alloc(len + 1);
      if (write) M.HEAPU8.set(buf, tmp);
      ptr = tmp;
    }
    let n;
    try {
      n = write ? ex.wasmsh_py_fd_write(s.bridge, fd, ptr, len) : ex.wasmsh_py_fd_read(s.bridge, fd, ptr, len);
      if (tmp && !write && n > 0) buf.set(M.HEAPU8.subarray(tmp, tmp + n));
    } finally {
      if (tmp) ex.wasmsh_free(tmp);
    }
    if (n === NOT_ROUTED) return null;
    if (n < 0) throw new this.FS.ErrnoError(-n);
    return n;
  }
}

/**
 * Loads the side module into a fresh Pyodide instance and writes the bundled
 * wheels: everything a session needs except its shell. `sideModule` is a
 * compiled WebAssembly.Module (one compile serves every instance).
 */
export function preparePyodideEngine(pyodide, { sideModule, wheels = [] }) {
  const M = pyodide._module;
  const FS = pyodide.FS;
  FS.mkdirTree(WHEELS_DIR);
  for (const w of wheels) writeSharedFile(FS, `${WHEELS_DIR}/${w.name}`, w.data);
  const exports = M.loadWebAssemblyModule(sideModule,
    { loadAsync: false, global: false, nodelete: true, allowUndefined: false }, SIDE_MODULE_PATH, {});
  const guard = M.wasmshGuard;
  if (guard && exports.wasmsh_py_deny) {
    guard.setPythonError = (name) => {
      const bytes = encoder.encode(`${name}\0`);
      const p = exports.wasmsh_alloc(bytes.length);
      M.HEAPU8.set(bytes, p);
      try {
        exports.wasmsh_py_deny(p);
      } finally {
        exports.wasmsh_free(p);
      }
    };
  }
  return new Engine('pyodide', M, FS, exports, pyodide);
}

// ------------------------------------------------------------------ options

const BUDGET_KEYS = ['steps', 'ms', 'outputBytes', 'memoryBytes', 'heapBytes', 'fileBytes', 'diskBytes', 'files',
  'openFiles'];

const MiB = 1024 * 1024;

/**
 * The budget of every run unless the session or the run says otherwise
 * (docs/security.md, "Budgets"). `Infinity` lifts one.
 */
export const DEFAULT_BUDGET = Object.freeze({
  steps: Infinity,          // commands, loop iterations, function calls (the deadline bounds them)
  ms: 5 * 60 * 1000,        // wall clock per run, inside utilities and python3 too
  outputBytes: 4 * MiB,     // output kept in the result (the first and the last half)
  memoryBytes: 512 * MiB,   // the shell's variables and pipe buffers
  heapBytes: 1024 * MiB,    // the session's whole wasm memory (Python's heap and the shell's)
  fileBytes: 256 * MiB,     // one file
  diskBytes: 1024 * MiB,    // all files written in the session together
  files: 100000,            // files, directories and links created in the session
  openFiles: 1024,          // file descriptors open at once (Emscripten's, shared by shell and Python)
});

/** A run is stopped (budget: output) once it has written this many times outputBytes. */
export const OUTPUT_STOP_FACTOR = 16;
/** The shell's memory budget is at most this fraction of heapBytes. */
const SHELL_SHARE_OF_HEAP = 4;

export function checkBudget(b, where) {
  if (b === undefined || b === null) return {};
  if (typeof b !== 'object') throw new OptionsError(`${where}: budget must be an object`);
  for (const k of Object.keys(b)) {
    if (!BUDGET_KEYS.includes(k)) throw new OptionsError(`${where}: unknown budget ${k} (known: ${BUDGET_KEYS.join(', ')})`);
    const v = b[k];
    if (v !== undefined && v !== null && v !== Infinity && !(Number.isFinite(v) && v >= 0)) {
      throw new OptionsError(`${where}: budget.${k} must be a number >= 0 or Infinity`);
    }
  }
  return { ...b };
}

const encoder = new TextEncoder();

export function toBytes(data) {
  if (data === undefined || data === null) return new Uint8Array(0);
  if (typeof data === 'string') return encoder.encode(data);
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  throw new OptionsError('data must be a string, a Uint8Array or an ArrayBuffer');
}

export const DEFAULT_ENV = {
  HOME: '/home/user',
  PATH: '/usr/local/bin:/usr/bin:/bin',
  LANG: 'C.UTF-8',
  USER: 'user',
  LOGNAME: 'user',
  TERM: 'dumb',
};

export const SESSION_OPTIONS = ['allowedHosts', 'budget', 'env', 'cwd', 'files', 'python', 'interruptBuffer', 'fetch',
  'containment'];

/** Checks createSession's options; `extra` lists the host's own option names. */
export function checkSessionOptions(o, extra = []) {
  if (o === undefined) o = {};
  if (typeof o !== 'object' || o === null) throw new OptionsError('createSession: options must be an object');
  const known = [...SESSION_OPTIONS, ...extra];
  for (const k of Object.keys(o)) {
    if (!known.includes(k)) throw new OptionsError(`createSession: unknown option ${k} (known: ${known.join(', ')})`);
  }
  const cwd = o.cwd ?? DEFAULT_CWD;
  if (typeof cwd !== 'string' || !cwd.startsWith('/')) throw new OptionsError('createSession: cwd must be an absolute path');
  if (o.env !== undefined && (typeof o.env !== 'object' || o.env === null)) throw new OptionsError('createSession: env must be an object');
  if (o.files !== undefined && (typeof o.files !== 'object' || o.files === null)) {
    throw new OptionsError('createSession: files must be an object mapping paths to contents');
  }
  if (o.interruptBuffer !== undefined && !(o.interruptBuffer instanceof Int32Array)) {
    throw new OptionsError('createSession: interruptBuffer must be an Int32Array (on a SharedArrayBuffer)');
  }
  if (o.allowedHosts !== undefined && !Array.isArray(o.allowedHosts)) {
    throw new OptionsError('allowedHosts must be an array of host names');
  }
  if (o.containment !== undefined && typeof o.containment !== 'boolean') {
    throw new OptionsError('createSession: containment must be a boolean');
  }
  if (o.fetch !== undefined && (typeof o.fetch !== 'object' || o.fetch === null)) {
    throw new OptionsError('createSession: fetch must be an object {timeoutMs, maxResponseBytes}');
  }
  const out = {
    allowedHosts: o.allowedHosts ?? [],
    budget: checkBudget(o.budget, 'createSession'),
    env: { ...(o.env || {}) },
    cwd,
    files: o.files || {},
    python: o.python !== false,
    interruptBuffer: o.interruptBuffer,
    fetch: { ...(o.fetch || {}) },
    containment: o.containment,
  };
  for (const k of extra) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

export function checkRunOptions(runOptions) {
  const ro = runOptions || {};
  const known = ['stdin', 'timeoutMs', 'budget', 'onStdout', 'onStderr'];
  for (const k of Object.keys(ro)) {
    if (!known.includes(k)) throw new OptionsError(`run: unknown option ${k} (known: ${known.join(', ')})`);
  }
  const budget = checkBudget(ro.budget, 'run');
  if (ro.timeoutMs !== undefined) {
    if (!(ro.timeoutMs >= 0)) throw new OptionsError('run: timeoutMs must be a number >= 0');
    budget.ms = ro.timeoutMs;
  }
  for (const k of ['onStdout', 'onStderr']) {
    if (ro[k] !== undefined && typeof ro[k] !== 'function') throw new OptionsError(`run: ${k} must be a function`);
  }
  return { stdin: toBytes(ro.stdin), budget, onStdout: ro.onStdout, onStderr: ro.onStderr };
}

// ------------------------------------------------------------------ session

/**
 * A shell (and Python) with its own filesystem, on one engine. The methods
 * are synchronous except run(), which returns a promise (the same object is
 * proxied asynchronously from a browser worker).
 */
export class Session {
  /**
   * @param {Engine} engine
   * @param {object} opts     checked options (checkSessionOptions)
   * @param {object} broker   {fetchSync({url, method, headers, body}), close()}
   * @param {object} [host]
   * @param {() => Promise<Engine>} [host.newEngine]  a fresh engine when this one's runtime fails
   *   (files are carried over); without it such a failure closes the session
   * @param {boolean} [host.containByDefault=true]     a Pyodide engine is contained unless opts.containment is false
   */
  constructor(engine, opts, broker, { newEngine = null, containByDefault = true } = {}) {
    if (engine.owner) throw new WasmshError('internal: the engine already belongs to a session');
    this.contained = opts.containment ?? containByDefault;
    if (engine.kind === 'pyodide' && this.contained && !engine.guard) {
      throw new RuntimeLoadError('this Pyodide instance was not created by wasmsh, so its JavaScript bridge cannot ' +
        'be closed to Python code; pass containment: false to run it uncontained');
    }
    this.newEngine = newEngine;
    this.violations = [];
    this.pendingStop = null;
    this.opts = opts;
    this.limits = null;
    this.adopt(engine);
    this.broker = broker;
    this.closed = false;
    this.busy = false;
    this.bridge = 0;
    this.sink = null; // the run in progress collects output here
    this.interrupt = opts.interruptBuffer || new Int32Array(new SharedArrayBufferOrBuffer(4));
    for (const [p, data] of Object.entries(opts.files)) this.writeFile(p.startsWith('/') ? p : `${opts.cwd}/${p}`, data);
    this.newShell();
  }

  newShell(cwd = this.opts.cwd) {
    const { FS, opts } = this;
    FS.mkdirTree(opts.cwd);
    FS.mkdirTree(opts.env.HOME || DEFAULT_ENV.HOME);
    FS.mkdirTree('/tmp');
    try {
      FS.chdir(cwd);
    } catch {
      FS.chdir(opts.cwd);
    }
    const h = this.engine.hooks;
    // the standalone build registers python3 & co. that say it has no Python
    // 1: python3 contained (membrane.py), 2: uncontained (the page's own Python)
    const python = opts.python ? (this.contained ? 1 : 2) : 0;
    this.bridge = this.exports.wasmsh_new(h[0], h[1], h[2], python);
    if (!this.bridge) throw new RuntimeLoadError('wasmsh_new failed (out of memory?)');
    const env = { ...DEFAULT_ENV, ...opts.env, PWD: FS.cwd() };
    const block = Object.entries(env).filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => `${k}=${v}\0`).join('') + '\0';
    this.withString(block, (p) => this.exports.wasmsh_import_env(this.bridge, p));
    this.applyLimits(opts.budget);
  }

  /** The defaults, under the session's budget, under the run's. */
  budgetOf(runBudget) {
    const b = { ...DEFAULT_BUDGET };
    for (const src of [this.opts.budget, runBudget]) {
      for (const [k, v] of Object.entries(src || {})) if (v !== undefined && v !== null) b[k] = v;
    }
    return b;
  }

  applyLimits(budget) {
    const b = this.budgetOf(budget);
    this.limits = b;
    const num = (v) => (v === Infinity ? 1e19 : (v || 0));
    const outputStop = b.outputBytes === Infinity ? Infinity : b.outputBytes * OUTPUT_STOP_FACTOR;
    // the shell's own accounting stops it cleanly before its allocations
    // could meet the wasm memory ceiling (a doubling string needs 3 times its size)
    const shellMemory = Math.min(b.memoryBytes, b.heapBytes / SHELL_SHARE_OF_HEAP);
    this.exports.wasmsh_set_limits(this.bridge, num(b.steps), num(b.ms), num(outputStop), num(shellMemory));
    this.applyFsLimits(b);
  }

  applyFsLimits(b) {
    if (!b) b = this.limits = this.budgetOf({});
    const { engine } = this;
    engine.quota.setLimits({ fileBytes: b.fileBytes, diskBytes: b.diskBytes, files: b.files });
    if (engine.guard) engine.guard.heapLimit = b.heapBytes;
    if (this.FS && 'MAX_OPEN_FDS' in this.FS) this.FS.MAX_OPEN_FDS = b.openFiles === Infinity ? 4096 : Math.max(8, b.openFiles);
  }

  withString(s, fn) {
    const bytes = toBytes(s);
    const p = this.exports.wasmsh_alloc(bytes.length + 1);
    this.M.HEAPU8.set(bytes, p);
    this.M.HEAPU8[p + bytes.length] = 0;
    try {
      return fn(p, bytes.length);
    } finally {
      this.exports.wasmsh_free(p);
    }
  }

  // --- host hooks (called from C during a run)

  onWrite(fd, ptr, len) {
    const sink = this.sink;
    if (!sink || len === 0) return;
    sink.write(fd, this.M.HEAPU8.slice(ptr, ptr + len));
  }

  onPoll() {
    if (this.pendingStop) this.deliverStop();
    const v = Atomics.load(this.interrupt, 0);
    if (v) Atomics.store(this.interrupt, 0, 0);
    return v;
  }

  onFetch(reqPtr, reqLen, outPtr) {
    const M = this.M;
    const { rc, bytes } = brokerExchange(this.broker, M.HEAPU8.slice(reqPtr, reqPtr + reqLen),
      { interrupt: this.interrupt, deadlineAt: this.fetchDeadlineAt || 0 });
    const p = this.exports.wasmsh_alloc(bytes.length + 1);
    M.HEAPU8.set(bytes, p);
    M.HEAPU32[outPtr >>> 2] = p;
    M.HEAPU32[(outPtr >>> 2) + 1] = bytes.length;
    return rc;
  }

  /**
   * A budget the JS side enforces was hit (fs_quota.mjs: fileSize, disk,
   * files; js_guard.mjs: heap). A file system refusal stops the run at once
   * (it comes from inside a syscall); a heap refusal comes from inside malloc,
   * so the stop waits for the next check: the shell's next poll, Python's
   * eval loop.
   */
  onBudgetExceeded(kind) {
    if (!this.sink) return;
    if (kind === 'heap') {
      this.sink.heapRefused = true;
      if (!this.pendingStop) this.pendingStop = kind;
      return;
    }
    // a file system refusal comes from inside a write or create syscall
    this.pendingStop = kind;
    this.deliverStop();
  }

  deliverStop() {
    const kind = this.pendingStop;
    this.pendingStop = null;
    const which = kind === 'heap' ? 0 : QUOTA_KINDS[kind];
    if (this.sink && this.bridge && this.exports.wasmsh_budget_stop && which !== undefined) {
      this.exports.wasmsh_budget_stop(this.bridge, which);
    }
  }

  /** Code in the sandbox called a closed import (js_guard.mjs). */
  onViolation(name) {
    this.violations.push(name);
    if (this.sink) this.sink.violations.push(name);
  }

  // --- the API

  check() {
    if (this.closed) throw new SessionClosedError();
  }

  /**
   * Runs a script. Resolves to {stdout, stderr, output, exitCode, truncated,
   * durationMs, stopReason, exited}; a budget stop is a result (exitCode 124
   * and stopReason), not an exception.
   */
  async run(script, runOptions = {}) {
    this.check();
    if (this.busy) throw new SessionBusyError();
    if (typeof script !== 'string') throw new OptionsError('run: script must be a string');
    const ro = checkRunOptions(runOptions);
    const result = this.runSync(script, ro);
    if (this.failed) await this.recover(result);
    return result;
  }

  runSync(script, { stdin, budget, onStdout, onStderr }) {
    this.busy = true;
    const b = this.budgetOf(budget);
    const sink = new OutputSink(b.outputBytes, { onStdout, onStderr });
    sink.violations = [];
    const hasBudget = Object.keys(budget).length > 0;
    const t0 = performance.now();
    let status = 0;
    let failure = null;
    const { guard } = this.engine;
    const runMs = b.ms;
    this.fetchDeadlineAt = runMs > 0 && runMs !== Infinity ? Date.now() + runMs : 0; // fetches end with the run
    try {
      if (hasBudget) this.applyLimits(budget);
      if (this.pyodide) this.engine.ensureRouting();
      this.sink = sink;
      this.pendingStop = null;
      this.engine.nextPollAt = 0;
      this.engine.pollCountdown = 0;
      this.engine.signalReads = 0;
      if (guard) guard.locked = this.contained;
      const scriptBytes = toBytes(script);
      const ex = this.exports;
      const sp = ex.wasmsh_alloc(scriptBytes.length + stdin.length + 1);
      const heap = this.M.HEAPU8;
      heap.set(scriptBytes, sp);
      if (stdin.length) heap.set(stdin, sp + scriptBytes.length);
      try {
        status = ex.wasmsh_run(this.bridge, sp, scriptBytes.length, sp + scriptBytes.length, stdin.length);
      } catch (e) {
        failure = e; // the runtime cannot be trusted any more: the engine is replaced (recover)
      } finally {
        if (!failure) ex.wasmsh_free(sp);
      }
    } finally {
      if (guard) guard.locked = false;
      this.sink = null;
      this.pendingStop = null;
      if (hasBudget && !failure) this.applyLimits({});
      this.busy = false;
    }
    const durationMs = performance.now() - t0;
    const kept = sink.assemble();
    const result = { stdout: kept.stdout, stderr: kept.stderr, output: kept.output };
    if (failure) {
      this.failed = failure;
      Object.assign(result, failureResult(failure, sink));
      result.stderr += result.failureMessage;
      result.output += result.failureMessage;
      delete result.failureMessage;
    } else {
      const reasonPtr = this.exports.wasmsh_stop_reason(this.bridge);
      result.exitCode = status & 0xff;
      result.truncated = !!this.exports.wasmsh_truncated(this.bridge) || kept.droppedBytes > 0;
      result.exited = !!this.exports.wasmsh_has_exited(this.bridge);
      result.stopReason = reasonPtr ? this.M.UTF8ToString(reasonPtr) : null;
      if (this.exports.wasmsh_py_damaged && this.exports.wasmsh_py_damaged(this.bridge)) {
        // the program left Python's shared state (its builtins, the import
        // system, library modules the driver uses) beyond repair
        this.failed = new Error('the Python interpreter was damaged');
        const note = 'wasmsh: python3 left the interpreter damaged; the session\'s runtime was restarted: files are ' +
          'kept, shell variables and Python state are reset\n';
        result.stderr += note;
        result.output += note;
      }
    }
    result.droppedBytes = kept.droppedBytes;
    result.durationMs = durationMs;
    if (sink.violations.length) result.sandboxViolations = [...new Set(sink.violations)];
    sink.endStreams();
    if (sink.callbackError) throw sink.callbackError;
    return result;
  }

  /**
   * After a run whose runtime failed (see failureResult): a fresh engine with
   * this session's files, a fresh shell in the same directory. Without a way
   * to make an engine, the session closes.
   */
  async recover(result) {
    const failed = this.engine;
    const cwd = (() => { try { return this.FS.cwd(); } catch { return this.opts.cwd; } })();
    this.failed = null;
    failed.owner = null;
    failed.retired = true;
    if (!this.newEngine) {
      this.closed = true;
      if (this.broker) this.broker.close();
      const note = 'wasmsh: the session is closed (its runtime failed and this host cannot replace it)\n';
      result.stderr += note;
      result.output += note;
      return;
    }
    this.busy = true;
    try {
      const engine = await this.newEngine();
      copyFileTree(failed.FS, engine.FS);
      this.adopt(engine);
      this.newShell(cwd);
    } catch (e) {
      this.closed = true;
      const note = `wasmsh: the session is closed (its runtime failed and could not be restarted: ${e && e.message})\n`;
      result.stderr += note;
      result.output += note;
    } finally {
      this.busy = false;
    }
  }

  adopt(engine) {
    if (engine.owner) throw new WasmshError('internal: the engine already belongs to a session');
    this.engine = engine;
    engine.owner = this;
    this.M = engine.M;
    this.FS = engine.FS;
    this.exports = engine.exports;
    this.pyodide = engine.pyodide;
    this.kind = engine.kind;
    this.bridge = 0;
    this.applyFsLimits(this.limits);
  }

  /** Sets $0 and the positional parameters $1... for the following runs. */
  setArgs(arg0, args = []) {
    this.check();
    const all = [arg0, ...args].map(String);
    if (all.some((a) => a.includes('\0'))) throw new OptionsError('setArgs: arguments cannot contain NUL');
    const block = all.map((a) => `${a}\0`).join('');
    this.withString(block, (p) => this.exports.wasmsh_set_args(this.bridge, p, all.length));
  }

  /** The shell's current directory. */
  cwd() {
    this.check();
    return this.FS.cwd();
  }

  /**
   * Asks the script to stop, as Ctrl-C. A run is one synchronous wasm call:
   * called on the thread that runs the session, this can only take effect at
   * the next run's first check. To stop a running command, store 2 in the
   * session's interruptBuffer from another thread (see docs/js-api.md).
   */
  cancel() {
    Atomics.store(this.interrupt, 0, SIGINT);
  }

  resolve(p) {
    if (typeof p !== 'string' || !p) throw new OptionsError('path must be a non-empty string');
    return p.startsWith('/') ? vpath.normalize(p) : vpath.join(this.FS.cwd(), p);
  }

  fsCall(op, p, fn) {
    this.check();
    const abs = this.resolve(p);
    try {
      return fn(abs);
    } catch (e) {
      if (e instanceof WasmshError) throw e;
      const name = e && e.errno !== undefined ? errnoName(e.errno) : 'EIO';
      throw new FsError(op, abs, name);
    }
  }

  writeFile(p, data, { mode } = {}) {
    return this.fsCall('writeFile', p, (abs) => {
      this.FS.mkdirTree(vpath.dirname(abs));
      this.FS.writeFile(abs, toBytes(data));
      if (mode !== undefined) this.FS.chmod(abs, mode);
    });
  }

  readFile(p, { encoding } = {}) {
    return this.fsCall('readFile', p, (abs) => {
      if (encoding && encoding !== 'utf8' && encoding !== 'utf-8') {
        throw new OptionsError(`readFile: unsupported encoding ${encoding} (use 'utf8' or none)`);
      }
      const data = this.FS.readFile(abs);
      return encoding ? new TextDecoder().decode(data) : data;
    });
  }

  stat(p) {
    return this.fsCall('stat', p, (abs) => {
      const st = this.FS.lstat(abs);
      const FS = this.FS;
      return {
        size: st.size,
        mode: st.mode,
        mtimeMs: st.mtime instanceof Date ? st.mtime.getTime() : Number(st.mtime),
        isFile: FS.isFile(st.mode),
        isDirectory: FS.isDir(st.mode),
        isSymbolicLink: FS.isLink(st.mode),
      };
    });
  }

  listDir(p = '.') {
    return this.fsCall('listDir', p, (abs) => this.FS.readdir(abs)
      .filter((n) => n !== '.' && n !== '..')
      .sort()
      .map((name) => {
        const st = this.FS.lstat(vpath.join(abs, name));
        const type = this.FS.isDir(st.mode) ? 'directory' : this.FS.isLink(st.mode) ? 'symlink' : 'file';
        return { name, type, size: st.size };
      }));
  }

  mkdir(p, { recursive = false } = {}) {
    return this.fsCall('mkdir', p, (abs) => { if (recursive) this.FS.mkdirTree(abs); else this.FS.mkdir(abs); });
  }

  remove(p, { recursive = false } = {}) {
    return this.fsCall('remove', p, (abs) => removePath(this.FS, abs, recursive));
  }

  /** A fresh shell (variables, functions, options, cwd back to the start); files stay. */
  reset() {
    this.check();
    if (this.busy) throw new SessionBusyError();
    this.exports.wasmsh_destroy(this.bridge);
    this.bridge = 0;
    this.newShell();
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    if (this.bridge) this.exports.wasmsh_destroy(this.bridge);
    this.bridge = 0;
    if (this.broker) this.broker.close();
    if (this.pyodide && this.engine.detachOnClose !== false) this.pyodide.setInterruptBuffer(undefined);
    this.engine.owner = null;
    this.engine.retired = true;
    this.pyodide = null;
    this.M = null;
  }
}

// SharedArrayBuffer exists in Node and in cross-origin isolated pages; a page
// that is not isolated still gets a working (single-thread) flag.
const SharedArrayBufferOrBuffer = typeof SharedArrayBuffer === 'function' ? SharedArrayBuffer : ArrayBuffer;

/**
 * The result of a run whose runtime failed: a JS exception came out of the
 * wasm call (an attempt at the closed JavaScript bridge through a function
 * that cannot report an error, an abort on out-of-memory in C code, a stack
 * overflow, a trap). The wasm state is not trusted after that.
 */
function failureResult(e, sink) {
  const name = e && e.name;
  const msg = String((e && e.message) || e);
  let stopReason = 'crash';
  let exitCode = 134;
  let what = `the runtime failed (${msg.slice(0, 200)})`;
  if (name === 'JsBridgeClosed') {
    stopReason = 'sandbox';
    what = `${e.importName}: the sandbox's JavaScript bridge is closed`;
  } else if (sink.heapRefused || /out of memory/i.test(msg)) {
    stopReason = 'heap';
    exitCode = 124;
    what = 'memory limit exceeded (budget: heap)';
  } else if (e instanceof RangeError && /call stack/i.test(msg)) {
    stopReason = 'depth';
    exitCode = 124;
    what = 'recursion depth limit exceeded: the native stack is exhausted (budget: depth)';
  }
  return {
    exitCode, stopReason, truncated: sink.droppedBytes > 0, exited: false,
    failureMessage: `wasmsh: ${what}; the session's runtime was restarted: files are kept, ` +
      'shell variables and Python state are reset\n',
  };
}

function removePath(FS, abs, recursive) {
  const st = FS.lstat(abs);
  if (!FS.isDir(st.mode)) {
    FS.unlink(abs);
    return;
  }
  if (recursive) {
    for (const n of FS.readdir(abs)) if (n !== '.' && n !== '..') removePath(FS, vpath.join(abs, n), true);
  }
  FS.rmdir(abs);
}

// Emscripten's FS numbers errors as WASI does.
const WASI_ERRNO = {
  2: 'EACCES', 10: 'EBUSY', 20: 'EEXIST', 28: 'EINVAL', 31: 'EISDIR', 32: 'ELOOP', 44: 'ENOENT',
  54: 'ENOTDIR', 55: 'ENOTEMPTY', 63: 'EPERM', 69: 'EROFS', 37: 'ENAMETOOLONG', 22: 'EFBIG', 51: 'ENOSPC',
  33: 'EMFILE',
};

export function errnoName(errno) {
  return WASI_ERRNO[errno] || `errno ${errno}`;
}
