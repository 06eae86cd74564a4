// worker.mjs - one session in its own worker thread (runner, host.mjs starts
// it). The thread has V8 heap limits (the Worker's resourceLimits) and, set
// here before Pyodide starts, a ceiling on its wasm memory. It is made from
// the runner's template (workerData.seed: Pyodide's snapshot and compiled
// module, the compiled side module, the wheels, the stdlib zip, all shared
// with the other threads), restores one Pyodide instance and waits, warm,
// until the host opens a session on it.
//
// Messages in:  {type: 'open', options} | {type: 'run', id, script, stdin, budget, stream}
//               | {type: 'call', id, method, args}
// Messages out: {type: 'warm', ms} | {type: 'ready', cwd} | {type: 'out', id, fd, text}
//               | {type: 'result', id, ok, value | error, cwd, wasmBytes} | {type: 'denial', host}
//               | {type: 'fatal', error}
import { parentPort, workerData } from 'node:worker_threads';

import { packTar, unpackTar, TarError } from '../tar.mjs';
import * as vpath from '../../vfs_path.mjs';

const { seed, templateFiles = [], interrupt, wasmMaxBytes = 0 } = workerData;

// The session's wasm memory may not grow past wasmMaxBytes: Pyodide makes its
// memory in JS (new WebAssembly.Memory with a 4 GiB maximum); a growth past
// the ceiling then fails as an ordinary out-of-memory (malloc returns NULL,
// Python raises MemoryError) instead of taking the runner's memory.
if (wasmMaxBytes > 0) {
  const Real = WebAssembly.Memory;
  const maxPages = Math.max(1, Math.floor(wasmMaxBytes / 65536));
  const Limited = function Memory(desc) {
    if (desc && !desc.shared && typeof desc.initial === 'number') {
      desc = { ...desc, maximum: Math.max(desc.initial, Math.min(desc.maximum ?? maxPages, maxPages)) };
    }
    return new Real(desc);
  };
  Limited.prototype = Real.prototype;
  WebAssembly.Memory = Limited;
}

const { createSession, loadRuntime, setWarmPool } = await import('../../session.mjs');
const { writeSharedFile } = await import('../../pyodide_loader.mjs');
const { Session, checkSessionOptions, preparePyodideEngine } = await import('../../session_core.mjs');

let session = null;
let cwd0 = '/workspace';

const post = (m, transfer) => parentPort.postMessage(m, transfer || []);

function serializeError(e) {
  return {
    name: (e && e.name) || 'Error', code: e && e.code, message: (e && e.message) || String(e),
    op: e && e.op, path: e && e.path, errno: e && e.errno,
  };
}

// --- the files (tar export/import)

function exportTar(dir) {
  const FS = session.FS;
  const root = session.resolve(dir || cwd0);
  const st = FS.lstat(root);
  if (!FS.isDir(st.mode)) throw new TarError(`${root} is not a directory`);
  const entries = [];
  const walk = (abs, rel) => {
    for (const name of FS.readdir(abs).filter((n) => n !== '.' && n !== '..').sort()) {
      const p = vpath.join(abs, name);
      const r = rel ? `${rel}/${name}` : name;
      const s = FS.lstat(p);
      const mtimeMs = s.mtime instanceof Date ? s.mtime.getTime() : Number(s.mtime);
      if (FS.isDir(s.mode)) {
        entries.push({ path: r, type: 'directory', mode: s.mode, mtimeMs });
        walk(p, r);
      } else if (FS.isLink(s.mode)) {
        entries.push({ path: r, type: 'symlink', mode: s.mode, mtimeMs, target: FS.readlink(p) });
      } else if (FS.isFile(s.mode)) {
        entries.push({ path: r, type: 'file', mode: s.mode, mtimeMs, data: FS.readFile(p) });
      }
    }
  };
  walk(root, '');
  return packTar(entries);
}

function importTar(dir, bytes) {
  const FS = session.FS;
  const root = session.resolve(dir || cwd0);
  const entries = unpackTar(bytes);
  const counts = { files: 0, directories: 0, symlinks: 0, bytes: 0 };
  for (const e of entries) {
    const parts = e.path.replace(/^\/+/, '').split('/').filter((x) => x && x !== '.');
    if (parts.includes('..')) throw new TarError(`archive entry ${e.path} leaves the directory (..)`);
    if (!parts.length) continue;
    const abs = vpath.join(root, parts.join('/'));
    FS.mkdirTree(vpath.dirname(abs));
    if (e.type === 'directory') {
      FS.mkdirTree(abs);
      FS.chmod(abs, (e.mode & 0o7777) || 0o755);
      counts.directories++;
    } else if (e.type === 'symlink') {
      try { FS.unlink(abs); } catch { /* not there */ }
      FS.symlink(e.target, abs);
      counts.symlinks++;
    } else {
      FS.writeFile(abs, e.data);
      FS.chmod(abs, (e.mode & 0o7777) || 0o644);
      counts.files++;
      counts.bytes += e.data.length;
    }
    if (e.type !== 'symlink' && e.mtimeMs) {
      try { FS.utime(abs, e.mtimeMs, e.mtimeMs); } catch { /* keep the current time */ }
    }
  }
  return counts;
}

// --- the session

const CALLS = {
  writeFile: (p, data, o) => session.writeFile(p, data, o),
  readFile: (p, max) => {
    const data = session.readFile(p);
    if (max && data.length > max) {
      const e = new Error(`file ${p} is larger than the limit of ${max} bytes`);
      e.code = 'WASMSH_TOO_LARGE';
      throw e;
    }
    return data;
  },
  listDir: (p) => session.listDir(p),
  stat: (p) => session.stat(p),
  remove: (p, o) => session.remove(p, o),
  mkdir: (p, o) => session.mkdir(p, o),
  setArgs: (a0, args) => session.setArgs(a0, args),
  reset: () => session.reset(),
  cwd: () => session.cwd(),
  exportTar: (p, max) => {
    const tar = exportTar(p);
    if (max && tar.length > max) {
      const e = new Error(`the archive is larger than the limit of ${max} bytes`);
      e.code = 'WASMSH_TOO_LARGE';
      throw e;
    }
    return tar;
  },
  importTar: (p, bytes) => importTar(p, bytes),
};

async function open({ options }) {
  const { files = {}, ...rest } = options;
  session = await createSession({ ...rest, interruptBuffer: interrupt });
  cwd0 = session.opts.cwd;
  // the template's own files (shared, copy-on-write), then the session's
  for (const f of templateFiles) {
    session.FS.mkdirTree(vpath.dirname(f.path));
    writeSharedFile(session.FS, f.path, f.data);
    if (f.mode) session.FS.chmod(f.path, f.mode & 0o7777);
  }
  for (const [p, data] of Object.entries(files)) session.writeFile(p.startsWith('/') ? p : `${cwd0}/${p}`, data);
  // refused hosts are counted by the runner (its denials metric)
  const broker = session.broker;
  if (broker && typeof broker.fetchSync === 'function') {
    const orig = broker.fetchSync.bind(broker);
    broker.fetchSync = (req) => {
      try {
        return orig(req);
      } catch (e) {
        if (e && e.code === 'WASMSH_HOST_NOT_ALLOWED') post({ type: 'denial', host: e.host });
        throw e;
      }
    };
  }
  post({ type: 'ready', cwd: session.cwd() });
}

async function run(m) {
  const onOut = (fd) => (text) => post({ type: 'out', id: m.id, fd, text });
  const result = await session.run(m.script, {
    stdin: m.stdin, budget: m.budget,
    onStdout: m.stream ? onOut(1) : undefined, onStderr: m.stream ? onOut(2) : undefined,
  });
  return result;
}

function wasmBytes() {
  try {
    return session.M.HEAPU8.length;
  } catch {
    return 0;
  }
}

parentPort.on('message', async (m) => {
  try {
    if (m.type === 'open') {
      await open(m);
      return;
    }
    let value;
    if (m.type === 'run') value = await run(m);
    else if (m.type === 'call') {
      const fn = CALLS[m.method];
      if (!fn) throw new Error(`unknown call ${m.method}`);
      value = fn(...(m.args || []));
    }
    const transfer = value instanceof Uint8Array && !(value.buffer instanceof SharedArrayBuffer) ? [value.buffer] : [];
    post({ type: 'result', id: m.id, ok: true, value, cwd: session.cwd(), wasmBytes: wasmBytes() }, transfer);
  } catch (e) {
    if (m.id === undefined) post({ type: 'fatal', error: serializeError(e) });
    else post({ type: 'result', id: m.id, ok: false, error: serializeError(e), cwd: session ? session.cwd() : undefined });
  }
});

// The first python3 of an instance compiles the driver and imports what it
// uses (tens of ms): a throwaway shell runs one on the warm instance, so the
// session's first python3 costs what every later one does. No state of it
// is left but imported library modules and the directories every shell makes.
function warmUp(engine) {
  const noNetwork = { fetchSync() { throw new Error('no network while warming up'); }, close() {} };
  engine.detachOnClose = false; // keep Python's deadline check installed
  const probe = new Session(engine, checkSessionOptions({ cwd: '/tmp' }), noNetwork);
  try {
    probe.runSync('echo warm | cat >/dev/null; python3 -c "import sys; print(1)" >/dev/null', { stdin: new Uint8Array(0), budget: {} });
  } finally {
    probe.close();
    engine.owner = null;
    engine.retired = false;
    delete engine.detachOnClose;
  }
}

// Restore the instance now (the warm state), then wait for 'open', which
// takes it through createSession (the session's options, its fetch broker).
const t0 = performance.now();
try {
  const rt = await loadRuntime({ seed });
  await setWarmPool(0);
  const pyodide = await rt.factory.create();
  const engine = preparePyodideEngine(pyodide, { sideModule: await rt.sideModule, wheels: rt.wheels });
  const restoredMs = performance.now() - t0;
  warmUp(engine);
  rt.pool.push(engine);
  post({ type: 'warm', ms: performance.now() - t0, restoredMs });
} catch (e) {
  post({ type: 'fatal', error: serializeError(e) });
}
