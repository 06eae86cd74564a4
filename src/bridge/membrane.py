"""membrane.py - containment layer 1: Python's side of the sandbox.

src/bridge/contain.c runs this once per interpreter, before the first
python3 command, right after installing its C audit hook (which refuses to
load the JavaScript bridge's modules, ctypes, sub-interpreters, and refuses
os.system, subprocess and gc's object-graph walkers). This file takes apart
what Pyodide set up at start-up so that no Python code finds the bridge
already loaded:

- the modules of the bridge (js, pyodide_js, pyodide, pyodide.*, _pyodide*,
  _pyodide_core) leave sys.modules, and Pyodide's JsFinder leaves
  sys.meta_path: importing them again goes through the import system, where
  the audit hook refuses them;
- the import system's own doors are wrapped: _imp.create_builtin refuses the
  same built-in modules (a direct importlib._bootstrap call skips the audit
  event), _imp.create_dynamic refuses every C extension (wasmsh loads none);
- what Pyodide replaced with JavaScript-backed versions is put back with
  versions that need no JavaScript: time.sleep (Pyodide's needs stack
  switching, which Node lacks; this one sleeps in slices and honours the
  run's deadline), asyncio's event loop (a synchronous loop instead of
  Pyodide's WebLoop, so asyncio.run() works), and os._exit (which would set
  the host process's exit code) ends the python3 command instead.

This layer is not the security boundary by itself (Python code can inspect
most of the interpreter); layer 2, js_guard.mjs, closes the JavaScript side of
every import during a run. This layer makes the ordinary paths fail early,
with clear Python exceptions.

install() returns the functions the C side keeps: {"stop": ...}.
"""

import sys


# Top-level names the audit hook in contain.c refuses too (keep in step).
BLOCKED_TOPLEVEL = frozenset({
    "js", "pyodide_js", "pyodide", "_pyodide", "_pyodide_core", "ctypes", "_ctypes",
    "_posixsubprocess", "_testcapi", "_testinternalcapi", "_testbuffer", "_testmultiphase",
    "_testsinglephase", "_testimportmultiple", "_testexternalinspection", "_xxsubinterpreters",
    "_xxinterpchannels", "_interpreters", "_interpchannels", "_interpqueues", "_xxtestfuzz",
    "_lsprof_js", "micropip._compat._compat_in_pyodide",
})

MESSAGE = ("No module named %r (wasmsh: the sandbox has no JavaScript bridge, "
           "no ctypes and no host processes)")


def blocked(name):
    top = name.partition(".")[0]
    return top in BLOCKED_TOPLEVEL or name in BLOCKED_TOPLEVEL


def unload_bridge(keep):
    ffi = sys.modules.get("pyodide.ffi")
    jsproxy = getattr(ffi, "JsProxy", None)
    for name in [n for n in sys.modules if blocked(n)]:
        module = sys.modules.pop(name)
        keep.append(module)
        scrub(module, jsproxy, keep)
    sys.meta_path[:] = [f for f in sys.meta_path
                        if not getattr(type(f) if not isinstance(f, type) else f,
                                       "__module__", "").startswith(("_pyodide", "pyodide"))]
    sys.path_importer_cache.clear()


def scrub(module, jsproxy, keep):
    """Takes the JavaScript objects an unloaded module holds (its `js`,
    `pyodide_js`, imported JS functions; the import hook's table of JS
    modules) out of it, into `keep` (held by the C side, out of Python's
    reach: freeing them now could release JS references Pyodide still uses).
    Python code that finds the module finds no JavaScript object in it."""
    if jsproxy is None or isinstance(module, jsproxy):
        return
    try:
        d = vars(module)
    except TypeError:
        return
    for k, v in list(d.items()):
        if isinstance(v, jsproxy):
            keep.append(v)
            del d[k]
        elif k == "jsfinder":
            table = getattr(v, "jsproxies", None)
            if isinstance(table, dict):
                keep.append(dict(table))
                table.clear()


def wrap_imp():
    import _imp
    create_builtin = _imp.create_builtin

    def guarded_create_builtin(spec, _create=create_builtin, _blocked=blocked):
        if _blocked(spec.name):
            raise ModuleNotFoundError(MESSAGE % spec.name, name=spec.name)
        return _create(spec)

    def refused_create_dynamic(spec, file=None):
        raise ImportError("wasmsh: C extension modules cannot be loaded in the sandbox (%s)"
                          % getattr(spec, "name", "?"), name=getattr(spec, "name", None))

    guarded_create_builtin.__name__ = "create_builtin"
    refused_create_dynamic.__name__ = "create_dynamic"
    _imp.create_builtin = guarded_create_builtin
    _imp.create_dynamic = refused_create_dynamic


def make_sleep(should_stop):
    """time.sleep in slices of at most 20 ms, each followed by the run's stop
    check (deadline, budgets, cancel): a stop ends the sleep at once."""
    import time as _time
    monotonic = _time.monotonic
    nanosleep = _time.sleep  # CPython's own: a busy wait in Emscripten, no signal checks

    def sleep(secs):
        if secs != secs or secs < 0:  # NaN or negative, as CPython says
            raise ValueError("sleep length must be non-negative")
        end = monotonic() + secs
        while True:
            left = end - monotonic()
            if left <= 0:
                return
            nanosleep(min(left, 0.02))
            if should_stop():
                # the stop's KeyboardInterrupt comes at the next check of
                # the eval loop (raising a second one here would reach the
                # driver's own handling of the first)
                return

    sleep.__doc__ = nanosleep.__doc__
    return sleep


def restore_time_and_asyncio(should_stop):
    import time
    webloop = sys.modules.get("pyodide.webloop")
    original = getattr(webloop, "_orig_sleep", None) if webloop else None
    if original is not None:
        time.sleep = original
    time.sleep = make_sleep(should_stop)
    import asyncio
    if webloop is not None:
        orig_run = getattr(webloop, "_orig_run", None)
        if orig_run is not None:
            asyncio.run = orig_run
    old = (asyncio.events._event_loop_policy, asyncio.events._get_running_loop())
    # Pyodide leaves its WebLoop marked as running for good
    asyncio.events._set_running_loop(None)
    asyncio.set_event_loop_policy(make_loop_classes()[1]())
    return old


def make_exit():
    import os
    import posix

    def _exit(status):
        """Ends the python3 command with this status (buffers are not flushed)."""
        raise SystemExit(int(status))

    os._exit = _exit
    posix._exit = _exit


# ---------------------------------------------------------------- asyncio

def make_loop_classes():
    import asyncio
    from asyncio import base_events, events

    class SyncSelector:
        """Timers only: there is no I/O to wait for (no sockets, no JS)."""

        def __init__(self):
            pass

        def select(self, timeout):
            import time
            if timeout is None:
                raise RuntimeError("wasmsh: the event loop has nothing left to wait for "
                                   "(no sockets or JavaScript events in the sandbox)")
            if timeout > 0:
                time.sleep(timeout)
            return []

        def close(self):
            pass

    class SyncLoop(base_events.BaseEventLoop):
        def __init__(self):
            super().__init__()
            self._selector = SyncSelector()

        def _process_events(self, event_list):
            pass

        def _write_to_self(self):
            pass

    class Policy(events.BaseDefaultEventLoopPolicy):
        _loop_factory = SyncLoop

    return SyncLoop, Policy


# ---------------------------------------------------------------- stops

def code_objects(namespace, module_name):
    """Every code object of a module's functions and classes (nested too)."""
    seen, todo = set(), []
    for value in namespace.values():
        if isinstance(value, type) and getattr(value, "__module__", None) == module_name:
            todo.extend(vars(value).values())
        else:
            todo.append(value)
    while todo:
        v = todo.pop()
        if isinstance(v, (staticmethod, classmethod)):
            v = v.__func__
        elif isinstance(v, property):
            todo.extend(f for f in (v.fget, v.fset, v.fdel) if f)
            continue
        code = getattr(v, "__code__", None) if callable(v) else v
        if isinstance(code, type(make_stop.__code__)) and code not in seen:
            seen.add(code)
            todo.extend(c for c in code.co_consts if isinstance(c, type(code)))
    return seen


def make_stop(trusted, tool_id=4):
    """Returns stop(): called by the C side when a run must end and Python
    went on (it caught the KeyboardInterrupt). From then on every line, jump
    and call of Python code raises KeyboardInterrupt again, so no handler can
    keep the program running; the python3 command ends and the driver
    reports the budget. Everything it uses is captured here, out of reach of
    the program."""
    mon = sys.monitoring
    events = mon.events
    wanted = (events.LINE | events.JUMP | events.PY_START | events.PY_RESUME
              | events.PY_RETURN | events.PY_YIELD | events.CALL)
    use_tool_id, free_tool_id = mon.use_tool_id, mon.free_tool_id
    register_callback, set_events = mon.register_callback, mon.set_events
    get_tool, restart_events = mon.get_tool, mon.restart_events
    kinds = [getattr(events, n) for n in ("LINE", "JUMP", "PY_START", "PY_RESUME", "PY_RETURN", "PY_YIELD", "CALL")]
    state = {"on": False}

    DISABLE = mon.DISABLE

    def stop_everything(code, *args):
        # the driver's own handling of the stop (its except and finally
        # blocks) runs on; everything else stops at its next line
        if code in trusted:
            return DISABLE
        raise KeyboardInterrupt

    def stop():
        if state["on"]:
            return
        if get_tool(tool_id) is not None:
            free_tool_id(tool_id)
        use_tool_id(tool_id, "wasmsh-stop")
        for k in kinds:
            register_callback(tool_id, k, stop_everything)
        set_events(tool_id, wanted)
        state["on"] = True

    def release():
        if not state["on"]:
            return
        state["on"] = False
        try:
            set_events(tool_id, 0)
            for k in kinds:
                register_callback(tool_id, k, None)
            free_tool_id(tool_id)
            restart_events()
        except Exception:
            pass

    return stop, release


# ---------------------------------------------------------------- hygiene

def make_hygiene():
    """What every python3 command gets back as it was, as a new process
    would (the driver puts back argv, path, streams, environ, cwd, warnings):
    the builtins, the import system's hooks, the interpreter's hooks and
    limits. Then a health check of what the driver and every later command
    rely on; a failed one asks for a fresh runtime (the session's files are
    kept). The snapshot is taken once the driver is loaded (take())."""
    import builtins
    import gc
    import os
    import posixpath
    import signal
    snap = {}
    get_recursion, set_recursion = sys.getrecursionlimit, sys.setrecursionlimit
    settrace, setprofile = sys.settrace, sys.setprofile
    bdict = builtins.__dict__
    sysdict = sys.__dict__
    dict_copy, dict_clear, dict_update = dict.copy, dict.clear, dict.update
    HOOKS = ("excepthook", "displayhook", "breakpointhook", "unraisablehook", "meta_path",
             "path_hooks", "path_importer_cache", "modules", "path", "stdin", "stdout", "stderr")
    ESSENTIAL = ("sys", "builtins", "os", "posix", "posixpath", "io", "_io", "importlib", "_imp",
                 "_frozen_importlib", "_frozen_importlib_external", "signal", "_signal", "time", "errno",
                 "types", "codecs", "encodings", "_wasmsh", "_wasmsh_driver")

    def take():
        snap["builtins"] = dict_copy(bdict)
        snap["sys"] = {k: sysdict[k] for k in HOOKS if k in sysdict}
        snap["meta_path"] = list(sys.meta_path)
        snap["path_hooks"] = list(sys.path_hooks)
        snap["recursion"] = get_recursion()
        snap["modules"] = {k: sys.modules[k] for k in ESSENTIAL if k in sys.modules}
        snap["sigint"] = signal.getsignal(signal.SIGINT)
        snap["functions"] = [(m, k, getattr(m, k)) for m, names in
                             ((os, ("getcwd", "chdir", "fspath", "stat", "listdir", "open", "write")),
                              (posixpath, ("join", "dirname", "basename", "abspath")))
                             for k in names]

    def after_command():
        """Puts things back; returns False when the runtime must be replaced."""
        if not snap:
            return True
        for _ in range(3):
            try:
                return put_back()
            except KeyboardInterrupt:
                continue  # a stop's SIGINT still pending: once more
        return False

    def put_back():
        healthy = True
        try:
            settrace(None)
            setprofile(None)
            if bdict != snap["builtins"]:
                dict_clear(bdict)
                dict_update(bdict, snap["builtins"])
            for k, v in snap["sys"].items():
                if sysdict.get(k) is not v:
                    sysdict[k] = v
            sys.meta_path[:] = snap["meta_path"]
            sys.path_hooks[:] = snap["path_hooks"]
            if get_recursion() != snap["recursion"]:
                set_recursion(snap["recursion"])
            for k, v in snap["modules"].items():
                if sys.modules.get(k) is not v:
                    sys.modules[k] = v
            for m, k, f in snap["functions"]:
                if getattr(m, k, None) is not f:
                    setattr(m, k, f)
            if signal.getsignal(signal.SIGINT) is not snap["sigint"]:
                signal.signal(signal.SIGINT, snap["sigint"])
            if not gc.isenabled():
                gc.enable()
            healthy = posixpath.join("a", "b") == "a/b" and len(bdict) == len(snap["builtins"])
        except KeyboardInterrupt:
            raise
        except BaseException:
            healthy = False
        return healthy

    return take, after_command


def install(should_stop):
    keep = []
    keep.append(restore_time_and_asyncio(should_stop))  # reads pyodide.webloop: first
    unload_bridge(keep)
    wrap_imp()
    make_exit()
    trusted = code_objects(globals(), __name__)
    stop, release = make_stop(trusted)

    take_snapshot, after_command = make_hygiene()

    def trust(module):
        trusted.update(code_objects(vars(module), module.__name__))
        take_snapshot()

    sys.excepthook = sys.__excepthook__
    # `keep`: what Pyodide replaced, kept alive (held by the C side)
    return {"stop": stop, "release": release, "trust": trust, "keep": keep, "after_command": after_command}
