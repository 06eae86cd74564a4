// index.d.ts - TypeScript types of langchain-wasmsh (docs/langchain-wasmsh.md).
import type { BaseSandbox, ExecuteResponse, FileDownloadResponse, FileUploadResponse } from 'deepagents';
import type { Session, SessionOptions, RemoteSession, RemoteSessionOptions } from 'wasmsh';

/** The sandbox's own options (both kinds). */
export interface WasmshSandboxLimits {
  /** Seconds a command may run (0: no limit). Default 120. A timeout gives exit 124. */
  timeout?: number;
  /** Bytes of output execute() returns; beyond, the output is cut (truncated: true) and the command runs on. Default 100000. */
  maxOutputBytes?: number;
  /** Bytes of output after which the shell stops the command (exit 124). Default 16 MiB. */
  hardOutputBytes?: number;
  /** Files written when the sandbox starts: absolute path to contents. */
  initialFiles?: Record<string, string | Uint8Array>;
}

export interface WasmshSandboxOptions extends WasmshSandboxLimits, SessionOptions {
  /** ls, read, grep, glob and edit from the filesystem (default true) instead of through execute(). */
  directFileTools?: boolean;
  /** An existing in-process session to use (no session options then); close() leaves it open. */
  session?: Session;
}

export interface WasmshRemoteSandboxOptions extends WasmshSandboxLimits, RemoteSessionOptions {
  /** 'auto' (default): the file tools go through the file API where the shell lacks find/awk; false: always the base class's commands. */
  directFileTools?: 'auto' | false;
}

export interface ExecuteOptions {
  /** Seconds for this command (0: no limit), instead of the sandbox's. */
  timeout?: number;
}

/** What both sandboxes share: deepagents' BaseSandbox on a wasmsh session. */
export declare abstract class WasmshSandboxBase extends BaseSandbox {
  /** The sandbox id ('' before initialize()). */
  get id(): string;
  /** True between initialize() and close(). */
  get isRunning(): boolean;
  /** The limits in force. */
  get limits(): { timeout: number; maxOutputBytes: number; hardOutputBytes: number };
  /** Starts the session and writes initialFiles; while running (or starting) it throws SandboxError ALREADY_INITIALIZED; after close() it starts a new session. */
  initialize(): Promise<void>;
  /** Ends the session (its files are gone); closing twice is harmless. */
  close(): Promise<void>;
  /** Runs a command; output is stdout and stderr interleaved. Calls before initialize() or after close() throw NOT_INITIALIZED. */
  execute(command: string, options?: ExecuteOptions): Promise<ExecuteResponse>;
  /** Writes files (parents made); per file error null or file_not_found | permission_denied | is_directory | invalid_path. */
  uploadFiles(files: Array<[string, Uint8Array]>): Promise<FileUploadResponse[]>;
  /** Reads files; per path content, or null and an error kind. */
  downloadFiles(paths: string[]): Promise<FileDownloadResponse[]>;
}

/** The shell in this process (wasmsh in Pyodide). */
export declare class WasmshSandbox extends WasmshSandboxBase {
  constructor(options?: WasmshSandboxOptions);
  static create(options?: WasmshSandboxOptions): Promise<WasmshSandbox>;
  /** The wasmsh session (null before initialize() and after close()). */
  get session(): Session | null;
}

/** A session on a wasmsh dispatcher (the scalable mode). */
export declare class WasmshRemoteSandbox extends WasmshSandboxBase {
  constructor(options: WasmshRemoteSandboxOptions);
  static create(options: WasmshRemoteSandboxOptions): Promise<WasmshRemoteSandbox>;
  /** The remote session (null before initialize() and after close()). */
  get session(): RemoteSession | null;
  /** Which of find and awk the session's shell has (probed at initialize()). */
  get shellHas(): string[];
}

export declare const DEFAULT_TIMEOUT_S: number;
export declare const DEFAULT_MAX_OUTPUT_BYTES: number;
export declare const DEFAULT_HARD_OUTPUT_BYTES: number;
