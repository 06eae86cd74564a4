// js_guard.mjs - containment layer 2: the wasm/JavaScript boundary of a
// Pyodide instance. Platform-neutral (Node and browser workers).
//
// Everything Python (or any C code in the instance) can do outside its own
// wasm memory goes through the instance's imports: the syscalls of
// Emscripten's filesystem, the clock, and Pyodide's JavaScript bridge (the
// EM_JS functions behind `js`, JsProxy, to_js, create_proxy...), plus a few
// host doors Emscripten provides on its own (system() runs a host shell under
// Node, sockets, dlopen of new wasm code with EM_JS inside, libffi calls,
// exit() setting the host's exit code). The guard wraps every import before
// the instance is created; while a run is in progress (`locked`), only the
// imports on the allowlist below work and every other one fails the way its
// C caller understands (an error value with a Python PermissionError set, or
// -EACCES for a syscall). This holds even if Python reaches a JsProxy object
// or corrupts its own wasm memory: the check is in JavaScript, outside it.
//
// The same wrapper enforces the session's memory ceiling: the wasm memory
// cannot grow past `heapLimit` bytes (malloc then fails: MemoryError in
// Python, an out-of-memory stop in the shell).

const WASM_PAGE = 65536;

/** Imports that may run while user code runs: the OS layer, not the JS bridge. */
const ALLOW_EXACT = new Set([
  '__assert_fail', '_abort_js', '_tzset_js', '_timegm_js', '_mktime_js', '_localtime_js', '_gmtime_js',
  'emscripten_date_now', 'emscripten_get_now', 'emscripten_get_heap_max', 'emscripten_resize_heap',
  '_emscripten_get_progname', '_emscripten_runtime_keepalive_clear', 'emscripten_runtime_keepalive_push',
  'emscripten_runtime_keepalive_pop', '__call_sighandler', '_mmap_js', '_munmap_js', '_msync_js',
  // Emscripten's built-in fake DNS table (no network: names map to made-up addresses)
  'getprotobyname', '_emscripten_lookup_name', 'getaddrinfo', 'getnameinfo',
  // CPython's Emscripten port: signal checks (the deadline) and its call trampoline
  '_Py_emscripten_runtime', '_Py_CheckEmscriptenSignals_Helper', '_PyEM_InitTrampoline_js',
  '_PyEM_GetCountArgsPtr', '_PyEM_TrampolineCall_JS',
  // object lifetimes: a JsProxy freed by Python's GC releases its JS reference
  '__hiwire_deduplicate_new', '__hiwire_deduplicate_get', '__hiwire_deduplicate_set',
  '__hiwire_deduplicate_delete', 'destroy_proxy', 'destroy_proxies', 'destroy_proxies_js', 'gc_register_proxies',
  'proxy_cache_get', 'proxy_cache_set', 'throw_no_gil',
  // WASI: file descriptors, the clock, randomness, environment (proc_exit is not here)
  'environ_sizes_get', 'environ_get', 'fd_close', 'fd_read', 'fd_write', 'clock_res_get', 'clock_time_get',
  'fd_sync', 'random_get', 'fd_fdstat_get', 'fd_seek', 'fd_pread', 'fd_pwrite',
]);

/** Syscalls that reach past the filesystem (Emscripten's SOCKFS opens real WebSockets). */
const DENY_SYSCALLS = new Set([
  '__syscall_socket', '__syscall_connect', '__syscall_bind', '__syscall_listen', '__syscall_accept4',
  '__syscall_getpeername', '__syscall_getsockname', '__syscall_getsockopt', '__syscall_recvfrom',
  '__syscall_recvmsg', '__syscall_sendmsg', '__syscall_sendto',
]);

const EACCES = 2; // Emscripten numbers errno as WASI does

export function allowedWhileLocked(name) {
  if (ALLOW_EXACT.has(name)) return true;
  return name.startsWith('__syscall_') && !DENY_SYSCALLS.has(name);
}

/** What a denied import returns, from its signature's return type (Pyodide's own error conventions). */
function deniedValue(guard, name, sig) {
  if (name.startsWith('__syscall_')) return -EACCES;
  const ret = sig ? sig[0] : 'i';
  switch (ret) {
    case 'e': return guard.M && 'error' in guard.M ? guard.M.error : null;
    case 'p': return 0; // dlopen/dlsym: a NULL handle
    case 'j': return -1n;
    case 'd': case 'f': return NaN;
    case 'v': return undefined;
    default: return name === 'ffi_closure_alloc_js' ? 0 : -1;
  }
}

export class JsBridgeClosed extends Error {
  constructor(name) {
    super(`wasmsh: code in the sandbox tried to reach the host through ${name}; the session's JavaScript bridge is closed`);
    this.name = 'JsBridgeClosed';
    this.importName = name;
  }
}

/**
 * Wraps the imports of one Pyodide instance (the `imports` object its
 * instantiateWasm receives). Returns the guard: set `locked` during runs;
 * `heapLimit` (bytes) caps the wasm memory at any time.
 */
export function guardImports(imports, Module, { report = false } = {}) {
  const guard = {
    // report: denied imports are recorded in `trace` and still run (a tool
    // to see which imports a workload needs; never for sessions)
    report,
    M: Module,
    locked: false,
    heapLimit: Infinity,
    violations: [],
    // set by the engine once the side module is loaded: sets a Python PermissionError
    setPythonError: null,
    // (name) => void, the owning session's record of the attempt
    onViolation: null,
    trace: report ? new Set() : null, // names called while locked
  };
  const seen = new Set();
  for (const [modName, mod] of Object.entries(imports)) {
    // GOT.* hold globals; `sentinel` is a tiny wasm module of Pyodide's own
    if (modName.startsWith('GOT.') || modName === 'sentinel') continue;
    if (!mod || typeof mod !== 'object' || seen.has(mod)) continue;
    seen.add(mod);
    for (const name of Object.keys(mod)) {
      const f = mod[name];
      if (typeof f !== 'function') continue;
      if (name === 'emscripten_resize_heap') mod[name] = resizeGuard(guard, f, mod.memory || imports.env?.memory);
      else if (name === 'emscripten_get_heap_max') mod[name] = withSig(() => Math.min(Number(f()), guard.heapLimit), f);
      else if (!allowedWhileLocked(name)) mod[name] = denyWhileLocked(guard, name, f);
      else if (report) mod[name] = traced(guard, name, f);
    }
  }
  const memory = imports.env && imports.env.memory;
  if (memory instanceof WebAssembly.Memory) limitGrowth(guard, memory);
  return guard;
}

function withSig(wrapper, orig) {
  if (orig.sig) wrapper.sig = orig.sig;
  return wrapper;
}

function traced(guard, name, f) {
  return withSig(function (...args) {
    if (guard.locked && guard.trace) guard.trace.add(name);
    return f.apply(this, args);
  }, f);
}

function denyWhileLocked(guard, name, f) {
  const sig = f.sig;
  return withSig(function (...args) {
    if (!guard.locked) return f.apply(this, args);
    if (guard.report) {
      guard.trace.add(`DENY ${name}`);
      return f.apply(this, args);
    }
    guard.violations.push(name);
    if (guard.onViolation) {
      try { guard.onViolation(name); } catch { /* recording must not fail the call */ }
    }
    const ret = sig ? sig[0] : 'i';
    // A function that cannot report failure to its caller (void, or one that
    // never returns, like exit) ends the run: the session is then rebuilt.
    if ((ret === 'v' && !name.startsWith('__syscall_')) || name === 'exit' || name === 'proc_exit') {
      throw new JsBridgeClosed(name);
    }
    if (!name.startsWith('__syscall_') && guard.setPythonError) {
      try { guard.setPythonError(name); } catch { /* no Python error then: a SystemError */ }
    }
    return deniedValue(guard, name, sig);
  }, f);
}

// emscripten_resize_heap asks for at least `requested` bytes and grows by a
// margin; the margin is clamped to the limit (in Memory.grow below), a
// request past the limit fails (malloc returns NULL).
function resizeGuard(guard, f, memory) {
  return withSig((requested) => {
    const want = requested >>> 0;
    if (want > guard.heapLimit) {
      if (guard.onHeapExceeded) guard.onHeapExceeded();
      return 0;
    }
    guard.pendingRequest = want;
    try {
      return f(requested);
    } finally {
      guard.pendingRequest = 0;
    }
  }, f);
}

function limitGrowth(guard, memory) {
  const grow = WebAssembly.Memory.prototype.grow;
  Object.defineProperty(memory, 'grow', {
    configurable: true,
    value(pages) {
      const cur = this.buffer.byteLength;
      let n = Number(pages);
      if (cur + n * WASM_PAGE > guard.heapLimit) {
        const room = Math.floor((guard.heapLimit - cur) / WASM_PAGE);
        if (!guard.pendingRequest || room < 0 || cur + room * WASM_PAGE < guard.pendingRequest) {
          if (guard.onHeapExceeded) guard.onHeapExceeded();
          throw new RangeError('wasmsh: the session memory limit (budget: heap) is reached');
        }
        n = room;
      }
      return grow.call(this, n);
    },
  });
}
