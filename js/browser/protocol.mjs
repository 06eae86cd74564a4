// protocol.mjs - what the page and the session worker exchange.
//
// page -> worker
//   {type: 'prepare', urls, runtime, seed, wantSeed}   load the engine (Pyodide + side module, or standalone)
//   {type: 'open', options, interrupt, restore}        make the session (options as createSession's)
//   {type: 'run', id, script, stdin, budget, timeoutMs, stream, checkpoint}
//   {type: 'call', id, method, args}                   writeFile, readFile, listDir, stat, mkdir, remove,
//                                                      setArgs, cwd, reset
// worker -> page
//   {type: 'prepared', info, seed?}  {type: 'ready', cwd}
//   {type: 'out', id, fd, text}      output of a run as it is produced
//   {type: 'checkpoint', id, since, entries, all}  (restart mode: the files before a run)
//   {type: 'result', id, ok, value | error, cwd}
//   {type: 'fatal', error}
import * as errors from '../errors.mjs';

export const CALLS = ['writeFile', 'readFile', 'listDir', 'stat', 'mkdir', 'remove', 'setArgs', 'cwd', 'reset'];

export function serializeError(e) {
  if (!e || typeof e !== 'object') return { name: 'Error', message: String(e) };
  const out = { name: e.name || 'Error', message: e.message || String(e) };
  for (const k of Object.keys(e)) {
    const v = e[k];
    if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) out[k] = v;
  }
  return out;
}

/** The error as the same class the Node API throws (WasmshError subclasses by name). */
export function deserializeError(o) {
  const Cls = errors[o.name];
  let e;
  if (typeof Cls === 'function' && Cls.prototype instanceof Error) {
    e = Object.create(Cls.prototype);
    e.stack = `${o.name}: ${o.message}\n    (in the wasmsh session worker)`;
  } else {
    e = new Error(o.message);
  }
  for (const [k, v] of Object.entries(o)) e[k] = v;
  Object.defineProperty(e, 'message', { value: o.message, enumerable: false, writable: true, configurable: true });
  return e;
}
