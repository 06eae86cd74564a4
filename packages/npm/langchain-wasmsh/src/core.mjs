// core.mjs - what the in-process and the remote sandbox share: lifecycle,
// execute() with its output limit and timeout, uploadFiles/downloadFiles with
// deepagents' four error kinds, and the overrides of ls/read/grep/glob/edit
// that answer from the filesystem directly (fs_tools.mjs) when the subclass
// says that is the better way.
//
// Every call goes through one queue per sandbox: deepagents runs the tool
// calls of one model turn concurrently, and a wasmsh session runs one thing
// at a time (in-process a run is a synchronous call; a remote session answers
// 409 to a second run).
import { BaseSandbox, SandboxError } from 'deepagents';

import { lsDirect, readDirect, grepDirect, globDirect, editText, isTextPath } from './fs_tools.mjs';

/** Seconds a command may run (LocalShellBackend's default). */
export const DEFAULT_TIMEOUT_S = 120;
/** Bytes of output execute() returns (LocalShellBackend's default). */
export const DEFAULT_MAX_OUTPUT_BYTES = 100_000;
/** Bytes of output after which the shell stops the command (exit 124). */
export const DEFAULT_HARD_OUTPUT_BYTES = 16 * 1024 * 1024;

const OWN_OPTIONS = ['timeout', 'maxOutputBytes', 'hardOutputBytes', 'initialFiles'];

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function checkPositive(name, v, { allowZero = false } = {}) {
  if (v === undefined) return;
  const ok = typeof v === 'number' && !Number.isNaN(v) && (allowZero ? v >= 0 : v > 0);
  if (!ok) throw new TypeError(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, got ${String(v)}`);
}

/** Splits the options of a sandbox into its own and the session's. */
export function splitOptions(options, where) {
  if (options === null || typeof options !== 'object') throw new TypeError(`${where}: options must be an object`);
  const own = {};
  const session = {};
  for (const [k, v] of Object.entries(options)) {
    if (OWN_OPTIONS.includes(k)) own[k] = v;
    else session[k] = v;
  }
  checkPositive('timeout', own.timeout, { allowZero: true });
  checkPositive('maxOutputBytes', own.maxOutputBytes);
  checkPositive('hardOutputBytes', own.hardOutputBytes);
  if (own.initialFiles !== undefined && (own.initialFiles === null || typeof own.initialFiles !== 'object')) {
    throw new TypeError(`${where}: initialFiles must map paths to contents`);
  }
  return { own, session };
}

/** The longest prefix of `bytes` of at most `max` bytes that ends on a UTF-8 character boundary. */
function cutUtf8(bytes, max) {
  let end = Math.min(max, bytes.length);
  // back off over continuation bytes (10xxxxxx) so a character is never split
  while (end > 0 && end < bytes.length && (bytes[end] & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end);
}

/** A path deepagents may use: absolute, no NUL. Relative paths are refused (invalid_path). */
export function validPath(p) {
  return typeof p === 'string' && p.startsWith('/') && !p.includes('\0');
}

/** deepagents' error kinds from an errno name (FilesystemBackend's mapping, plus EPERM/EROFS). */
export function fileError(errno) {
  switch (errno) {
    case 'ENOENT': return 'file_not_found';
    case 'EACCES': case 'EPERM': case 'EROFS': return 'permission_denied';
    case 'EISDIR': return 'is_directory';
    default: return 'invalid_path';
  }
}

function toBytes(content) {
  if (content instanceof Uint8Array) return content;
  if (typeof content === 'string') return encoder.encode(content);
  if (ArrayBuffer.isView(content)) return new Uint8Array(content.buffer, content.byteOffset, content.byteLength);
  if (content instanceof ArrayBuffer) return new Uint8Array(content);
  throw new TypeError('uploadFiles: contents must be Uint8Array (or a string)');
}

/**
 * The shared sandbox. A subclass provides:
 *   openSession()  -> a session (in-process Session or RemoteSession), awaited
 *   closeSession(session)
 *   makeId(session) -> the sandbox id
 *   fsAdapter(session) -> the adapter fs_tools.mjs reads through, or null
 *   directFor(op)  -> whether op ('ls', 'read', 'globGrep', 'glob', 'edit') answers directly
 */
export class WasmshSandboxBase extends BaseSandbox {
  #own;
  #session = null;
  #id = null;
  #running = false;
  #starting = false;
  #queue = Promise.resolve();

  constructor(own) {
    super();
    this.#own = {
      timeout: own.timeout ?? DEFAULT_TIMEOUT_S,
      maxOutputBytes: own.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
      hardOutputBytes: own.hardOutputBytes ?? DEFAULT_HARD_OUTPUT_BYTES,
      initialFiles: own.initialFiles,
    };
  }

  /** The sandbox id (set by initialize()). */
  get id() {
    return this.#id ?? '';
  }

  /** True between initialize() and close(). */
  get isRunning() {
    return this.#running;
  }

  /** The wasmsh session under the sandbox (for what the sandbox API does not cover). */
  get session() {
    return this.#session;
  }

  /** Seconds per command, output limit and hard output limit in force. */
  get limits() {
    const { timeout, maxOutputBytes, hardOutputBytes } = this.#own;
    return { timeout, maxOutputBytes, hardOutputBytes };
  }

  /**
   * Makes the session and writes the initial files. Calling it while the
   * sandbox runs (or starts) throws ALREADY_INITIALIZED; after close() it
   * starts a new session.
   */
  async initialize() {
    if (this.#running || this.#session || this.#starting) {
      throw new SandboxError('The sandbox is already initialized (or starting): initialize() it once, again only after close().',
        'ALREADY_INITIALIZED');
    }
    this.#starting = true;
    let session;
    try {
      session = await this.openSession();
    } finally {
      this.#starting = false;
    }
    this.#session = session;
    try {
      this.#id = await this.makeId(session);
      this.#running = true;
      const files = Object.entries(this.#own.initialFiles || {});
      if (files.length) {
        const results = await this.uploadFiles(files.map(([p, c]) => [p, toBytes(c)]));
        const failed = results.filter((r) => r.error);
        if (failed.length) {
          throw new SandboxError(`initialFiles: ${failed.map((r) => `${r.path}: ${r.error}`).join(', ')}`,
            'FILE_OPERATION_FAILED');
        }
      }
      await this.afterInitialize?.(session);
    } catch (e) {
      this.#running = false;
      this.#session = null;
      await this.closeSession(session).catch(() => {});
      throw e;
    }
  }

  /** Ends the session; the files are gone. Closing twice is harmless. */
  async close() {
    if (!this.#session) {
      this.#running = false;
      return;
    }
    const session = this.#session;
    this.#running = false;
    this.#session = null;
    await this.#queue.catch(() => {});
    await this.closeSession(session);
  }

  #check() {
    if (!this.#running || !this.#session) {
      throw new SandboxError('The sandbox is not running: call initialize() (or create()) first, and not after close().',
        'NOT_INITIALIZED');
    }
    return this.#session;
  }

  /** Runs fn(session) after every call queued before it. */
  serialize(fn) {
    const session = this.#check();
    const run = this.#queue.then(() => fn(session));
    this.#queue = run.catch(() => {});
    return run;
  }

  /**
   * Runs a command in the sandbox's shell. Shell state (variables, functions,
   * the directory) persists between commands, as in a terminal.
   *
   * @param {string} command
   * @param {{timeout?: number}} [options] timeout in seconds (0: none), over the sandbox's
   * @returns {Promise<{output: string, exitCode: number, truncated: boolean}>} output is
   *   stdout and stderr interleaved; beyond maxOutputBytes it is cut (truncated: true) and
   *   the command still runs to its end; beyond hardOutputBytes the shell stops it (124).
   *   A timeout gives 124 and "wasmsh: time limit exceeded (budget: time)".
   */
  async execute(command, options = {}) {
    if (typeof command !== 'string') throw new TypeError('execute: command must be a string');
    const timeout = options && options.timeout !== undefined ? options.timeout : this.#own.timeout;
    checkPositive('timeout', timeout, { allowZero: true });
    // no `ms` for no timeout: Infinity does not survive JSON (the remote session)
    const budget = { outputBytes: this.#own.hardOutputBytes };
    if (timeout > 0) budget.ms = timeout * 1000;
    const r = await this.serialize((s) => s.run(command, { budget }));
    let output = r.output;
    let truncated = !!r.truncated;
    const max = this.#own.maxOutputBytes;
    // a UTF-8 string has at most 3 bytes per UTF-16 unit: shorter ones fit without encoding
    if (output.length * 3 > max) {
      const bytes = encoder.encode(output);
      if (bytes.length > max) {
        output = decoder.decode(cutUtf8(bytes, max));
        truncated = true;
      }
    }
    return { output, exitCode: r.exitCode, truncated };
  }

  /**
   * Writes files (parent directories are made). Per file: error null, or
   * invalid_path (relative path, NUL, a parent that is a file), is_directory,
   * permission_denied, file_not_found. The order of `files` is kept.
   */
  async uploadFiles(files) {
    if (!Array.isArray(files)) throw new TypeError('uploadFiles: expects an array of [path, content]');
    const items = files.map(([p, c]) => [p, toBytes(c)]);
    return this.serialize(async (s) => {
      const out = [];
      for (const [p, data] of items) {
        if (!validPath(p)) {
          out.push({ path: p, error: 'invalid_path' });
          continue;
        }
        try {
          await s.writeFile(p, data);
          out.push({ path: p, error: null });
        } catch (e) {
          if (!e || e.errno === undefined) throw e;
          out.push({ path: p, error: fileError(e.errno) });
        }
      }
      return out;
    });
  }

  /**
   * Reads files. Per path: {content, error: null}, or content null and
   * file_not_found, is_directory, permission_denied, invalid_path.
   */
  async downloadFiles(paths) {
    if (!Array.isArray(paths)) throw new TypeError('downloadFiles: expects an array of paths');
    return this.serialize(async (s) => {
      const out = [];
      for (const p of paths) {
        if (!validPath(p)) {
          out.push({ path: p, content: null, error: 'invalid_path' });
          continue;
        }
        try {
          const content = await s.readFile(p);
          out.push({ path: p, content, error: null });
        } catch (e) {
          if (!e || e.errno === undefined) throw e;
          out.push({ path: p, content: null, error: fileError(e.errno) });
        }
      }
      return out;
    });
  }

  // ---------------------------------------------------------------- file tools

  async #direct(op, fn) {
    if (!this.directFor(op)) return null;
    return this.serialize((s) => fn(this.fsAdapter(s)));
  }

  async ls(path) {
    const r = await this.#direct('ls', (fsa) => lsDirect(fsa, path));
    return r ?? super.ls(path);
  }

  async read(filePath, offset = 0, limit = 500) {
    // binary types are read with downloadFiles by the base class itself
    const r = isTextPath(filePath) ? await this.#direct('read', (fsa) => readDirect(fsa, filePath, offset, limit)) : null;
    return r ?? super.read(filePath, offset, limit);
  }

  async grep(pattern, path = '/', glob = null, maxCount = null) {
    // without a glob grepDirect declines: grep -r in the shell is faster
    const r = glob ? await this.#direct('globGrep', (fsa) => grepDirect(fsa, pattern, path, glob, maxCount)) : null;
    return r ?? super.grep(pattern, path, glob, maxCount);
  }

  async glob(pattern, path = '/') {
    const r = await this.#direct('glob', (fsa) => globDirect(fsa, pattern, path));
    return r ?? super.glob(pattern, path);
  }

  async edit(filePath, oldString, newString, replaceAll = false) {
    if (!this.directFor('edit')) return super.edit(filePath, oldString, newString, replaceAll);
    return this.serialize(async (s) => {
      let bytes;
      try {
        if (!validPath(filePath)) throw Object.assign(new Error('invalid path'), { errno: 'EINVAL' });
        bytes = await s.readFile(filePath);
      } catch (e) {
        if (!e || e.errno === undefined) throw e;
        return { error: `Error: File '${filePath}' not found` };
      }
      const r = editText(decoder.decode(bytes), oldString, newString, replaceAll, filePath);
      if (r.text === undefined) return r.result;
      try {
        await s.writeFile(filePath, encoder.encode(r.text));
      } catch (e) {
        if (!e || e.errno === undefined) throw e;
        return { error: `Failed to write edited file '${filePath}': ${fileError(e.errno)}` };
      }
      return r.result;
    });
  }

  // defaults for subclasses
  directFor() {
    return false;
  }

  fsAdapter() {
    return null;
  }
}
