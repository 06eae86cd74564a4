// worker.mjs - a wasmsh session in a dedicated (module) Web Worker. The page
// side (index.mjs) creates it and talks to it with the messages of
// protocol.mjs. A run is one synchronous wasm call here, so the page never
// blocks; output is posted as it is produced; cancel comes through shared
// memory (cross-origin isolated pages) or by terminating this worker.
import { PyodideFactory } from '../pyodide_loader.mjs';
import { Session, checkSessionOptions, preparePyodideEngine } from '../session_core.mjs';
import { createStandaloneEngine } from '../standalone.mjs';
import * as vpath from '../vfs_path.mjs';
import { fetchBytes, loadWheels } from './assets.mjs';
import { BrowserFetchBroker } from './fetch_sync.mjs';
import { CALLS, serializeError } from './protocol.mjs';

let urls = null;
let engine = null;
let makeEngine = null; // a fresh Pyodide engine, when a run's runtime failed (session_core.mjs recover)
let session = null;
let lastCheckpoint = -1;
let known = new Set();

const post = (msg, transfer) => self.postMessage(msg, transfer || []);

async function prepare(m) {
  urls = m.urls;
  const t0 = performance.now();
  const info = { runtime: m.runtime, phases: {} };
  let seed = null;
  if (m.runtime === 'standalone') {
    const wasmModule = (m.seed && m.seed.webModule) ||
      await WebAssembly.compile(await fetchBytes(urls.webWasm, 'the standalone build'));
    const { default: createModule } = await import(/* @vite-ignore */ urls.webModule);
    engine = await createStandaloneEngine(createModule, { wasmModule });
    if (m.wantSeed) seed = { webModule: wasmModule };
  } else {
    const sideModuleP = m.seed && m.seed.sideModule ? Promise.resolve(m.seed.sideModule)
      : fetchBytes(urls.sideModule, 'the wasmsh side module').then((b) => WebAssembly.compile(b));
    const wheelsP = loadWheels(urls);
    let loadPyodide;
    try {
      ({ loadPyodide } = await import(/* @vite-ignore */ `${urls.pyodide}pyodide.mjs`));
    } catch (e) {
      throw new Error(`could not load Pyodide from ${urls.pyodide}pyodide.mjs (${e && e.message ? e.message : e}); ` +
        'pass pyodideBaseUrl or assetBaseUrl (docs/browser.md)');
    }
    const factory = new PyodideFactory({
      loadPyodide, indexURL: urls.pyodide, loadScript: (u) => import(/* @vite-ignore */ u), snapshots: m.snapshot !== false,
    });
    if (m.seed) factory.seed(m.seed);
    const pyodide = await factory.create();
    info.phases.pyodide = performance.now() - t0;
    const [sideModule, wheels] = await Promise.all([sideModuleP, wheelsP]);
    engine = preparePyodideEngine(pyodide, { sideModule, wheels });
    makeEngine = async () => preparePyodideEngine(await factory.create(), { sideModule, wheels });
    info.restored = factory.stats.restores > 0;
    if (m.wantSeed && factory.snapshot) seed = { snapshot: factory.snapshot.slice(), module: factory.hook.module, sideModule };
  }
  info.phases.prepare = performance.now() - t0;
  post({ type: 'prepared', info, seed }, seed && seed.snapshot ? [seed.snapshot.buffer] : []);
}

function open(m) {
  const options = { ...m.options };
  if (m.interrupt) options.interruptBuffer = m.interrupt;
  const opts = checkSessionOptions(options);
  const broker = new BrowserFetchBroker(opts.allowedHosts, opts.fetch, urls.fetchHelper);
  session = new Session(engine, opts, broker, { newEngine: makeEngine });
  if (m.restore) restoreFiles(m.restore);
  post({ type: 'ready', cwd: session.cwd() });
}

// --- restart mode: the files before each run, so that a worker terminated
// to stop a runaway command can be replaced with the same files

const SKIP = new Set(['/dev', '/proc', '/sys', '/lib']);

function checkpoint(id) {
  const FS = session.FS;
  const since = lastCheckpoint;
  const started = Date.now();
  const entries = [];
  const all = [];
  const transfer = [];
  const seen = new Set();
  const walk = (dir) => {
    for (const name of FS.readdir(dir)) {
      if (name === '.' || name === '..') continue;
      const p = dir === '/' ? `/${name}` : `${dir}/${name}`;
      if (SKIP.has(p)) continue;
      const st = FS.lstat(p);
      const mtime = st.mtime instanceof Date ? st.mtime.getTime() : Number(st.mtime);
      all.push(p);
      seen.add(p);
      if (FS.isDir(st.mode)) {
        if (!known.has(p)) entries.push({ path: p, type: 'dir', mode: st.mode });
        walk(p);
      } else if (FS.isLink(st.mode)) {
        entries.push({ path: p, type: 'link', target: FS.readlink(p) });
      } else if (FS.isFile(st.mode) && (!known.has(p) || mtime >= since)) {
        const data = FS.readFile(p);
        entries.push({ path: p, type: 'file', mode: st.mode, data });
        transfer.push(data.buffer);
      }
    }
  };
  walk('/');
  known = seen;
  lastCheckpoint = started;
  post({ type: 'checkpoint', id, entries, all, cwd: session.cwd() }, transfer);
}

function restoreFiles({ entries, cwd }) {
  const FS = session.FS;
  const sorted = [...entries].sort((a, b) => a.path.split('/').length - b.path.split('/').length);
  for (const e of sorted) {
    try {
      if (e.type === 'dir') {
        FS.mkdirTree(e.path);
      } else if (e.type === 'file') {
        FS.mkdirTree(vpath.dirname(e.path));
        FS.writeFile(e.path, e.data);
        FS.chmod(e.path, e.mode & 0o7777);
      } else if (e.type === 'link') {
        FS.mkdirTree(vpath.dirname(e.path));
        try { FS.unlink(e.path); } catch { /* not there */ }
        FS.symlink(e.target, e.path);
      }
    } catch { /* a system path: skip */ }
  }
  if (cwd && cwd !== session.cwd()) session.runSync(`cd -- '${cwd.replace(/'/g, "'\\''")}'`, { stdin: new Uint8Array(0), budget: {} });
}

// --- runs and calls

async function run(m) {
  if (m.checkpoint) checkpoint(m.id);
  const onOut = (fd) => (text) => post({ type: 'out', id: m.id, fd, text });
  const result = await session.run(m.script, {
    stdin: m.stdin, budget: m.budget, timeoutMs: m.timeoutMs,
    onStdout: m.stream ? onOut(1) : undefined, onStderr: m.stream ? onOut(2) : undefined,
  });
  return result;
}

function call(m) {
  if (!CALLS.includes(m.method)) throw new Error(`unknown call ${m.method}`);
  return session[m.method](...(m.args || []));
}

self.onmessage = async (ev) => {
  const m = ev.data;
  try {
    if (m.type === 'prepare') {
      await prepare(m);
    } else if (m.type === 'open') {
      open(m);
    } else if (m.type === 'run') {
      const value = await run(m);
      post({ type: 'result', id: m.id, ok: true, value, cwd: session.cwd() });
    } else if (m.type === 'call') {
      const value = call(m);
      const transfer = value instanceof Uint8Array ? [value.buffer] : [];
      post({ type: 'result', id: m.id, ok: true, value, cwd: session.cwd() }, transfer);
    }
  } catch (e) {
    if (m.id !== undefined) post({ type: 'result', id: m.id, ok: false, error: serializeError(e) });
    else post({ type: 'fatal', error: serializeError(e) });
  }
};
post({ type: 'loaded' });
