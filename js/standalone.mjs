// standalone.mjs - the standalone engine: the wasmsh core built as its own
// Emscripten module (build/web/wasmsh-web.mjs + .wasm) with its own MEMFS and
// no Python. It loads in a few tens of milliseconds and drives the same
// Session as the Pyodide runtime (session_core.mjs); python3 and pip answer
// that they are not available in this build.
import { Engine } from './session_core.mjs';

const EXPORTS = ['new', 'destroy', 'run', 'set_limits', 'import_env', 'set_args', 'stop_reason', 'truncated',
  'has_exited', 'py_poll', 'py_fd_write', 'py_fd_read', 'alloc', 'free'];
// newer entry points: used when the build has them
const OPTIONAL_EXPORTS = ['budget_stop'];

/**
 * @param {Function} createModule  the module factory (default export of wasmsh-web.mjs)
 * @param {object} [o]
 * @param {WebAssembly.Module} [o.wasmModule]  a compiled wasmsh-web.wasm (instantiated, not compiled again)
 * @param {Uint8Array} [o.wasmBinary]          or its bytes
 * @param {string} [o.wasmUrl]                 or where to fetch it
 */
export async function createStandaloneEngine(createModule, { wasmModule, wasmBinary, wasmUrl } = {}) {
  const quiet = () => {};
  const settings = { print: quiet, printErr: quiet, noExitRuntime: true };
  if (wasmModule) {
    settings.instantiateWasm = (imports, done) => {
      WebAssembly.instantiate(wasmModule, imports).then((instance) => done(instance, wasmModule));
      return {};
    };
  } else if (wasmBinary) {
    settings.wasmBinary = wasmBinary;
  } else if (wasmUrl) {
    settings.locateFile = () => wasmUrl;
  }
  const M = await createModule(settings);
  const exports = {};
  for (const name of EXPORTS) {
    const fn = M[`_wasmsh_${name}`];
    if (typeof fn !== 'function') throw new Error(`wasmsh-web: missing export _wasmsh_${name}`);
    exports[`wasmsh_${name}`] = fn;
  }
  for (const name of OPTIONAL_EXPORTS) {
    const fn = M[`_wasmsh_${name}`];
    if (typeof fn === 'function') exports[`wasmsh_${name}`] = fn;
  }
  return new Engine('standalone', M, M.FS, exports, null);
}
