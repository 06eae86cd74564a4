// remote.mjs - WasmshRemoteSandbox: a deepagents sandbox whose session lives
// on a wasmsh dispatcher (the scalable mode, deploy/openapi.yaml), through
// the wasmsh package's createRemoteSession.
//
//   const sandbox = await WasmshRemoteSandbox.create({ url: 'http://wasmsh:8080', token });
//
// Files go through the session's file API; execute() is one request. The
// file tools use the base class's shell commands (one request each) where the
// session's shell has what they need (find, awk), and otherwise answer
// through the file API (fs_tools.mjs; one request per directory and file).
import * as wasmsh from 'wasmsh';

import { WasmshSandboxBase, splitOptions } from './core.mjs';
import { apiAdapter } from './fs_tools.mjs';

// Whether the shell has the utilities the base class's ls/glob (find) and read (awk) run.
const PROBE = 'for u in find awk; do if command -v "$u" >/dev/null 2>&1; then echo "$u"; fi; done';

export class WasmshRemoteSandbox extends WasmshSandboxBase {
  #clientOptions;
  #has = new Set();
  #direct;

  /**
   * A sandbox that is not running yet: call initialize() (or use create()).
   * Options: url (required), token, id (attach to an existing session),
   * requestTimeoutMs, headers, fetchImpl, idleTimeoutMs, exportOnIdle, the
   * session options of createSession (allowedHosts, budget, env, cwd, files,
   * python, fetch), and the sandbox's own: timeout, maxOutputBytes,
   * hardOutputBytes, initialFiles, directFileTools ('auto' (default):
   * through the file API only where the shell lacks find/awk; false: never).
   */
  constructor(options = {}) {
    const { directFileTools = 'auto', ...rest } = options || {};
    const { own, session } = splitOptions(rest, 'WasmshRemoteSandbox');
    super(own);
    if (typeof session.url !== 'string') throw new TypeError('WasmshRemoteSandbox: url is required');
    if (directFileTools !== 'auto' && directFileTools !== false) {
      throw new TypeError("WasmshRemoteSandbox: directFileTools must be 'auto' or false");
    }
    this.#clientOptions = session;
    this.#direct = directFileTools;
  }

  /** Creates and initializes a sandbox (see the constructor for the options). */
  static async create(options = {}) {
    const sandbox = new WasmshRemoteSandbox(options);
    await sandbox.initialize();
    return sandbox;
  }

  async openSession() {
    if (typeof wasmsh.createRemoteSession !== 'function') {
      throw new Error('WasmshRemoteSandbox: this wasmsh package has no createRemoteSession (it needs the scalable mode)');
    }
    return wasmsh.createRemoteSession(this.#clientOptions);
  }

  async closeSession(session) {
    await session.close();
  }

  makeId(session) {
    return session.id;
  }

  async afterInitialize(session) {
    const r = await session.run(PROBE, { timeoutMs: 10000 });
    this.#has = new Set(r.stdout.split('\n').filter(Boolean));
  }

  /** Which utilities of the base class's commands the session's shell has (find, awk). */
  get shellHas() {
    return [...this.#has];
  }

  directFor(op) {
    if (this.#direct === false) return false;
    switch (op) {
      case 'ls': case 'glob': case 'globGrep': return !this.#has.has('find');
      case 'read': return !this.#has.has('awk');
      default: return false; // edit is download + upload either way
    }
  }

  fsAdapter(session) {
    return apiAdapter(session);
  }
}
