// pyodide_loader.mjs - Pyodide instances for wasmsh sessions, as cheaply as
// Pyodide 0.29.5 allows. Platform-neutral (Node and browser workers): the
// caller passes `loadPyodide`, the index URL and a script loader.
//
// The first instance of a realm is a full load (Python's initialization,
// ~1.5-2 s) that also makes a memory snapshot of the fresh interpreter. Every
// later instance starts from that snapshot, and three things make it cheaper
// than Pyodide's own `_loadSnapshot` path (each measured in bench/session.mjs):
//
//  1. Pyodide's wasm is compiled once per realm: the compiled
//     WebAssembly.Module of the first load is kept and later instances are
//     instantiated from it (no 8.6 MB read, no compile, shared machine code).
//  2. The snapshot is restored sparsely: its 4 KiB pages that are all zero
//     (about 40 % of it) are not copied into the fresh memory, which is zero
//     already, so those pages never become resident.
//  3. The standard library zip (2.4 MB in MEMFS) is one shared, copy-on-write
//     array instead of a copy per instance.
//
// All three go through private parts of Pyodide (the `_createPyodideModule`
// global, `API.restoreSnapshot`, MEMFS nodes). Pyodide is pinned exactly, the
// test suite checks the results, and each part falls back to Pyodide's own
// behaviour when what it expects is not there.

import { guardImports } from './js_guard.mjs';

const PAGE = 4096;
const SNAPSHOT_MAGIC = 0x706e7300; // the first word of a Pyodide 0.29 snapshot

const quiet = () => {};

// What Python's `js` module is (containment layer 2): an empty, frozen object
// instead of globalThis, so a leaked `js` finds nothing of the host realm.
function sandboxGlobals() {
  return Object.freeze(Object.create(null));
}

/** Makes Pyodide instances: the first by a full load, later ones from its snapshot. */
export class PyodideFactory {
  /**
   * @param {object} p
   * @param {Function} p.loadPyodide        Pyodide's loader
   * @param {string} p.indexURL             where pyodide.asm.js/.wasm and python_stdlib.zip are
   * @param {(url: string) => Promise<void>} p.loadScript  runs pyodide.asm.js (defines its global)
   * @param {object} [p.lockFileContents]   the parsed pyodide-lock.json, shared by every instance
   * @param {boolean} [p.snapshots=true]    false: every instance is a full load
   */
  constructor({ loadPyodide, indexURL, loadScript, lockFileContents, snapshots = true }) {
    this.loadPyodide = loadPyodide;
    this.indexURL = indexURL;
    this.loadScript = loadScript;
    this.lockFileContents = lockFileContents;
    this.snapshots = snapshots;
    // What the _createPyodideModule hook reads (passed as config._wasmsh).
    this.hook = { module: null, sentinel: null, snapshot: null, bodyOffset: 0, zeroRuns: null, sparse: 0,
      reportImports: !!(globalThis.process && globalThis.process.env && globalThis.process.env.WASMSH_GUARD_REPORT) };
    this.snapshot = null;
    this.firstLoad = null;
    this.stdlib = null; // {path, bytes}
    this.stats = { fullLoads: 0, restores: 0, moduleReused: 0, sparseRestores: 0, sharedStdlib: 0 };
  }

  /**
   * Starts from what another realm made (a browser page hands them to each
   * new session worker): the snapshot, and Pyodide's compiled module. The
   * first instance here is then a restore, not a full load.
   */
  seed({ snapshot, module, stdlib, index } = {}) {
    if (module instanceof WebAssembly.Module) {
      this.hook.module = module;
      // Pyodide's own fallback for the sentinel import (what it uses where
      // its sentinel wasm cannot run): a unique value and a comparison.
      const marker = Symbol('error marker');
      if (!this.hook.sentinel) this.hook.sentinel = { create_sentinel: () => marker, is_sentinel: (v) => v === marker };
    }
    if (snapshot instanceof Uint8Array && this.snapshots) this.keepSnapshot(snapshot, index);
    // the stdlib zip of another realm (a runner's template, on shared memory)
    if (stdlib && stdlib.bytes instanceof Uint8Array && typeof stdlib.path === 'string') this.stdlib = stdlib;
  }

  /** What seed() takes, for handing to another realm (the index saves a 21 MB scan there). */
  seedData() {
    if (!this.snapshot || !this.hook.module) return null;
    if (this.hook.indexSnapshot) this.hook.indexSnapshot();
    const index = this.hook.zeroRuns ? { bodyOffset: this.hook.bodyOffset, zeroRuns: this.hook.zeroRuns, zeroBytes: this.hook.zeroBytes } : null;
    return { snapshot: this.snapshot, module: this.hook.module, stdlib: this.stdlib, index };
  }

  baseConfig() {
    const c = { indexURL: this.indexURL, stdout: quiet, stderr: quiet, stdin: () => null,
      fullStdLib: false, checkAPIVersion: true, _wasmsh: this.hook, jsglobals: sandboxGlobals() };
    if (this.lockFileContents) c.lockFileContents = this.lockFileContents;
    return c;
  }

  /** A new, fresh Pyodide instance. */
  async create() {
    await this.installHook();
    if (!this.snapshots) return this.full(false);
    if (this.snapshot) return this.restore();
    if (!this.firstLoad) {
      this.firstLoad = this.full(true);
      try {
        return await this.firstLoad;
      } catch (e) {
        this.firstLoad = null;
        throw e;
      }
    }
    // Another instance is making the snapshot: wait for it, then restore.
    try {
      await this.firstLoad;
    } catch { /* that load failed: this one tries on its own */ }
    return this.snapshot ? this.restore() : this.full(false);
  }

  async full(makeSnapshot) {
    let py;
    if (makeSnapshot) {
      try {
        py = await this.loadPyodide({ ...this.baseConfig(), _makeSnapshot: true });
        this.keepSnapshot(py.makeMemorySnapshot());
      } catch {
        py = null; // snapshots unavailable: plain loads from now on
        this.snapshots = false;
      }
    }
    if (!py) py = await this.loadPyodide(this.baseConfig());
    this.stats.fullLoads++;
    this.shareStdlib(py);
    return py;
  }

  async restore() {
    const py = await this.loadPyodide({ ...this.baseConfig(), _loadSnapshot: this.snapshot });
    this.stats.restores++;
    this.shareStdlib(py);
    return py;
  }

  // --- the compiled module and the sparse restore (through _createPyodideModule)

  async installHook() {
    if (typeof globalThis._createPyodideModule !== 'function') {
      try {
        await this.loadScript(`${this.indexURL}pyodide.asm.js`);
      } catch {
        return; // Pyodide loads it itself; instances are then made the plain way
      }
    }
    const real = globalThis._createPyodideModule;
    if (typeof real !== 'function' || real.wasmshHook) return;
    const factoryHook = (settings) => {
      const state = settings && settings.API && settings.API.config && settings.API.config._wasmsh;
      if (!state) return real(settings);
      wrapInstantiate(settings, state);
      return Promise.resolve(real(settings)).then((Module) => {
        wrapRestore(Module, state);
        return Module;
      });
    };
    factoryHook.wasmshHook = true;
    globalThis._createPyodideModule = factoryHook;
  }

  // The zero-page index is made at the first restore, off the first
  // session's critical path.
  keepSnapshot(snap, index) {
    this.snapshot = snap;
    this.hook.snapshot = snap;
    if (index && Array.isArray(index.zeroRuns)) {
      Object.assign(this.hook, { bodyOffset: index.bodyOffset, zeroRuns: index.zeroRuns, zeroBytes: index.zeroBytes });
      this.hook.indexSnapshot = null;
      return;
    }
    this.hook.indexSnapshot = () => {
      this.hook.indexSnapshot = null;
      const index = zeroPageRuns(snap);
      if (index) {
        this.hook.bodyOffset = index.bodyOffset;
        this.hook.zeroRuns = index.zeroRuns;
        this.hook.zeroBytes = index.zeroBytes;
      }
    };
  }

  // --- the standard library zip, shared copy-on-write

  shareStdlib(py) {
    try {
      const FS = py.FS;
      if (!this.stdlib) {
        const name = FS.readdir('/lib').find((n) => /^python\d+\.zip$/.test(n));
        if (!name) return;
        const path = `/lib/${name}`;
        const node = FS.lookupPath(path).node;
        if (!node.contents || !node.contents.subarray) return;
        this.stdlib = { path, bytes: node.contents.subarray(0, node.usedBytes) };
        // the node must hold the very array it shares: copy-on-write checks identity
        node.contents = this.stdlib.bytes;
        makeCopyOnWrite(node, this.stdlib.bytes);
        return;
      }
      const node = FS.lookupPath(this.stdlib.path).node;
      if (node.usedBytes !== this.stdlib.bytes.length) return;
      node.contents = this.stdlib.bytes;
      makeCopyOnWrite(node, this.stdlib.bytes);
      this.stats.sharedStdlib++;
    } catch { /* keep the instance's own copy */ }
  }
}

// Every instance's imports are wrapped by the containment guard
// (js_guard.mjs) before it is instantiated; the guard ends up as
// Module.wasmshGuard. An instance without one cannot host a contained session.
function wrapInstantiate(settings, state) {
  const orig = settings.instantiateWasm;
  if (typeof orig !== 'function') return;
  const guarded = (imports) => {
    settings.wasmshGuard = guardImports(imports, settings, { report: !!state.reportImports });
  };
  if (!state.module) {
    // The first load: let Pyodide compile, keep what it compiled.
    settings.instantiateWasm = (imports, done) => guarded(imports) || orig(imports, (instance, module) => {
      state.module = module;
      state.sentinel = imports.sentinel;
      done(instance, module);
    });
    return;
  }
  // Pyodide's own function holds the 8.6 MB of wasm bytes it started
  // reading; replacing it (and not keeping it) lets them be collected.
  settings.instantiateWasm = (imports, done) => {
    imports.sentinel = state.sentinel;
    guarded(imports);
    WebAssembly.instantiate(state.module, imports).then(
      (instance) => { state.reused = (state.reused || 0) + 1; done(instance, state.module); },
      (e) => { console.warn('wasmsh: instantiating Pyodide from its compiled module failed:', e); },
    );
    return {};
  };
}

function wrapRestore(Module, state) {
  const API = Module && Module.API;
  if (state.indexSnapshot) state.indexSnapshot();
  if (!API || typeof API.restoreSnapshot !== 'function' || !state.zeroRuns) return;
  const orig = API.restoreSnapshot;
  API.restoreSnapshot = (snap) => {
    if (snap !== state.snapshot) return orig(snap);
    // Pyodide's own restore checks the header and build id and reads the
    // JSON part; given the header alone, it copies no memory.
    const config = orig(snap.subarray(0, state.bodyOffset));
    sparseCopy(Module.HEAPU8, snap, state);
    state.sparse++;
    return config;
  };
}

/** The all-zero pages of a snapshot's memory image, as [start, end) byte runs of the heap. */
function zeroPageRuns(snap) {
  if (!(snap instanceof Uint8Array) || snap.byteOffset % 4 || snap.length < 64) return null;
  if ((snap.byteOffset + new Uint32Array(snap.buffer, snap.byteOffset, 4)[1]) % 4) return null;
  const head = new Uint32Array(snap.buffer, snap.byteOffset, 4);
  const bodyOffset = head[1];
  if (head[0] !== SNAPSHOT_MAGIC || bodyOffset <= 0 || bodyOffset >= snap.length) return null;
  const body = snap.subarray(bodyOffset);
  // whole pages as 32-bit words (the body starts 4-aligned); a last partial page byte by byte
  const words = new Uint32Array(body.buffer, body.byteOffset, body.length >> 2);
  const runs = [];
  let zeroBytes = 0;
  let runStart = -1;
  for (let p = 0; p < body.length; p += PAGE) {
    const end = Math.min(p + PAGE, body.length);
    let zero = true;
    const wEnd = end >> 2;
    for (let w = p >> 2; w < wEnd; w++) {
      if (words[w] !== 0) { zero = false; break; }
    }
    for (let i = wEnd << 2; zero && i < end; i++) if (body[i] !== 0) zero = false;
    if (zero) {
      zeroBytes += end - p;
      if (runStart < 0) runStart = p;
    } else if (runStart >= 0) {
      runs.push([runStart, p]);
      runStart = -1;
    }
  }
  if (runStart >= 0) runs.push([runStart, body.length]);
  return { bodyOffset, zeroRuns: runs, zeroBytes };
}

// Copies the non-zero parts of the image; a zero run is cleared only where
// the fresh memory is not zero already (the data segments of the module).
function sparseCopy(heap, snap, state) {
  const body = snap.subarray(state.bodyOffset);
  let at = 0;
  for (const [start, end] of state.zeroRuns) {
    if (start > at) heap.set(body.subarray(at, start), at);
    for (let p = start; p < end; p += PAGE) {
      const q = Math.min(p + PAGE, end);
      if (!isZero(heap, p, q)) heap.fill(0, p, q);
    }
    at = end;
  }
  if (at < body.length) heap.set(body.subarray(at), at);
}

function isZero(heap, start, end) {
  // reading memory that was never written maps the kernel's zero page: no RSS
  const words = new Int32Array(heap.buffer, heap.byteOffset + start, (end - start) >> 2);
  for (let i = 0; i < words.length; i++) if (words[i] !== 0) return false;
  for (let i = start + words.length * 4; i < end; i++) if (heap[i] !== 0) return false;
  return true;
}

/**
 * Makes a MEMFS file node use `shared` (an array other instances also use)
 * until its first write: the write, or a msync of a mapping, first gives the
 * node its own copy. Truncation and growth already allocate a new array in
 * MEMFS, so only these two ever write into the array in place.
 */
export function makeCopyOnWrite(node, shared) {
  const base = node.stream_ops;
  if (!base || base.wasmshCopyOnWrite) return;
  const own = () => {
    if (node.contents === shared) node.contents = shared.slice(0, node.usedBytes);
  };
  node.stream_ops = {
    ...base,
    wasmshCopyOnWrite: true,
    write(stream, ...rest) { own(); return base.write(stream, ...rest); },
    msync(stream, ...rest) { own(); return base.msync ? base.msync(stream, ...rest) : 0; },
  };
}

/** Writes `bytes` as a file that shares the array copy-on-write (MEMFS). */
export function writeSharedFile(FS, path, bytes) {
  FS.writeFile(path, new Uint8Array(0));
  const node = FS.lookupPath(path).node;
  node.contents = bytes;
  node.usedBytes = bytes.length;
  makeCopyOnWrite(node, bytes);
}
