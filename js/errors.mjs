// errors.mjs - the typed errors of the wasmsh JS API. Every error the API
// throws is a WasmshError with a stable `code` and a message that says what to
// do; file operations add `path` and the POSIX `errno` name.

export class WasmshError extends Error {
  constructor(message, code = 'WASMSH_ERROR', extra = {}) {
    super(message);
    this.name = this.constructor.name;
    this.code = code;
    Object.assign(this, extra);
  }
}

/** An option passed to createSession or run is invalid. */
export class OptionsError extends WasmshError {
  constructor(message) {
    super(message, 'WASMSH_BAD_OPTION');
  }
}

/** The session was closed; create a new one. */
export class SessionClosedError extends WasmshError {
  constructor() {
    super('the session is closed: create a new one with createSession()', 'WASMSH_SESSION_CLOSED');
  }
}

/** run() was called while another run of the same session is in progress. */
export class SessionBusyError extends WasmshError {
  constructor() {
    super('the session is already running a script: await the previous run() first', 'WASMSH_SESSION_BUSY');
  }
}

/** The runtime (Pyodide or the side module) could not be loaded. */
export class RuntimeLoadError extends WasmshError {
  constructor(message, cause) {
    super(message, 'WASMSH_RUNTIME_LOAD', cause ? { cause } : {});
  }
}

/** A file operation failed; `errno` is the POSIX name (ENOENT, EISDIR, ...). */
export class FsError extends WasmshError {
  constructor(op, path, errno) {
    super(`${op} ${path}: ${describeErrno(errno)}`, 'WASMSH_FS', { op, path, errno });
  }
}

/** A request to a host that the session's allowedHosts do not list. */
export class HostNotAllowedError extends WasmshError {
  constructor(url, host) {
    super(`fetch ${url}: host ${host} is not in this session's allowedHosts ` +
      '(pass it in createSession({allowedHosts: [...]}) or --allow-host)', 'WASMSH_HOST_NOT_ALLOWED',
    { url, host });
  }
}

const ERRNO_TEXT = {
  ENOENT: 'No such file or directory',
  EEXIST: 'File exists',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  ENOTEMPTY: 'Directory not empty',
  EACCES: 'Permission denied',
  EINVAL: 'Invalid argument',
  EBUSY: 'Device or resource busy',
};

export function describeErrno(name) {
  return ERRNO_TEXT[name] ? `${ERRNO_TEXT[name]} (${name})` : name;
}
