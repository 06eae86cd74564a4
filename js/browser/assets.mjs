// assets.mjs - where a browser session finds its files, and loading them.
//
// One base URL (`assetBaseUrl`) is the root of the npm package as it is
// installed (or a copy of it, e.g. what the wasmsh/vite plugin emits):
//   lib/browser/worker.mjs        the session worker
//   lib/browser/fetch_helper.mjs  the fetch broker's helper worker
//   runtime/wasmsh.so             the side module (Pyodide runtime)
//   runtime/wheels/index.json     the bundled wheels (micropip, packaging)
//   runtime/web/wasmsh-web.mjs    the standalone build (+ .wasm)
//   node_modules/pyodide/         Pyodide 0.29.5 (`pyodideBaseUrl` overrides)
import { RuntimeLoadError } from '../errors.mjs';

const PACKAGE_ROOT_FROM_HERE = '../../';

/** The default asset base: what a bundler plugin set, else the package root next to this file. */
export function defaultAssetBaseUrl() {
  if (typeof globalThis.__wasmshAssetBaseUrl === 'string') return withSlash(globalThis.__wasmshAssetBaseUrl);
  // a variable, not a literal: bundlers must not try to resolve it at build time
  const rel = PACKAGE_ROOT_FROM_HERE;
  return new URL(rel, import.meta.url).href;
}

export function withSlash(u) {
  return u.endsWith('/') ? u : `${u}/`;
}

/** Absolute asset URLs from createSession's options. */
export function assetUrls({ assetBaseUrl, pyodideBaseUrl } = {}) {
  const here = typeof location !== 'undefined' ? location.href : undefined;
  const base = withSlash(new URL(assetBaseUrl || defaultAssetBaseUrl(), here).href);
  const pyodide = withSlash(new URL(pyodideBaseUrl || 'node_modules/pyodide/', base).href);
  return {
    base,
    pyodide,
    worker: new URL('lib/browser/worker.mjs', base).href,
    fetchHelper: new URL('lib/browser/fetch_helper.mjs', base).href,
    sideModule: new URL('runtime/wasmsh.so', base).href,
    wheels: new URL('runtime/wheels/', base).href,
    webModule: new URL('runtime/web/wasmsh-web.mjs', base).href,
    webWasm: new URL('runtime/web/wasmsh-web.wasm', base).href,
  };
}

export async function fetchBytes(url, what) {
  let res;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new RuntimeLoadError(`could not load ${what} from ${url}: ${e && e.message ? e.message : e} ` +
      '(is assetBaseUrl right? see docs/browser.md)', e);
  }
  if (!res.ok) {
    throw new RuntimeLoadError(`could not load ${what} from ${url}: HTTP ${res.status} ` +
      '(serve the wasmsh package files and pass assetBaseUrl; see docs/browser.md)');
  }
  return new Uint8Array(await res.arrayBuffer());
}

/** The bundled wheels as [{name, data}] (runtime/wheels/index.json lists them). */
export async function loadWheels(urls) {
  let names;
  try {
    const res = await fetch(`${urls.wheels}index.json`);
    names = res.ok ? await res.json() : [];
  } catch {
    names = [];
  }
  return Promise.all(names.map(async (name) => ({ name, data: await fetchBytes(`${urls.wheels}${name}`, `wheel ${name}`) })));
}
