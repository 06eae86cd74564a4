// sandbox.mjs - WasmshSandbox: a deepagents sandbox whose shell runs in this
// process (wasmsh in Pyodide: the shell, its utilities and python3 on one
// in-memory filesystem; nothing of the host is reachable). In a browser,
// 'wasmsh' is its browser build: the session runs in a Web Worker of the page.
//
//   const sandbox = await WasmshSandbox.create({ initialFiles: { '/workspace/a.txt': 'hi' } });
//   const agent = createDeepAgent({ model, backend: sandbox });
//   ...
//   await sandbox.close();
//
// ls, read, glob, edit and grep with a glob answer from the filesystem
// directly (fs_tools.mjs), with the results of the base class's shell
// commands; grep without a glob runs grep -r in the shell (faster).
import { createSession } from 'wasmsh';

import { WasmshSandboxBase, splitOptions } from './core.mjs';
import { apiAdapter, inProcessAdapter } from './fs_tools.mjs';

function randomId() {
  const b = new Uint8Array(6);
  globalThis.crypto.getRandomValues(b);
  return `wasmsh-${Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')}`;
}

export class WasmshSandbox extends WasmshSandboxBase {
  #sessionOptions;
  #given;
  #direct;

  /**
   * A sandbox that is not running yet: call initialize() (or use create()).
   * Options: timeout (seconds per command, default 120; 0 none),
   * maxOutputBytes (default 100000), hardOutputBytes (default 16 MiB),
   * initialFiles ({path: string | Uint8Array}), directFileTools (default
   * true: ls/read/grep/glob/edit without execute), session (an existing
   * wasmsh Session to use; close() then leaves it open), and every option of
   * wasmsh's createSession (allowedHosts, budget, env, cwd, files, python,
   * fetch, interruptBuffer, runtimeDir).
   */
  constructor(options = {}) {
    const { session, directFileTools = true, ...rest } = options || {};
    const { own, session: sessionOptions } = splitOptions(rest, 'WasmshSandbox');
    super(own);
    if (session !== undefined && (session === null || typeof session.run !== 'function')) {
      throw new TypeError('WasmshSandbox: session must be a wasmsh Session');
    }
    if (session && Object.keys(sessionOptions).length) {
      throw new TypeError(`WasmshSandbox: session options (${Object.keys(sessionOptions).join(', ')}) do not apply to a given session`);
    }
    this.#sessionOptions = sessionOptions;
    this.#given = session;
    this.#direct = !!directFileTools;
  }

  /** Creates and initializes a sandbox (see the constructor for the options). */
  static async create(options = {}) {
    const sandbox = new WasmshSandbox(options);
    await sandbox.initialize();
    return sandbox;
  }

  async openSession() {
    return this.#given || createSession(this.#sessionOptions);
  }

  async closeSession(session) {
    if (session !== this.#given) await session.close();
  }

  makeId() {
    return randomId();
  }

  directFor() {
    // (grep without a glob always runs grep -r in the shell: faster than the
    // same walk in JS, both paying for Emscripten's path lookups)
    return this.#direct;
  }

  // In Node the session's Emscripten FS is at hand; a browser session lives
  // in a worker and answers through its (asynchronous) file API.
  fsAdapter(session) {
    return session.FS ? inProcessAdapter(session.FS) : apiAdapter(session);
  }
}
