// langchain-wasmsh: LangChain Deep Agents sandboxes backed by wasmsh.
//   WasmshSandbox       the shell in this process (wasmsh in Pyodide)
//   WasmshRemoteSandbox a session on a wasmsh dispatcher (the scalable mode)
export { WasmshSandbox } from './sandbox.mjs';
export { WasmshRemoteSandbox } from './remote.mjs';
export { WasmshSandboxBase, DEFAULT_TIMEOUT_S, DEFAULT_MAX_OUTPUT_BYTES, DEFAULT_HARD_OUTPUT_BYTES } from './core.mjs';
