// attach.mjs - wasmsh on a page's own Pyodide instance: the side module is
// loaded into it, so the page's Python and the shell share one filesystem
// (and one process: the shell's `cd` is Python's os.chdir).
//
//   const pyodide = await loadPyodide();          // Pyodide 0.29.5, the page's own
//   const sh = await attachToPyodide(pyodide, { cwd: '/home/pyodide' });
//   pyodide.runPython("open('data.txt', 'w').write('from python')");
//   (await sh.run('cat data.txt | wc -c')).stdout   // "11\n"
//
// The session runs on the thread of that Pyodide: on the main thread a long
// command blocks the page until it ends or its budget stops it (give runs a
// timeoutMs); in the page's own worker it blocks that worker. cancel() from
// the same thread stops the next run only; another thread can stop a running
// command through interruptBuffer. The session also takes over Pyodide's
// interrupt buffer (it is how the shell's deadline reaches Python).
import { RuntimeLoadError } from '../errors.mjs';
import { Session, checkSessionOptions, preparePyodideEngine } from '../session_core.mjs';
import { assetUrls, fetchBytes, loadWheels } from './assets.mjs';
import { BrowserFetchBroker } from './fetch_sync.mjs';

export const PYODIDE_VERSION = '0.29.5';

/** Loads wasmsh into `pyodide` and returns a session on it (the Node API, in this thread). */
export async function attachToPyodide(pyodide, options = {}) {
  if (!pyodide || !pyodide._module || !pyodide.FS) throw new RuntimeLoadError('attachToPyodide: pass a Pyodide instance (from loadPyodide())');
  if (pyodide.version !== PYODIDE_VERSION) {
    throw new RuntimeLoadError(`attachToPyodide: wasmsh is built for Pyodide ${PYODIDE_VERSION}, this page has ${pyodide.version}`);
  }
  const opts = checkSessionOptions(options, ['assetBaseUrl']);
  const urls = assetUrls(opts);
  const [soBytes, wheels] = await Promise.all([fetchBytes(urls.sideModule, 'the wasmsh side module'), loadWheels(urls)]);
  const sideModule = await WebAssembly.compile(soBytes);
  const engine = preparePyodideEngine(pyodide, { sideModule, wheels });
  const broker = new BrowserFetchBroker(opts.allowedHosts, opts.fetch, urls.fetchHelper);
  // The page's own Python keeps its JavaScript bridge unless the page asks
  // for containment (docs/security.md: attach mode is not a sandbox for Python).
  return new Session(engine, opts, broker, { containByDefault: false });
}
