// helpers.mjs - what the langchain-wasmsh suites share.
export { WasmshSandbox, WasmshRemoteSandbox } from '../../../packages/npm/langchain-wasmsh/src/index.mjs';

/** The base path of the standard tests' files. */
export const resolvePath = (name) => `/tmp/std/${name}`;
