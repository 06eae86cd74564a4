// session.mjs - wasmsh sessions in Node: the shell as a side module inside
// Pyodide, sharing Pyodide's MEMFS with Python, python3 in the same module.
//
//   import { createSession } from 'wasmsh';
//   const s = await createSession({ allowedHosts: ['pypi.org'], cwd: '/workspace' });
//   const r = await s.run("python3 -c 'print(6*7)' | tr 4 x");
//   r.stdout  // "x2\n"
//
// One Pyodide instance per session: the instances share nothing but the
// compiled code (the side module is compiled once per process, Pyodide's own
// wasm is compiled once and cached by V8), so sessions are isolated from each
// other as separate wasm memories. docs/js-api.md documents the API.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

import { FetchBroker } from './fetch_broker.mjs';
import {
  FsError, OptionsError, RuntimeLoadError, SessionBusyError, SessionClosedError, WasmshError,
} from './errors.mjs';

export * from './errors.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SIDE_MODULE_NAME = '/lib/wasmsh/wasmsh.so';
const WHEELS_DIR = '/lib/wasmsh/wheels';
const DEFAULT_CWD = '/workspace';
const SIGINT = 2;

// ------------------------------------------------------------------ runtime

// The side module and bundled wheels: next to the package's lib/ (npm
// package: runtime/), or in the repository's build/ tree.
function findRuntimeFiles(explicitDir) {
  const candidates = explicitDir ? [explicitDir]
    : [path.join(HERE, '..', 'runtime'), path.join(HERE, '..', 'build')];
  for (const dir of candidates) {
    const so = [path.join(dir, 'wasmsh.so'), path.join(dir, 'pyodide', 'wasmsh.so')].find((p) => fs.existsSync(p));
    if (!so) continue;
    const wheelDir = [path.join(dir, 'wheels')].find((p) => fs.existsSync(p));
    return { so, wheelDir };
  }
  throw new RuntimeLoadError(`wasmsh.so not found (looked in ${candidates.join(', ')}); ` +
    'run `make pyodide` in the repository, or reinstall the package');
}

let runtimePromise = null;

/** Loads what every session shares, once per process: the compiled side
 * module, the bundled wheels, Pyodide's loader. */
export function loadRuntime(options = {}) {
  if (!runtimePromise) {
    runtimePromise = (async () => {
      const files = findRuntimeFiles(options.runtimeDir);
      const soBytes = fs.readFileSync(files.so);
      const sideModule = await WebAssembly.compile(soBytes);
      const wheels = [];
      if (files.wheelDir) {
        for (const f of fs.readdirSync(files.wheelDir).sort()) {
          if (f.endsWith('.whl')) wheels.push({ name: f, data: fs.readFileSync(path.join(files.wheelDir, f)) });
        }
      }
      let loadPyodide;
      try {
        ({ loadPyodide } = await import('pyodide'));
      } catch (e) {
        throw new RuntimeLoadError('the pyodide package is missing: npm install pyodide@0.29.5', e);
      }
      const req = createRequire(import.meta.url);
      const indexURL = path.dirname(req.resolve('pyodide/pyodide.mjs')) + path.sep;
      return { sideModule, wheels, loadPyodide, indexURL, pool: [] };
    })();
    runtimePromise.catch(() => { runtimePromise = null; });
  }
  return runtimePromise;
}

// The first instance of the process is a full load that also makes a memory
// snapshot of the freshly started interpreter (about 20 MB, 15 ms); later
// instances start from it, which skips Python's initialization (about 0.3 s
// instead of 1.5 s). The snapshot holds wasm memory only: each session then
// writes its own files and loads the (already compiled) side module.
async function newPyodide(rt) {
  const quiet = () => {};
  const base = { indexURL: rt.indexURL, stdout: quiet, stderr: quiet, stdin: () => null,
    fullStdLib: false, checkAPIVersion: true };
  if (rt.snapshot) return rt.loadPyodide({ ...base, _loadSnapshot: rt.snapshot });
  if (!rt.snapshotting) {
    rt.snapshotting = true;
    try {
      const py = await rt.loadPyodide({ ...base, _makeSnapshot: true });
      rt.snapshot = py.makeMemorySnapshot();
      return py;
    } catch {
      rt.snapshotting = false; // fall back to plain loads
    }
  }
  return rt.loadPyodide(base);
}

// Pyodide instances made ahead of need: a session takes one if there is one
// (createSession({prewarm: N}) or prewarm(N) fills the pool).
async function takePyodide(rt) {
  if (rt.pool.length) return rt.pool.shift();
  return newPyodide(rt);
}

/** Starts N Pyodide instances in the background so that later sessions start at once. */
export async function prewarm(count = 1, options = {}) {
  const rt = await loadRuntime(options);
  const made = [];
  for (let i = 0; i < count; i++) made.push(newPyodide(rt));
  for (const p of made) rt.pool.push(await p);
}

// ------------------------------------------------------------------ options

const BUDGET_KEYS = ['steps', 'ms', 'outputBytes', 'memoryBytes'];

function checkBudget(b, where) {
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

function toBytes(data) {
  if (data === undefined || data === null) return new Uint8Array(0);
  if (typeof data === 'string') return new TextEncoder().encode(data);
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  throw new OptionsError('data must be a string, a Uint8Array or an ArrayBuffer');
}

const DEFAULT_ENV = {
  HOME: '/home/user',
  PATH: '/usr/local/bin:/usr/bin:/bin',
  LANG: 'C.UTF-8',
  USER: 'user',
  LOGNAME: 'user',
  TERM: 'dumb',
};

// ------------------------------------------------------------------ session

/**
 * Creates a session: a shell (and Python) with its own filesystem.
 * See docs/js-api.md for every option.
 */
export async function createSession(options = {}) {
  const opts = checkSessionOptions(options);
  const rt = await loadRuntime(opts);
  const pyodide = await takePyodide(rt);
  const session = new Session(rt, pyodide, opts);
  session.init();
  return session;
}

function checkSessionOptions(o) {
  if (typeof o !== 'object' || o === null) throw new OptionsError('createSession: options must be an object');
  const known = ['allowedHosts', 'budget', 'env', 'cwd', 'files', 'python', 'runtimeDir', 'interruptBuffer'];
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
  return {
    allowedHosts: o.allowedHosts ?? [],
    budget: checkBudget(o.budget, 'createSession'),
    env: { ...(o.env || {}) },
    cwd,
    files: o.files || {},
    python: o.python !== false,
    runtimeDir: o.runtimeDir,
    interruptBuffer: o.interruptBuffer,
  };
}

class Session {
  constructor(rt, pyodide, opts) {
    this.rt = rt;
    this.pyodide = pyodide;
    this.M = pyodide._module;
    this.FS = pyodide.FS;
    this.opts = opts;
    this.broker = new FetchBroker(opts.allowedHosts);
    this.closed = false;
    this.busy = false;
    this.bridge = 0;
    this.sink = null; // the run in progress collects output here
    this.interrupt = opts.interruptBuffer || new Int32Array(new SharedArrayBuffer(4));
  }

  init() {
    const { FS, M } = this;
    FS.mkdirTree(path.posix.dirname(SIDE_MODULE_NAME));
    FS.mkdirTree(WHEELS_DIR);
    for (const w of this.rt.wheels) FS.writeFile(`${WHEELS_DIR}/${w.name}`, w.data);
    this.exports = M.loadWebAssemblyModule(this.rt.sideModule,
      { loadAsync: false, global: false, nodelete: true, allowUndefined: false }, SIDE_MODULE_NAME, {});
    this.hooks = [
      M.addFunction((fd, ptr, len) => this.onWrite(fd, ptr, len), 'viii'),
      M.addFunction(() => this.onPoll(), 'i'),
      M.addFunction((req, len, out) => this.onFetch(req, len, out), 'iiii'),
    ];
    this.installInterruptCheck();
    for (const [p, data] of Object.entries(this.opts.files)) this.writeFile(p.startsWith('/') ? p : `${this.opts.cwd}/${p}`, data);
    this.newShell();
  }

  newShell() {
    const { FS, opts } = this;
    FS.mkdirTree(opts.cwd);
    FS.mkdirTree(opts.env.HOME || DEFAULT_ENV.HOME);
    FS.mkdirTree('/tmp');
    FS.chdir(opts.cwd);
    this.bridge = this.exports.wasmsh_new(this.hooks[0], this.hooks[1], this.hooks[2], opts.python ? 1 : 0);
    if (!this.bridge) throw new RuntimeLoadError('wasmsh_new failed (out of memory?)');
    const env = { ...DEFAULT_ENV, ...opts.env, PWD: opts.cwd };
    const block = Object.entries(env).filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => `${k}=${v}\0`).join('') + '\0';
    this.withString(block, (p) => this.exports.wasmsh_import_env(this.bridge, p));
    this.applyLimits(opts.budget);
  }

  // Python checks Module.Py_EmscriptenSignalBuffer[0] every few dozen eval-
  // breaker ticks (CPython's Emscripten signal support, which Pyodide's
  // setInterruptBuffer enables). Reading [0] here asks the bridge whether the
  // running python3 must stop (deadline, budget, cancel through the
  // interrupt buffer): 2 (SIGINT) raises KeyboardInterrupt inside Python.
  installInterruptCheck() {
    const session = this;
    const check = {
      get 0() {
        if (!session.sink || !session.bridge) return 0;
        return session.exports.wasmsh_py_poll(session.bridge) ? SIGINT : 0;
      },
      set 0(_v) { /* Python clears the flag after reading it */ },
    };
    this.pyodide.setInterruptBuffer(check);
  }

  applyLimits(budget) {
    const b = { ...this.opts.budget, ...budget };
    const num = (v) => (v === Infinity ? 1e19 : (v || 0));
    this.exports.wasmsh_set_limits(this.bridge, num(b.steps), num(b.ms), num(b.outputBytes), num(b.memoryBytes));
  }

  withString(s, fn) {
    const bytes = toBytes(s);
    return this.withBytes(bytes, (p) => fn(p, bytes.length), true);
  }

  withBytes(bytes, fn, nulTerminate = false) {
    const p = this.exports.wasmsh_alloc(bytes.length + 1);
    this.M.HEAPU8.set(bytes, p);
    if (nulTerminate) this.M.HEAPU8[p + bytes.length] = 0;
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
    const chunk = this.M.HEAPU8.slice(ptr, ptr + len);
    sink.chunks.push(fd === 2 ? -chunk.length : chunk.length);
    sink.parts.push(chunk);
    const cb = fd === 2 ? sink.onStderr : sink.onStdout;
    if (cb) {
      const dec = fd === 2 ? sink.errDecoder : sink.outDecoder;
      try {
        cb(dec.decode(chunk, { stream: true }));
      } catch (e) {
        sink.callbackError = sink.callbackError || e;
      }
    }
  }

  onPoll() {
    const v = Atomics.load(this.interrupt, 0);
    if (v) Atomics.store(this.interrupt, 0, 0);
    return v;
  }

  onFetch(reqPtr, reqLen, outPtr) {
    const M = this.M;
    let reply;
    let rc = 0;
    try {
      const req = JSON.parse(new TextDecoder().decode(M.HEAPU8.subarray(reqPtr, reqPtr + reqLen)));
      const body = req.body ? Buffer.from(req.body, 'base64') : undefined;
      const res = this.broker.fetchSync({ url: req.url, method: req.method || 'GET', headers: req.headers || {}, body });
      const head = new TextEncoder().encode(`${JSON.stringify({ status: res.status, headers: res.headers, url: res.url })}\n`);
      reply = new Uint8Array(head.length + res.body.length);
      reply.set(head, 0);
      reply.set(res.body, head.length);
    } catch (e) {
      rc = -1;
      reply = new TextEncoder().encode(e instanceof WasmshError ? e.message : String(e && e.message || e));
    }
    const p = this.exports.wasmsh_alloc(reply.length + 1);
    M.HEAPU8.set(reply, p);
    M.HEAPU32[outPtr >>> 2] = p;
    M.HEAPU32[(outPtr >>> 2) + 1] = reply.length;
    return rc;
  }

  // --- the API

  check() {
    if (this.closed) throw new SessionClosedError();
  }

  /**
   * Runs a script. Resolves to {stdout, stderr, output, exitCode, truncated,
   * durationMs, stopReason}; a budget stop is a result (exitCode 124 and
   * stopReason), not an exception.
   */
  async run(script, runOptions = {}) {
    this.check();
    if (this.busy) throw new SessionBusyError();
    if (typeof script !== 'string') throw new OptionsError('run: script must be a string');
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
    return this.runSync(script, toBytes(ro.stdin), budget, ro.onStdout, ro.onStderr);
  }

  runSync(script, stdin, budget, onStdout, onStderr) {
    this.busy = true;
    const sink = {
      parts: [], chunks: [], onStdout, onStderr, callbackError: null,
      outDecoder: new TextDecoder(), errDecoder: new TextDecoder(),
    };
    const hasBudget = Object.keys(budget).length > 0;
    const t0 = performance.now();
    let status;
    try {
      if (hasBudget) this.applyLimits(budget);
      this.sink = sink;
      const scriptBytes = toBytes(script);
      const sp = this.exports.wasmsh_alloc(scriptBytes.length + stdin.length + 1);
      this.M.HEAPU8.set(scriptBytes, sp);
      this.M.HEAPU8.set(stdin, sp + scriptBytes.length);
      try {
        status = this.exports.wasmsh_run(this.bridge, sp, scriptBytes.length, sp + scriptBytes.length, stdin.length);
      } finally {
        this.exports.wasmsh_free(sp);
      }
    } finally {
      this.sink = null;
      if (hasBudget) this.applyLimits({});
      this.busy = false;
    }
    const durationMs = performance.now() - t0;
    const reasonPtr = this.exports.wasmsh_stop_reason(this.bridge);
    const result = assemble(sink);
    result.exitCode = status & 0xff;
    result.truncated = !!this.exports.wasmsh_truncated(this.bridge);
    result.exited = !!this.exports.wasmsh_has_exited(this.bridge);
    result.durationMs = durationMs;
    result.stopReason = reasonPtr ? this.M.UTF8ToString(reasonPtr) : null;
    if (onStdout) { const rest = sink.outDecoder.decode(); if (rest) onStdout(rest); }
    if (onStderr) { const rest = sink.errDecoder.decode(); if (rest) onStderr(rest); }
    if (sink.callbackError) throw sink.callbackError;
    return result;
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

  /** Asks the running script to stop (as Ctrl-C): effective when called from another thread through interruptBuffer, or between runs. */
  cancel() {
    Atomics.store(this.interrupt, 0, SIGINT);
  }

  resolve(p) {
    if (typeof p !== 'string' || !p) throw new OptionsError('path must be a non-empty string');
    return p.startsWith('/') ? path.posix.normalize(p) : path.posix.join(this.FS.cwd(), p);
  }

  fsCall(op, p, fn) {
    this.check();
    const abs = this.resolve(p);
    try {
      return fn(abs);
    } catch (e) {
      if (e instanceof WasmshError) throw e;
      const name = e && e.errno !== undefined ? errnoName(this.FS, e.errno) : 'EIO';
      throw new FsError(op, abs, name);
    }
  }

  writeFile(p, data, { mode } = {}) {
    return this.fsCall('writeFile', p, (abs) => {
      this.FS.mkdirTree(path.posix.dirname(abs));
      this.FS.writeFile(abs, toBytes(data));
      if (mode !== undefined) this.FS.chmod(abs, mode);
    });
  }

  readFile(p, { encoding } = {}) {
    return this.fsCall('readFile', p, (abs) => {
      const data = this.FS.readFile(abs);
      if (encoding === 'utf8' || encoding === 'utf-8') return new TextDecoder().decode(data);
      if (encoding) throw new OptionsError(`readFile: unsupported encoding ${encoding} (use 'utf8' or none)`);
      return data;
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
        const st = this.FS.lstat(path.posix.join(abs, name));
        const type = this.FS.isDir(st.mode) ? 'directory' : this.FS.isLink(st.mode) ? 'symlink' : 'file';
        return { name, type, size: st.size };
      }));
  }

  mkdir(p, { recursive = false } = {}) {
    return this.fsCall('mkdir', p, (abs) => (recursive ? this.FS.mkdirTree(abs) : this.FS.mkdir(abs)));
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
    this.broker.close();
    this.pyodide.setInterruptBuffer(undefined);
    this.pyodide = null;
    this.M = null;
  }
}

function assemble(sink) {
  const dec = new TextDecoder();
  let outLen = 0;
  let errLen = 0;
  for (const n of sink.chunks) { if (n > 0) outLen += n; else errLen -= n; }
  const out = new Uint8Array(outLen);
  const err = new Uint8Array(errLen);
  let oi = 0;
  let ei = 0;
  let output = '';
  // `output` interleaves the two streams as they were written; decoding each
  // chunk on its own would split multi-byte characters, so decode runs of
  // the same stream.
  let runFd = 0;
  let run = [];
  const flush = () => {
    if (!run.length) return;
    output += dec.decode(concat(run));
    run = [];
  };
  sink.parts.forEach((chunk, i) => {
    const fd = sink.chunks[i] >= 0 ? 1 : 2;
    if (fd === 1) { out.set(chunk, oi); oi += chunk.length; } else { err.set(chunk, ei); ei += chunk.length; }
    if (fd !== runFd) { flush(); runFd = fd; }
    run.push(chunk);
  });
  flush();
  return { stdout: dec.decode(out), stderr: dec.decode(err), output };
}

function concat(parts) {
  if (parts.length === 1) return parts[0];
  const n = parts.reduce((a, p) => a + p.length, 0);
  const r = new Uint8Array(n);
  let o = 0;
  for (const p of parts) { r.set(p, o); o += p.length; }
  return r;
}

function removePath(FS, abs, recursive) {
  const st = FS.lstat(abs);
  if (!FS.isDir(st.mode)) {
    FS.unlink(abs);
    return;
  }
  if (recursive) {
    for (const n of FS.readdir(abs)) if (n !== '.' && n !== '..') removePath(FS, path.posix.join(abs, n), true);
  }
  FS.rmdir(abs);
}

// Emscripten's FS numbers errors as WASI does.
const WASI_ERRNO = {
  2: 'EACCES', 10: 'EBUSY', 20: 'EEXIST', 28: 'EINVAL', 31: 'EISDIR', 32: 'ELOOP', 44: 'ENOENT',
  54: 'ENOTDIR', 55: 'ENOTEMPTY', 63: 'EPERM', 69: 'EROFS', 37: 'ENAMETOOLONG',
};

function errnoName(FS, errno) {
  return WASI_ERRNO[errno] || `errno ${errno}`;
}
