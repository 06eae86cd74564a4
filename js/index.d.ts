// index.d.ts - TypeScript types of the wasmsh package (docs/js-api.md).

/** Bounds of every run (docs/security.md, "Budgets"); Infinity lifts one. */
export interface Budget {
  /** Commands, loop iterations and function calls per run. Default unlimited. */
  steps?: number;
  /** Wall-clock milliseconds per run (also stops python3 and fetches). Default 300000. */
  ms?: number;
  /** Output bytes kept in the result (the first and the last half past it); the run stops after 16 times it. Default 4 MiB. */
  outputBytes?: number;
  /** Bytes the shell may hold in variables and pipe buffers. Default 512 MiB, at most a quarter of heapBytes. */
  memoryBytes?: number;
  /** The session's whole wasm memory (Python's heap and the shell's). Default 1 GiB. */
  heapBytes?: number;
  /** The size of one file. Default 256 MiB. */
  fileBytes?: number;
  /** All files written in the session together. Default 1 GiB. */
  diskBytes?: number;
  /** Files, directories and links created in the session. Default 100000. */
  files?: number;
  /** File descriptors open at once. Default 1024. */
  openFiles?: number;
}

export interface SessionOptions {
  /** Hosts the fetch broker allows: "host" (default ports), "host:port", "host:*", "*.domain" (subdomains,
   * not the apex), "https://host", IP literals. Empty: no network. See docs/network.md. */
  allowedHosts?: string[];
  /** Default budget of every run. */
  budget?: Budget;
  /** Exported variables, on top of HOME, PATH, LANG, USER, TERM. */
  env?: Record<string, string>;
  /** Initial working directory (created). Default "/workspace". */
  cwd?: string;
  /** Files to create: path (absolute, or relative to cwd) to contents. */
  files?: Record<string, string | Uint8Array>;
  /** python3, python, pip commands. Default true. */
  python?: boolean;
  /** An Int32Array on a SharedArrayBuffer: another thread stores 2 (SIGINT) in [0] to cancel the running command. */
  interruptBuffer?: Int32Array;
  /** Limits of each request of the fetch broker (curl, wget, pip). */
  fetch?: FetchLimits;
  /** Python's membrane and the closed JavaScript bridge (docs/security.md). Default true (false for attachToPyodide). */
  containment?: boolean;
  /** Where wasmsh.so and wheels/ are (default: the package's runtime/). Node only. */
  runtimeDir?: string;
}

export interface FetchLimits {
  /** Per request (all its redirects), default 30000; a run's own deadline also ends it. */
  timeoutMs?: number;
  /** Bytes of one response body (also after decompression), default 64 MiB. */
  maxResponseBytes?: number;
  /** Bytes of one request body, default 16 MiB. */
  maxRequestBytes?: number;
  /** Redirects followed per request, default 10. */
  maxRedirects?: number;
}

export interface RunOptions {
  /** fd 0 of the script. */
  stdin?: string | Uint8Array;
  /** Shorthand for budget.ms. */
  timeoutMs?: number;
  /** Budget for this run, merged over the session's. */
  budget?: Budget;
  /** Called with each chunk of stdout as it is produced. */
  onStdout?: (text: string) => void;
  /** Called with each chunk of stderr as it is produced. */
  onStderr?: (text: string) => void;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved in the order they were written. */
  output: string;
  exitCode: number;
  /** Output beyond budget.outputBytes was dropped (the middle of it: see droppedBytes). */
  truncated: boolean;
  /** Bytes of output dropped between the head and the tail kept. */
  droppedBytes: number;
  durationMs: number;
  /** Why the run stopped early: a budget ("steps", "time", "output", "memory", "heap", "fileSize", "disk",
   * "files", "depth", "expansion"), "cancel", or a runtime failure after which the session was moved to a
   * fresh runtime ("sandbox", "crash"); or null. */
  stopReason: string | null;
  /** Closed JavaScript-bridge imports code in the run tried (docs/security.md, layer 2). */
  sandboxViolations?: string[];
  /** The script ran `exit`. */
  exited: boolean;
}

export interface FileStat {
  size: number;
  mode: number;
  mtimeMs: number;
  isFile: boolean;
  isDirectory: boolean;
  isSymbolicLink: boolean;
}

export interface DirEntry {
  name: string;
  type: 'file' | 'directory' | 'symlink';
  size: number;
}

export interface Session {
  run(script: string, options?: RunOptions): Promise<RunResult>;
  writeFile(path: string, data: string | Uint8Array, options?: { mode?: number }): void;
  readFile(path: string): Uint8Array;
  readFile(path: string, options: { encoding: 'utf8' | 'utf-8' }): string;
  listDir(path?: string): DirEntry[];
  stat(path: string): FileStat;
  remove(path: string, options?: { recursive?: boolean }): void;
  mkdir(path: string, options?: { recursive?: boolean }): void;
  /** $0 and $1... for later runs. */
  setArgs(arg0: string, args?: string[]): void;
  /** The shell's working directory. */
  cwd(): string;
  /** A fresh shell state (variables, functions, options, cwd); files stay. */
  reset(): void;
  /**
   * Sets the interrupt buffer. A run is one synchronous call on the session's
   * thread: from that thread this stops the next run before its first command;
   * a running command is stopped by storing 2 in interruptBuffer from another thread.
   */
  cancel(): void;
  close(): void;
}

export function createSession(options?: SessionOptions): Promise<Session>;
/** Loads what all sessions share (compiled side module, wheels, Pyodide's loader). */
export function loadRuntime(options?: { runtimeDir?: string }): Promise<unknown>;
/** Makes N prepared instances now so that the next N createSession calls are immediate. */
export function prewarm(count?: number, options?: { runtimeDir?: string }): Promise<void>;
/** Prepared instances kept warm after the first session (default 1, 0 = off); returns the previous value. */
export function setWarmPool(count: number, options?: { runtimeDir?: string }): Promise<number>;
/** How instances were made, for benchmarks and tests. */
export function runtimeStats(options?: { runtimeDir?: string }): Promise<{
  fullLoads: number; restores: number; moduleReused: number; sparseRestores: number; sharedStdlib: number;
  pooled: number; pending: number; warmPool: number; snapshotBytes: number; sparseZeroBytes: number;
  lastTake: 'pool' | 'refill' | 'snapshot' | 'load' | null;
}>;

export class WasmshError extends Error { code: string; }
export class OptionsError extends WasmshError {}
export class SessionClosedError extends WasmshError {}
export class SessionBusyError extends WasmshError {}
export class RuntimeLoadError extends WasmshError {}
export class FsError extends WasmshError { op: string; path: string; errno: string; }
export class HostNotAllowedError extends WasmshError { url: string; host: string; kind: 'denied'; }
/** A failed request of the broker: kind is 'denied', 'bad_url', 'protocol', 'resolve', 'connect', 'timeout',
 * 'too_large', 'request_too_large', 'redirects', 'tls', 'tls_cert', 'recv', 'empty', 'send', 'bad_reply',
 * 'decode', 'cancelled' or 'failed' (code WASMSH_FETCH_<KIND>). */
export class FetchError extends WasmshError { kind: string; details: Record<string, unknown>; }

export class FetchBroker {
  constructor(allowedHosts?: string[], limits?: FetchLimits);
  allows(url: string): boolean;
  fetchSync(request: {
    url: string; method?: string; headers?: Record<string, string>; body?: Uint8Array; follow?: boolean;
    maxRedirects?: number; timeoutMs?: number; connectTimeoutMs?: number; decompress?: boolean; insecure?: boolean;
  }): {
    status: number; statusText: string; httpVersion: string; headers: Record<string, string>;
    rawHeaders: [string, string][]; body: Uint8Array; url: string; hops: object[]; remoteIp?: string; remotePort?: number;
  };
  /** Test-only: names under .test answered with loopback addresses (nothing else is accepted). */
  setTestResolver(map: Record<string, string>): void;
  close(): void;
}

// ------------------------------------------------------------------ remote sessions (docs/scalable.md)

export interface RemoteSessionOptions extends Omit<SessionOptions, 'interruptBuffer' | 'runtimeDir'> {
  /** The dispatcher (or a runner), e.g. "http://wasmsh:8080". */
  url: string;
  /** The bearer token. */
  token?: string;
  /** Attach to this existing session instead of creating one (the create options are then ignored). */
  id?: string;
  /** Reap the session after this long without a call (the server caps it). */
  idleTimeoutMs?: number;
  /** Before an idle reap, keep the files of the initial cwd as a tar (exportTar() still answers). */
  exportOnIdle?: boolean;
  /** Per HTTP request (a run's own budget.ms/timeoutMs is added to it). Default 60000. */
  requestTimeoutMs?: number;
  /** Extra headers of every request (e.g. X-Request-Id is made per request when absent). */
  headers?: Record<string, string>;
  /** The fetch implementation (default globalThis.fetch; Node uses a keep-alive node:http client). */
  fetchImpl?: typeof fetch;
}

/** A session on a wasmsh dispatcher or runner: the browser session's API (every method returns a promise). */
export interface RemoteSession {
  readonly id: string;
  readonly url: string;
  /** How the server made the session (creates only): from its warm pool or a cold worker, and the ms it took. */
  readonly restore: { from: 'pool' | 'cold'; ms: number } | null;
  run(script: string, options?: RunOptions): Promise<RunResult>;
  writeFile(path: string, data: string | Uint8Array, options?: { mode?: number }): Promise<void>;
  readFile(path: string): Promise<Uint8Array>;
  readFile(path: string, options: { encoding: 'utf8' | 'utf-8' }): Promise<string>;
  listDir(path?: string): Promise<DirEntry[]>;
  stat(path: string): Promise<FileStat>;
  remove(path: string, options?: { recursive?: boolean }): Promise<void>;
  mkdir(path: string, options?: { recursive?: boolean }): Promise<void>;
  setArgs(arg0: string, args?: string[]): Promise<void>;
  /** The shell's directory (as of the last call). */
  cwd(): Promise<string>;
  reset(): Promise<void>;
  /** Stops the running command on the server (status 130); nothing when none runs. */
  cancel(): Promise<void>;
  /** The files under `path` (default: the session's initial cwd) as a tar. */
  exportTar(path?: string): Promise<Uint8Array>;
  /** Extracts a tar under `path` (default: the initial cwd). */
  importTar(data: Uint8Array, path?: string): Promise<{ files: number; directories: number; symlinks: number; bytes: number }>;
  /** What the server knows of the session (createdAt, lastActiveAt, busy, runs, ...). */
  info(): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

/** Creates (or, with `id`, attaches to) a session on a wasmsh dispatcher. */
export function createRemoteSession(options: RemoteSessionOptions): Promise<RemoteSession>;

/** An HTTP error from the server: `status` and the server's `code` (docs/scalable.md, deploy/openapi.yaml). */
export class RemoteError extends WasmshError { status: number; requestId?: string; reason?: string; }

/** Node flags for a process that runs wasmsh sessions and nothing else (Node's permission model:
 * reads limited to the package and `read`, writes to `write`, workers allowed, no child processes). */
export function nodePermissionFlags(options?: { read?: string[]; write?: string[] }): string[];
/** What Node's permission model grants this process, or null when it is off. */
export function nodePermissionStatus(): {
  childProcess: boolean; worker: boolean; fsWrite: boolean; fsRead: boolean; addons: boolean; wasi: boolean;
} | null;
