// node_permissions.mjs - containment layer 3 (docs/security.md): the Node
// process itself, under Node's permission model. Even code that escaped the
// session's wasm instance and reached JavaScript could then not start a
// process, load a native addon, use WASI, or read or write files outside what
// is granted: by default the package's own files, read-only.
//
//   node $(node -e "import('wasmsh/node-permissions').then(m => console.log(m.nodePermissionFlags().join(' ')))") app.mjs
//   wasmsh --node-permissions -c '...'         (the CLI re-runs itself this way)
//
// Worker threads stay allowed: the session and the fetch broker run in them
// (the permission model grants workers all or none; code inside the sandbox
// has no way to JavaScript, so no way to start one: layers 1 and 2).
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** Node 20 calls it --experimental-permission; 22.13+ and 23.5+ --permission. */
export function permissionFlagName() {
  const flags = process.allowedNodeEnvironmentFlags;
  if (flags && flags.has('--permission')) return '--permission';
  return '--experimental-permission';
}

/** The directories wasmsh itself reads: its code, its runtime files, Pyodide. */
export function packageReadPaths() {
  const root = path.resolve(HERE, '..');
  const paths = [root];
  try {
    const req = createRequire(import.meta.url);
    paths.push(path.dirname(req.resolve('pyodide/pyodide.mjs')));
  } catch { /* not installed: createSession reports it */ }
  return [...new Set(paths)];
}

/**
 * The node command-line flags for a process that runs wasmsh sessions with
 * nothing else: reads limited to the package (and `read`), writes to `write`
 * only, worker threads allowed, no child processes, addons or WASI.
 */
export function nodePermissionFlags({ read = [], write = [] } = {}) {
  const flags = [permissionFlagName()];
  for (const p of [...packageReadPaths(), ...read]) flags.push(`--allow-fs-read=${path.resolve(p)}`);
  for (const p of write) flags.push(`--allow-fs-write=${path.resolve(p)}`);
  flags.push('--allow-worker');
  return flags;
}

/** What the permission model grants this process (null when it is off). */
export function nodePermissionStatus() {
  const perm = process.permission;
  if (!perm) return null;
  return {
    childProcess: perm.has('child_process'),
    worker: perm.has('worker'),
    fsWrite: perm.has('fs.write'),
    fsRead: perm.has('fs.read'),
    addons: safeHas(perm, 'addon'),
    wasi: safeHas(perm, 'wasi'),
  };
}

function safeHas(perm, scope) {
  try {
    return perm.has(scope);
  } catch {
    return false; // a scope this Node does not know
  }
}
