// index.d.ts - TypeScript types of wasmsh in the browser (docs/browser.md).
import type { Budget, DirEntry, FetchLimits, FileStat, RunOptions, RunResult, SessionOptions } from '../index';

export * from '../index';

export interface BrowserSessionOptions extends Omit<SessionOptions, 'runtimeDir'> {
  /** The root of the package's files as served (default: the package next to this module, or what wasmsh/vite set). */
  assetBaseUrl?: string;
  /** Where Pyodide 0.29.5 is served (default: `${assetBaseUrl}node_modules/pyodide/`). */
  pyodideBaseUrl?: string;
  /** 'pyodide' (shell + python3, default) or 'standalone' (the shell alone, no Python, loads in tens of ms). */
  runtime?: 'pyodide' | 'standalone';
  /** false: no memory snapshot is kept for later sessions of the page. */
  snapshot?: boolean;
}

export interface BrowserRunResult extends RunResult {
  /** Restart-mode cancel: the worker was replaced (files and cwd restored, shell variables lost). */
  restarted?: boolean;
}

export interface BrowserSession {
  /** 'interrupt' on a cross-origin isolated page (shared memory), else 'restart'. */
  readonly cancelMode: 'interrupt' | 'restart';
  run(script: string, options?: RunOptions): Promise<BrowserRunResult>;
  writeFile(path: string, data: string | Uint8Array, options?: { mode?: number }): Promise<void>;
  readFile(path: string): Promise<Uint8Array>;
  readFile(path: string, options: { encoding: 'utf8' | 'utf-8' }): Promise<string>;
  listDir(path?: string): Promise<DirEntry[]>;
  stat(path: string): Promise<FileStat>;
  remove(path: string, options?: { recursive?: boolean }): Promise<void>;
  mkdir(path: string, options?: { recursive?: boolean }): Promise<void>;
  setArgs(arg0: string, args?: string[]): Promise<void>;
  cwd(): Promise<string>;
  reset(): Promise<void>;
  /** Stops the running command (status 130); nothing when none runs. */
  cancel(): void;
  close(): void;
}

export function createSession(options?: BrowserSessionOptions): Promise<BrowserSession>;
/** Starts N workers with their engine loaded, so that the next sessions open at once. */
export function prewarm(count?: number, options?: Pick<BrowserSessionOptions, 'assetBaseUrl' | 'pyodideBaseUrl' | 'runtime' | 'snapshot'>): Promise<void>;
export function isCrossOriginIsolated(): boolean;
export function defaultAssetBaseUrl(): string;
/** wasmsh on the page's own Pyodide 0.29.5 (same thread, one filesystem): the synchronous Node-style session. */
export function attachToPyodide(pyodide: unknown, options?: Omit<BrowserSessionOptions, 'runtime' | 'pyodideBaseUrl' | 'snapshot'>): Promise<import('../index').Session>;
export type { Budget, FetchLimits };
