// python_net.mjs - the socket layer of a Pyodide instance, closed.
//
// CPython's socket module in Pyodide is Emscripten's SOCKFS, which in Node
// turns connect() into a WebSocket connection (the `ws` package) to the
// address asked for, and listen() into a WebSocket server on the host: a
// real TCP connection to any host and port, past the fetch broker. Both are
// refused here, for every socket (TCP and UDP: a datagram's first send
// creates a peer the same way), with ENETUNREACH; Python's network paths go
// through the broker instead (src/bridge/net.py). Name resolution in SOCKFS
// is already fake (no DNS query leaves the instance).
const ENETUNREACH = 40; // Emscripten's (WASI) errno numbering
const EACCES = 2;

export function closeSockets(M, FS) {
  const SOCKFS = M && M.SOCKFS;
  const ops = SOCKFS && SOCKFS.websocket_sock_ops;
  if (!ops || ops.wasmshClosed) return false;
  const refuse = (errno) => () => { throw new FS.ErrnoError(errno); };
  ops.createPeer = refuse(ENETUNREACH);
  ops.connect = refuse(ENETUNREACH);
  ops.listen = refuse(EACCES);
  ops.wasmshClosed = true;
  return true;
}
