// template.mjs - the runner's session template: what every session worker
// starts from, made once per runner process.
//
//   - Pyodide's memory snapshot of a fresh interpreter (21 MB), with its
//     zero-page index, on shared memory: each worker restores from it;
//   - Pyodide's and the side module's compiled WebAssembly.Modules: V8 shares
//     their machine code between the threads (nothing is compiled again);
//   - a MEMFS image: the bundled wheels, the stdlib zip and the operator's
//     template files (WASMSH_TEMPLATE_DIR), on shared memory, written into
//     each session copy-on-write.
//
// The snapshot needs one full Pyodide load (about 2 s); it runs in a
// throwaway worker (template_worker.mjs) so the runner's own thread never
// holds an interpreter.
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';

export function toShared(bytes) {
  if (bytes.buffer instanceof SharedArrayBuffer) return bytes;
  const s = new Uint8Array(new SharedArrayBuffer(bytes.length));
  s.set(bytes);
  return s;
}

/**
 * The operator's template files: HOSTDIR/a/b becomes /a/b in every session.
 * A name with "__" stands for a path ("etc__motd" is /etc/motd), as in a
 * Kubernetes ConfigMap, whose keys cannot hold "/"; the ConfigMap volume's
 * own "..data" entries are skipped.
 */
export function readTemplateDir(dir) {
  const out = [];
  if (!dir) return out;
  const walk = (host, vfs) => {
    for (const name of fs.readdirSync(host).sort()) {
      if (name.startsWith('..')) continue;
      const h = path.join(host, name);
      const v = `${vfs}/${name.split('__').join('/')}`;
      const st = fs.statSync(h);
      if (st.isDirectory()) walk(h, v);
      else if (st.isFile()) out.push({ path: v, mode: st.mode & 0o7777, data: toShared(new Uint8Array(fs.readFileSync(h))) });
    }
  };
  walk(path.resolve(dir), '');
  return out;
}

/** Builds the template in a throwaway worker; resolves to {seed, ms}. */
export function buildTemplate({ runtimeDir, resourceLimits } = {}) {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL('./template_worker.mjs', import.meta.url), {
      workerData: { runtimeDir }, resourceLimits, stdout: false, stderr: false,
    });
    let done = false;
    w.on('message', (m) => {
      if (m.type === 'seed') {
        done = true;
        resolve({ seed: m.seed, ms: performance.now() - t0 });
        w.terminate();
      } else if (m.type === 'fatal') {
        done = true;
        reject(new Error(`building the session template failed: ${m.message}`));
        w.terminate();
      }
    });
    w.on('error', (e) => { if (!done) { done = true; reject(e); } });
    w.on('exit', (code) => { if (!done) { done = true; reject(new Error(`the template worker exited (${code})`)); } });
  });
}
