// session.mjs - wasmsh sessions in Node: the shell as a side module inside
// Pyodide, sharing Pyodide's MEMFS with Python, python3 in the same module.
//
//   import { createSession } from 'wasmsh';
//   const s = await createSession({ allowedHosts: ['pypi.org'], cwd: '/workspace' });
//   const r = await s.run("python3 -c 'print(6*7)' | tr 4 x");
//   r.stdout  // "x2\n"
//
// One Pyodide instance per session: the instances share nothing mutable, only
// compiled code (Pyodide's wasm and the side module are compiled once per
// process) and copy-on-write file contents (the stdlib zip, the bundled
// wheels), so sessions are isolated from each other as separate wasm
// memories. docs/js-api.md documents the API.
//
// Startup: the first session of a process loads Pyodide and snapshots the
// fresh interpreter; from then on one prepared instance (Pyodide restored from
// the snapshot, side module loaded) is kept warm, and each createSession takes
// it and starts restoring the next one in the background (setWarmPool).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

import { FetchBroker } from './fetch_broker.mjs';
import { OptionsError, RuntimeLoadError } from './errors.mjs';
import { PyodideFactory } from './pyodide_loader.mjs';
import { Session, checkSessionOptions, preparePyodideEngine } from './session_core.mjs';

export * from './errors.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));

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

// Under Node's permission model (layer 3 of docs/security.md: see
// js/cli/sandbox.mjs) process.binding() throws, and Emscripten's NODEFS calls
// process.binding('constants') while Pyodide starts (only to know the host's
// open() flags: wasmsh mounts no host directory). The same constants are
// public as fs.constants and os.constants.
function allowPyodideUnderPermissions() {
  if (!process.permission || process.binding.wasmshConstants) return;
  const binding = process.binding;
  const constants = { fs: fs.constants, os: os.constants };
  const replacement = function (name) {
    return name === 'constants' ? constants : binding.call(process, name);
  };
  replacement.wasmshConstants = true;
  process.binding = replacement;
}

/** Loads what every session shares, once per process: the compiled side
 * module, the bundled wheels, Pyodide's loader and its instance factory. */
export function loadRuntime(options = {}) {
  if (!runtimePromise) {
    allowPyodideUnderPermissions();
    runtimePromise = (async () => {
      // A seed (runtimeSeed() of another thread: a runner's template) has
      // the compiled modules, the snapshot and the wheels already.
      const seed = options.seed || null;
      const files = seed ? null : findRuntimeFiles(options.runtimeDir);
      // compiled in the background while Pyodide loads; awaited when an instance is prepared
      const sideModule = seed ? Promise.resolve(seed.sideModule) : WebAssembly.compile(fs.readFileSync(files.so));
      sideModule.catch(() => {});
      const wheels = seed ? seed.wheels || [] : [];
      if (!seed && files.wheelDir) {
        for (const f of fs.readdirSync(files.wheelDir).sort()) {
          if (f.endsWith('.whl')) wheels.push({ name: f, data: new Uint8Array(fs.readFileSync(path.join(files.wheelDir, f))) });
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
      let lockFileContents;
      try {
        lockFileContents = JSON.parse(fs.readFileSync(path.join(indexURL, 'pyodide-lock.json'), 'utf8'));
      } catch { /* Pyodide reads it itself */ }
      const factory = new PyodideFactory({
        loadPyodide, indexURL, lockFileContents,
        loadScript: (url) => import(pathToFileURL(url).href),
      });
      if (seed) factory.seed({ snapshot: seed.snapshot, module: seed.pyodideModule, stdlib: seed.stdlib, index: seed.index });
      return { sideModule, wheels, factory, pool: [], pending: [], warmPool: DEFAULT_WARM_POOL, started: false };
    })();
    runtimePromise.catch(() => { runtimePromise = null; });
  }
  return runtimePromise;
}

// ------------------------------------------------------------------ warm pool

const DEFAULT_WARM_POOL = 1;

// A prepared engine: a Pyodide instance (from the snapshot after the first)
// with the side module loaded and the wheels written, not yet given a shell.
async function newEngine(rt) {
  const pyodide = await rt.factory.create();
  return preparePyodideEngine(pyodide, { sideModule: await rt.sideModule, wheels: rt.wheels });
}

// The pool holds prepared engines; `pending` the ones being made. A session
// takes a ready one, else waits for one being made, else makes its own.
async function takeEngine(rt) {
  if (rt.pool.length) return { engine: rt.pool.shift(), from: 'pool' };
  if (rt.pending.length) {
    const p = rt.pending.shift();
    p.claimed = true;
    try {
      return { engine: await p.promise, from: 'refill' };
    } catch { /* that one failed: make one here */ }
  }
  const from = rt.factory.snapshot ? 'snapshot' : 'load';
  return { engine: await newEngine(rt), from };
}

// Keeps rt.warmPool engines ready. The timer is unref'd: a process that is
// done does not wait for a refill that has not started (one that has started
// runs to its end, a few hundred ms, in slices on this thread).
function scheduleRefill(rt) {
  if (rt.refillTimer || rt.pool.length + rt.pending.length >= rt.warmPool) return;
  rt.refillTimer = setTimeout(() => {
    rt.refillTimer = null;
    while (rt.pool.length + rt.pending.length < rt.warmPool) startRefill(rt);
  }, 0);
  if (rt.refillTimer.unref) rt.refillTimer.unref();
}

function startRefill(rt) {
  const entry = { claimed: false, promise: null };
  entry.promise = newEngine(rt);
  rt.pending.push(entry);
  entry.promise.then((engine) => {
    const i = rt.pending.indexOf(entry);
    if (i >= 0) rt.pending.splice(i, 1);
    if (!entry.claimed) rt.pool.push(engine);
    trimPool(rt);
  }, () => {
    const i = rt.pending.indexOf(entry);
    if (i >= 0) rt.pending.splice(i, 1);
  });
  entry.promise.catch(() => {});
}

function trimPool(rt) {
  while (rt.pool.length > rt.warmPool) rt.pool.pop();
}

/**
 * How many prepared instances to keep warm after the first session (default
 * 1; 0 turns the pool off). Each costs its memory (about 35 MB) while idle and
 * no CPU. Returns the previous value.
 */
export async function setWarmPool(count, options = {}) {
  if (!(Number.isInteger(count) && count >= 0)) throw new OptionsError('setWarmPool: count must be an integer >= 0');
  const rt = await loadRuntime(options);
  const before = rt.warmPool;
  rt.warmPool = count;
  trimPool(rt);
  if (rt.started) scheduleRefill(rt);
  return before;
}

/** Makes N prepared instances now (in parallel), so that the next N sessions start at once. */
export async function prewarm(count = 1, options = {}) {
  const rt = await loadRuntime(options);
  const made = [];
  for (let i = 0; i < count; i++) made.push(newEngine(rt));
  for (const p of made) rt.pool.push(await p);
}

/** Counters for benchmarks and tests: how instances were made and where sessions came from. */
export async function runtimeStats(options = {}) {
  const rt = await loadRuntime(options);
  return { ...rt.factory.stats, pooled: rt.pool.length, pending: rt.pending.length, warmPool: rt.warmPool,
    snapshotBytes: rt.factory.snapshot ? rt.factory.snapshot.length : 0,
    sparseZeroBytes: rt.factory.hook.zeroBytes || 0, moduleReused: rt.factory.hook.reused || 0,
    sparseRestores: rt.factory.hook.sparse || 0, lastTake: rt.lastTake || null };
}

/**
 * What another thread needs to make instances without a full load (a
 * runner's template): the snapshot, Pyodide's and the side module's compiled
 * modules, the wheels, the stdlib zip. null before the first instance.
 * Pass it as loadRuntime({seed}) there.
 */
export async function runtimeSeed(options = {}) {
  const rt = await loadRuntime(options);
  const d = rt.factory.seedData();
  if (!d) return null;
  return { snapshot: d.snapshot, pyodideModule: d.module, stdlib: d.stdlib, index: d.index,
    sideModule: await rt.sideModule, wheels: rt.wheels };
}

// ------------------------------------------------------------------ session

/**
 * Creates a session: a shell (and Python) with its own filesystem.
 * See docs/js-api.md for every option.
 */
export async function createSession(options = {}) {
  const opts = checkSessionOptions(options, ['runtimeDir']);
  const broker = new FetchBroker(opts.allowedHosts, opts.fetch);
  const rt = await loadRuntime(opts);
  const { engine, from } = await takeEngine(rt);
  rt.lastTake = from;
  rt.started = true;
  scheduleRefill(rt);
  const newEngine = async () => {
    const taken = await takeEngine(rt);
    scheduleRefill(rt);
    return taken.engine;
  };
  return new Session(engine, opts, broker, { newEngine });
}

export { Session };
