// vite.mjs - the Vite plugin of the wasmsh package (`import wasmsh from 'wasmsh/vite'`).
//
// A browser session loads its worker, the side module, the standalone build
// and Pyodide by URL at run time, which a bundler cannot follow. The plugin
// serves those files under `${base}wasmsh/` in `vite dev` and `vite preview`,
// emits them there in `vite build`, and tells the page where they are (a
// one-line script in index.html), so `createSession()` needs no assetBaseUrl.
// It also keeps the package out of dependency pre-bundling (which would move
// its files) and builds workers as ES modules.
//
//   // vite.config.js
//   import wasmsh from 'wasmsh/vite';
//   export default { plugins: [wasmsh()] };
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PYODIDE_FILES = ['pyodide.mjs', 'pyodide.asm.js', 'pyodide.asm.wasm', 'python_stdlib.zip', 'pyodide-lock.json'];
const TYPES = {
  '.mjs': 'text/javascript', '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json',
  '.zip': 'application/zip', '.whl': 'application/zip', '.so': 'application/octet-stream',
};

function pyodideDir() {
  const bundled = path.join(PACKAGE_ROOT, 'node_modules', 'pyodide');
  if (fs.existsSync(path.join(bundled, 'pyodide.mjs'))) return bundled;
  const req = createRequire(path.join(PACKAGE_ROOT, 'package.json'));
  return path.dirname(req.resolve('pyodide/pyodide.mjs'));
}

function walk(dir, rel, out) {
  for (const name of fs.readdirSync(dir)) {
    const abs = path.join(dir, name);
    const r = `${rel}${name}`;
    if (fs.statSync(abs).isDirectory()) walk(abs, `${r}/`, out);
    else out.set(r, abs);
  }
}

/** The files a browser session needs, as URL path (relative to the asset base) -> file. */
export function wasmshAssetFiles({ python = true } = {}) {
  const files = new Map();
  walk(path.join(PACKAGE_ROOT, 'lib'), 'lib/', files);
  for (const k of [...files.keys()]) if (k.startsWith('lib/cli/') || k.endsWith('.d.ts')) files.delete(k);
  walk(path.join(PACKAGE_ROOT, 'runtime'), 'runtime/', files);
  if (python) {
    const dir = pyodideDir();
    for (const f of PYODIDE_FILES) files.set(`node_modules/pyodide/${f}`, path.join(dir, f));
  }
  return files;
}

/**
 * @param {object} [o]
 * @param {string} [o.dir='wasmsh']    the folder (under Vite's base) for the assets
 * @param {boolean} [o.python=true]    false: leave Pyodide out (standalone runtime only)
 */
export default function wasmsh({ dir = 'wasmsh', python = true } = {}) {
  let base = '/';
  let files = null;
  const prefix = () => `${base}${dir}/`;
  const serve = (server) => {
    server.middlewares.use((req, res, next) => {
      const url = (req.url || '').split('?')[0];
      if (!url.startsWith(prefix())) return next();
      files = files || wasmshAssetFiles({ python });
      const file = files.get(decodeURIComponent(url.slice(prefix().length)));
      if (!file) return next();
      res.setHeader('Content-Type', TYPES[path.extname(file)] || 'application/octet-stream');
      fs.createReadStream(file).pipe(res);
      return undefined;
    });
  };
  return {
    name: 'wasmsh',
    config() {
      return { optimizeDeps: { exclude: ['wasmsh'] }, worker: { format: 'es' } };
    },
    configResolved(config) {
      base = config.base || '/';
    },
    configureServer: serve,
    configurePreviewServer: serve,
    transformIndexHtml() {
      return [{ tag: 'script', injectTo: 'head-prepend', children: `globalThis.__wasmshAssetBaseUrl = ${JSON.stringify(prefix())};` }];
    },
    generateBundle() {
      for (const [rel, abs] of wasmshAssetFiles({ python })) {
        this.emitFile({ type: 'asset', fileName: `${dir}/${rel}`, source: fs.readFileSync(abs) });
      }
    },
  };
}
