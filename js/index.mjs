// index.mjs - the wasmsh package: sessions (shell + python3 in Pyodide) for Node.
export {
  createSession, loadRuntime, prewarm, setWarmPool, runtimeStats,
  WasmshError, OptionsError, SessionClosedError, SessionBusyError, RuntimeLoadError, FsError, HostNotAllowedError,
} from './session.mjs';
export { FetchBroker } from './fetch_broker.mjs';
export { FetchError } from './fetch_policy.mjs';
export { createRemoteSession, RemoteError } from './remote.mjs';
export { nodePermissionFlags, nodePermissionStatus } from './node_permissions.mjs';
