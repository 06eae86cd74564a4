"""driver.py - python3 and pip as commands of the wasmsh shell.

src/bridge/python.c embeds this file and calls main(ctx, prog, argv) for
every `python3`/`python`/`pip` command the shell runs. `ctx` is the command's
UtilCtx (an integer); the built-in module _wasmsh reaches the command's fds
and the session's hooks through it:

    _wasmsh.write(ctx, fd, data) -> 0 or errno     (EPIPE when the reader is done)
    _wasmsh.read(ctx, fd, n)     -> bytes or errno
    _wasmsh.should_stop(ctx)     -> 1 when a budget, the deadline or cancel stops the run
    _wasmsh.fetch(ctx, request)  -> reply bytes, or -1 without a fetch hook
    _wasmsh.environ(ctx)         -> [b"K=V", ...] (the shell's exported variables)

Each python3 run gets a fresh __main__, sys.argv, os.environ, sys.path and
standard streams; imported library modules stay cached (that is what makes a
second `python3 -c` cheap), modules imported from outside the library (the
user's own files) are dropped so that an edited file is read again.
"""

import builtins
import errno
import io
import os
import sys
import types

import _wasmsh
import _wasmsh_net

# ---------------------------------------------------------------- constants

PYTHON_VERSION_LINE = "Python %d.%d.%d" % sys.version_info[:3]
LIBRARY_PREFIX = "/lib/"            # Pyodide's stdlib, zip and site-packages
BUNDLED_WHEELS = "/lib/wasmsh/wheels"  # micropip and packaging, written by the JS glue
BUNDLED_INSTALLER = "wasmsh-bundled"
BASE_SYS_PATH = [p for p in sys.path if p != "" and not p.startswith("/home/")]

sys.executable = "/usr/bin/python3"
sys.dont_write_bytecode = True

USAGE = (
    "usage: {prog} [option] ... [-c cmd | -m mod | file | -] [arg] ...\n"
)
HELP = USAGE + """Options (and corresponding environment variables):
-B     : don't write .pyc files on import
-c cmd : program passed in as string (terminates option list)
-E     : ignore PYTHON* environment variables (such as PYTHONPATH)
-h     : print this help message and exit (also -? or --help)
-I     : isolate Python from the user's environment (implies -E, -P and -s)
-m mod : run library module as a script (terminates option list)
-O     : remove assert and __debug__-dependent statements
-OO    : do -O changes and also discard docstrings
-P     : don't prepend a potentially unsafe path to sys.path
-q     : don't print version and copyright messages on interactive startup
-s     : don't add user site directory to sys.path
-S     : don't imply 'import site' on initialization
-u     : force the stdout and stderr streams to be unbuffered
-V     : print the Python version number and exit (also --version)
-W arg : warning control; arg is action:message:category:module:lineno
-x     : skip first line of source
-X opt : set implementation-specific option
file   : program read from script file
-      : program read from stdin (default; interactive mode if a tty)
arg ...: arguments passed to program in sys.argv[1:]

wasmsh: python3 runs in the shell's session (Pyodide); -i (interactive
inspection) is not available.
"""


class UsageError(Exception):
    pass


# ---------------------------------------------------------------- streams

# The UtilCtx of the python3 command running now. A stream that outlives its
# command (a logging handler made by one run, kept by the cached logging
# module) writes to the same fd of the command running now, never to a
# finished command's context.
ACTIVE = [None]

# Python's network paths (http.client, urllib, pyodide.http, ...) go through
# the session's fetch broker in the command running now (src/bridge/net.py).
_wasmsh_net.install(lambda: ACTIVE[0])


class ShellIO(io.RawIOBase):
    """One of the command's shell fds as a raw binary stream."""

    def __init__(self, ctx, fd, name, mode):
        super().__init__()
        self._ctx = ctx
        self._fd = fd
        self.name = name
        self._mode = mode
        self.discard = False
        self.used = False

    @property
    def mode(self):
        return self._mode

    def readable(self):
        return self._mode == "rb"

    def writable(self):
        return self._mode == "wb"

    def isatty(self):
        return False

    def fileno(self):
        # Python's own fds 0/1/2 are routed to the command's shell fds while
        # python3 runs (bridge.c), so os.write(sys.stdout.fileno(), ...) and
        # this stream reach the same place.
        return self._fd

    def detach_command(self):
        self._ctx = None

    def attach_command(self, ctx):
        self._ctx = ctx
        self.discard = False
        self.used = False

    def _context(self):
        ctx = self._ctx if self._ctx is not None else ACTIVE[0]
        if ctx is None:
            raise ValueError("I/O operation on a stream of a finished wasmsh command")
        return ctx

    def readinto(self, buf):
        self.used = True
        data = _wasmsh.read(self._context(), self._fd, len(buf))
        if isinstance(data, int):
            raise OSError(data, os.strerror(data))
        n = len(data)
        buf[:n] = data
        return n

    def write(self, data):
        if self.discard:
            return len(data)
        rc = _wasmsh.write(self._context(), self._fd, bytes(data))
        if rc == 0:
            return len(data)
        if rc == errno.EPIPE:
            # CPython on Linux says errno 32, whatever this libc numbers it
            raise BrokenPipeError(32, "Broken pipe")
        raise OSError(rc, os.strerror(rc))


STDOUT_SETUP = (("<stdout>", 1, "surrogateescape", False), ("<stderr>", 2, "backslashreplace", True))


def make_stdin(ctx):
    raw = ShellIO(ctx, 0, "<stdin>", "rb")
    stdin = io.TextIOWrapper(io.BufferedReader(raw), encoding="utf-8", errors="surrogateescape")
    stdin.mode = "r"
    return stdin, raw


def make_outputs(ctx, unbuffered):
    outs, raws = [], []
    for name, fd, errors, line in STDOUT_SETUP:
        raw = ShellIO(ctx, fd, name, "wb")
        binary = raw if unbuffered else io.BufferedWriter(raw)
        text = io.TextIOWrapper(binary, encoding="utf-8", errors=errors,
                                line_buffering=line, write_through=unbuffered)
        text.mode = "w"
        outs.append(text)
        raws.append(raw)
    return outs, raws


# The standard streams of the last run, reused by the next one when nothing
# about them changed: building three TextIOWrappers costs more than the rest
# of a small `python3 -c` run. A stream is reused only when it is open, still
# wraps what it was built on, has its original settings, and holds no data
# (stdin: its raw stream was never read, so nothing is buffered in it).
STREAM_CACHE = {}


class Streams:
    def __init__(self, ctx, unbuffered):
        self.unbuffered = unbuffered
        cached = STREAM_CACHE.pop(unbuffered, None)
        if cached and cached.reusable():
            self.stdin, self.raw_in = cached.stdin, cached.raw_in
            self.outs, self.raws = cached.outs, cached.raws
            if cached.raw_in.used:
                self.stdin, self.raw_in = make_stdin(ctx)
        else:
            self.stdin, self.raw_in = make_stdin(ctx)
            self.outs, self.raws = make_outputs(ctx, unbuffered)
        for raw in self.raws + [self.raw_in]:
            raw.attach_command(ctx)

    @property
    def stdout(self):
        return self.outs[0]

    @property
    def stderr(self):
        return self.outs[1]

    def reusable(self):
        try:
            for (name, fd, errors, line), text, raw in zip(STDOUT_SETUP, self.outs, self.raws):
                binary = text.buffer
                if (text.closed or raw.closed or text.errors != errors or text.encoding != "utf-8"
                        or text.line_buffering != line or text.write_through != self.unbuffered
                        or (binary.raw if not self.unbuffered else binary) is not raw):
                    return False
            return not (self.stdin.closed or self.stdin.buffer.raw is not self.raw_in
                        or self.stdin.errors != "surrogateescape" or self.stdin.encoding != "utf-8")
        except Exception:
            return False  # detached, or replaced by the program

    def release(self):
        """Ends the command's use of the streams; keeps them for the next run
        if they can be reused (drained: nothing written late reaches the next run)."""
        for raw in self.raws:
            raw.discard = True
        try:
            for text in self.outs:
                if not text.closed:
                    text.flush()
        except Exception:
            pass
        for raw in self.raws + [self.raw_in]:
            raw.detach_command()
            raw.discard = False
        if self.reusable():
            STREAM_CACHE[self.unbuffered] = self


# ---------------------------------------------------------------- options

class Options:
    def __init__(self):
        self.mode = None          # "c", "m", "file", "stdin"
        self.target = None
        self.args = []
        self.unbuffered = False
        self.optimize = 0
        self.ignore_env = False
        self.isolated = False
        self.safe_path = False
        self.skip_first_line = False
        self.warnings = []
        self.xoptions = []
        self.dont_write_bytecode = False
        self.action = None        # "version", "version2", "help"


def parse_options(argv):
    """CPython's command line: options, then -c/-m/file/- and the script's arguments."""
    o = Options()
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "-" or not a.startswith("-"):
            break
        if a == "--":
            i += 1
            break
        if a.startswith("--"):
            if a == "--version":
                o.action = "version2" if o.action == "version" else "version"
            elif a in ("--help", "--help-all", "--help-env", "--help-xoptions"):
                o.action = "help"
            elif a == "--check-hash-based-pycs":
                i += 1
            else:
                raise UsageError("unknown option %s" % a)
            i += 1
            continue
        j = 1
        while j < len(a):
            ch = a[j]
            rest = a[j + 1:]
            if ch in "cmWX":
                if rest:
                    value = rest
                elif i + 1 < len(argv):
                    i += 1
                    value = argv[i]
                else:
                    raise UsageError("Argument expected for the -%s option" % ch)
                if ch == "c" or ch == "m":
                    o.mode = ch
                    o.target = value
                    o.args = argv[i + 1:]
                    return o
                (o.warnings if ch == "W" else o.xoptions).append(value)
                break
            if ch == "u":
                o.unbuffered = True
            elif ch == "O":
                o.optimize += 1
            elif ch == "B":
                o.dont_write_bytecode = True
            elif ch == "E":
                o.ignore_env = True
            elif ch == "I":
                o.isolated = o.ignore_env = o.safe_path = True
            elif ch == "P":
                o.safe_path = True
            elif ch == "x":
                o.skip_first_line = True
            elif ch == "V":
                o.action = "version2" if o.action in ("version", "version2") else "version"
            elif ch in "h?":
                o.action = "help"
            elif ch in "sSqbdvRi":
                pass  # accepted: nothing to change here (-i: see the help text)
            else:
                raise UsageError("Unknown option: -%s" % ch)
            j += 1
        i += 1
    if i < len(argv):
        o.target = argv[i]
        o.mode = "stdin" if argv[i] == "-" else "file"
        o.args = argv[i + 1:]
    else:
        o.mode = "stdin"
        o.target = None
    return o


# ---------------------------------------------------------------- one run

class RunState:
    """What a python3 run changes in the interpreter, to put back afterwards.
    Cheap to take: a run of `python3 -c 'print(1)'` should cost well under a
    millisecond, so the copies are C-level (dict.copy, list slices)."""

    def __init__(self):
        import warnings
        self.streams = (sys.stdin, sys.stdout, sys.stderr)
        self.argv = sys.argv
        self.path = sys.path[:]
        self.modules_len = len(sys.modules)
        self.last_module = next(reversed(sys.modules))
        self.main = sys.modules.get("__main__")
        self.cwd = os.getcwd()
        self.filters = warnings.filters[:]
        self.warnoptions = sys.warnoptions[:]
        self.dont_write_bytecode = sys.dont_write_bytecode
        logging = sys.modules.get("logging")
        root = logging.getLogger() if logging else None
        self.log_root = (root, root.handlers[:], root.level) if root else None

    def restore(self):
        import warnings
        sys.stdin, sys.stdout, sys.stderr = self.streams
        sys.argv = self.argv
        sys.path[:] = self.path
        if self.main is not None:
            sys.modules["__main__"] = self.main
        drop_user_modules(self.modules_len, self.last_module)
        try:
            if os.getcwd() != self.cwd:
                os.chdir(self.cwd)
        except OSError:
            try:
                os.chdir(self.cwd)
            except OSError:
                pass
        warnings.filters[:] = self.filters
        sys.warnoptions[:] = self.warnoptions
        sys.dont_write_bytecode = self.dont_write_bytecode
        # os.environ is left as the shell's: the next run sets it again (to
        # the same variables, most of the time: no work), so what a program
        # changed never reaches the next one.
        logging = sys.modules.get("logging")
        if logging:
            root = logging.getLogger()
            if self.log_root and self.log_root[0] is root:
                handlers, level = self.log_root[1], self.log_root[2]
            else:
                handlers, level = [], logging.WARNING
            if root.handlers != handlers:
                root.handlers[:] = handlers
            if root.level != level:
                root.setLevel(level)


def drop_user_modules(before_len, last_before):
    """Forget modules the run imported from outside the library (user files).
    New entries of sys.modules come after the last one there was before the
    run (dicts keep insertion order), so only those are looked at."""
    if len(sys.modules) == before_len and next(reversed(sys.modules)) == last_before:
        return  # nothing imported (the common case)
    added = []
    for name in reversed(sys.modules):
        if name == last_before:
            break
        added.append(name)
    for name in added:
        mod = sys.modules.get(name)
        path = getattr(mod, "__file__", None)
        if path and not str(path).startswith(LIBRARY_PREFIX):
            del sys.modules[name]


def set_environ_data(target):
    """Makes os.environ (and the C environment) hold exactly `target`
    ({bytes: bytes}, os.environ's own representation on POSIX)."""
    data = os.environ._data
    if data == target:
        return
    for k in [k for k in data if k not in target]:
        os.unsetenv(k)
        del data[k]
    for k, v in target.items():
        if data.get(k) != v:
            os.putenv(k, v)
            data[k] = v


# The shell's exported variables as os.environ data, for the last list seen:
# most runs see the same environment as the one before.
ENV_CACHE = [None, None]


def shell_environ_data(ctx):
    raw = _wasmsh.environ(ctx)
    if raw == ENV_CACHE[0]:
        return ENV_CACHE[1]
    data = {}
    for item in raw:
        k, sep, v = item.partition(b"=")
        if sep and k:
            data[k] = v
    ENV_CACHE[0], ENV_CACHE[1] = raw, data
    return data


def exit_status(code):
    """SystemExit.code as CPython's exit status (printing a non-int code)."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    try:
        sys.stderr.write(str(code) + "\n")
    except Exception:
        pass
    return 1


def print_exception(exc, driver_globals):
    """The traceback as CPython prints it, without this driver's own frames."""
    import traceback
    kept = []
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_globals is not driver_globals:
            kept.append(tb)
        tb = tb.tb_next
    for a, b in zip(kept, kept[1:] + [None]):
        a.tb_next = b
    tb = kept[0] if kept else None
    try:
        traceback.print_exception(type(exc), exc, tb, file=sys.stderr)
    except Exception:
        pass


def new_main_module(filename=None):
    mod = types.ModuleType("__main__")
    mod.__builtins__ = builtins
    if filename is not None:
        mod.__file__ = filename
    mod.__cached__ = None
    sys.modules["__main__"] = mod
    return mod


def run_source(source, filename, o):
    if o.skip_first_line:
        if isinstance(source, bytes):
            nl = source.find(b"\n")
            source = b"\n" + source[nl + 1:] if nl >= 0 else b""
        else:
            nl = source.find("\n")
            source = "\n" + source[nl + 1:] if nl >= 0 else ""
    code = compile_cached(source, filename, o.optimize or -1)
    mod = new_main_module(None if filename in ("<string>", "<stdin>") else filename)
    exec(code, mod.__dict__)


# Code objects of recent programs: agents run the same `python3 -c` in loops
# (`for f in *.csv; do python3 -c '...' "$f"; done`); code objects are
# immutable, so a cached one behaves exactly as a fresh compile.
CODE_CACHE = {}
CODE_CACHE_MAX = 64
CODE_CACHE_MAX_SOURCE = 64 * 1024


def compile_cached(source, filename, optimize):
    if len(source) > CODE_CACHE_MAX_SOURCE:
        return compile(source, filename, "exec", optimize=optimize, dont_inherit=True)
    key = (source, filename, optimize)
    code = CODE_CACHE.pop(key, None)
    if code is None:
        # Only code that compiles without a warning is cached: CPython prints
        # a SyntaxWarning at every compile, and so must a cached run.
        import warnings
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                code = compile(source, filename, "exec", optimize=optimize, dont_inherit=True)
        except Exception:
            return compile(source, filename, "exec", optimize=optimize, dont_inherit=True)
        if len(CODE_CACHE) >= CODE_CACHE_MAX:
            CODE_CACHE.pop(next(iter(CODE_CACHE)))
    CODE_CACHE[key] = code  # most recently used last
    return code


def python_run(ctx, prog, o):
    """Runs the program of a parsed python3 command line; returns its status."""
    import warnings
    if o.mode == "m" and o.target in ("venv", "virtualenv"):
        sys.stderr.write(
            "%s: -m %s: virtual environments are not available in wasmsh: the session has one\n"
            "Python whose packages are shared by every python3 run; use `pip install NAME` instead.\n"
            % (prog, o.target))
        return 1
    if o.mode == "m" and o.target == "pip":
        return pip_run(ctx, "%s -m pip" % prog, o.args)
    if o.mode == "m" and o.target == "ensurepip":
        sys.stdout.write("pip is available in wasmsh (installs go through micropip).\n")
        return 0
    env = os.environ._data  # bytes keys: no encoding per lookup
    if not o.ignore_env and env.get(b"PYTHONPATH"):
        sys.path[0:0] = [p for p in os.environ["PYTHONPATH"].split(":") if p]
    if o.dont_write_bytecode or (not o.ignore_env and env.get(b"PYTHONDONTWRITEBYTECODE")):
        sys.dont_write_bytecode = True
    for w in o.warnings:
        warnings._setoption(w) if hasattr(warnings, "_setoption") else None
    if o.mode == "c":
        sys.argv = ["-c"] + o.args
        if not o.safe_path:
            sys.path.insert(0, "")
        run_source(o.target, "<string>", o)
    elif o.mode == "m":
        import runpy
        sys.argv = ["-m"] + o.args
        if not o.safe_path:
            sys.path.insert(0, os.getcwd())
        runpy._run_module_as_main(o.target, alter_argv=True)
    elif o.mode == "file":
        path = o.target
        sys.argv = [path] + o.args
        try:
            with open(path, "rb") as f:
                source = f.read()
        except IsADirectoryError:
            import runpy
            if not o.safe_path:
                sys.path.insert(0, path)
            runpy.run_path(path, run_name="__main__")
            return 0
        except OSError as e:
            sys.stderr.write("%s: can't open file %r: [Errno %d] %s\n"
                             % (prog, os.path.abspath(path), linux_errno(e), e.strerror))
            return 2
        if not o.safe_path:
            sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
        run_source(source, path, o)
    else:
        sys.argv = ["-" if o.target == "-" else ""] + o.args
        if not o.safe_path:
            sys.path.insert(0, "")
        run_source(sys.stdin.read(), "<stdin>", o)
    return 0


LINUX_ERRNO = {"ENOENT": 2, "EACCES": 13, "EISDIR": 21, "ENOTDIR": 20, "EPERM": 1}


def linux_errno(e):
    """The errno number CPython on Linux would print (this libc numbers them differently)."""
    name = errno.errorcode.get(e.errno or 0, "")
    return LINUX_ERRNO.get(name, e.errno or 0)


def finish_streams(stdout, stderr, raws, failed):
    """Flushes Python's buffers at exit, as CPython does; returns 120 when it fails."""
    status = 0
    if failed:
        raws[0].discard = True
    for name, stream in (("stdout", stdout), ("stderr", stderr)):
        if stream.closed:
            continue  # the program closed it (json.tool does): nothing to flush
        try:
            stream.flush()
        except Exception as e:
            raws[0].discard = True
            if name == "stdout":
                try:
                    stderr.write("Exception ignored in: <_io.TextIOWrapper name='<stdout>' mode='w' "
                                 "encoding='utf-8'>\n%s: %s\n" % (type(e).__name__, e))
                    stderr.flush()
                except Exception:
                    pass
                status = 120
    return status


def python_main(ctx, argv):
    prog = os.path.basename(argv[0]) if argv else "python3"
    try:
        o = parse_options(argv[1:])
    except UsageError as e:
        msg = str(e)
        text = (msg + "\n" if msg.startswith("Unknown option") else "%s\n" % msg) + USAGE.format(prog=prog)
        text += "Try `python -h' for more information.\n"
        _wasmsh.write(ctx, 2, text.encode())
        return 2
    if o.action in ("version", "version2"):
        line = PYTHON_VERSION_LINE if o.action == "version" else "Python " + sys.version
        _wasmsh.write(ctx, 1, (line + "\n").encode())
        return 0
    if o.action == "help":
        _wasmsh.write(ctx, 1, HELP.format(prog=prog).encode())
        return 0
    return with_session_state(ctx, o.unbuffered, lambda: python_run(ctx, prog, o))


def with_session_state(ctx, unbuffered, body):
    """Runs body() with the command's streams, argv and environment; maps the
    way it ends to an exit status as CPython would."""
    state = RunState()
    streams = Streams(ctx, unbuffered)
    stdout, stderr, raws = streams.stdout, streams.stderr, streams.raws
    sys.stdin, sys.stdout, sys.stderr = streams.stdin, stdout, stderr
    failed = False
    outer = ACTIVE[0]
    ACTIVE[0] = ctx
    try:
        set_environ_data(shell_environ_data(ctx))
        sys.path[:] = BASE_SYS_PATH
        try:
            status = body()
        except SystemExit as e:
            status = exit_status(e.code)
        except KeyboardInterrupt as e:
            if _wasmsh.should_stop(ctx):
                failed = True
                status = 124  # the shell has said which budget on stderr
            else:
                print_exception(e, globals())
                status = 130
        except BaseException as e:
            print_exception(e, globals())
            # as CPython, what the program printed before the traceback is
            # still flushed; only a broken stdout has nothing left to take it
            failed = isinstance(e, BrokenPipeError)
            status = 1
            contain = sys.modules.get("_wasmsh_contain")  # membrane.py: out of memory is a budget stop
            if contain is not None:
                contain.exception_ended(e)
        flush_status = finish_streams(stdout, stderr, raws, failed)
        if flush_status and not status:
            status = flush_status
        return status
    finally:
        streams.release()
        ACTIVE[0] = outer
        state.restore()


# ---------------------------------------------------------------- pip

PIP_USAGE = """
Usage:
  {prog} <command> [options]

Commands:
  install                     Install packages (through micropip).
  uninstall                   Uninstall packages.
  freeze                      Output installed packages in requirements format.
  list                        List installed packages.
  show                        Show information about installed packages.
  help                        Show help for commands.

General Options:
  -h, --help                  Show help.
  -q, --quiet                 Give less output.
  -v, --verbose               Give more output.
  -V, --version               Show version and exit.

wasmsh: pure-Python wheels install from local .whl files and, when the
session allows the index host, from the package index.
"""


class PipError(Exception):
    pass


class FetchRefused(OSError):
    pass


def pip_main(ctx, prog, argv):
    return with_session_state(ctx, False, lambda: pip_run(ctx, prog, argv))


def pip_run(ctx, label, args):
    args = list(args)
    quiet = 0
    while args and args[0].startswith("-"):
        a = args.pop(0)
        if a in ("-h", "--help"):
            sys.stdout.write(PIP_USAGE.format(prog=label))
            return 0
        if a in ("-V", "--version"):
            mp = bundled_version("micropip")
            sys.stdout.write("pip (wasmsh, micropip %s) from %s (python %d.%d)\n"
                             % (mp, site_packages(), sys.version_info[0], sys.version_info[1]))
            return 0
        if a in ("-q", "--quiet"):
            quiet += 1
        elif a in ("-v", "--verbose", "--no-color", "--disable-pip-version-check", "--isolated",
                   "--no-cache-dir", "--no-input", "--require-virtualenv"):
            pass
        elif a in ("--root-user-action", "--cache-dir", "--log", "--proxy", "--timeout", "--retries"):
            if args:
                args.pop(0)
        elif a.startswith("--"):
            pass
        else:
            sys.stderr.write("ERROR: no such option: %s\n" % a)
            return 2
    if not args:
        sys.stdout.write(PIP_USAGE.format(prog=label))
        return 0
    cmd, rest = args[0], args[1:]
    commands = {"install": pip_install, "uninstall": pip_uninstall, "list": pip_list,
                "freeze": pip_freeze, "show": pip_show}
    if cmd == "help":
        sys.stdout.write(PIP_USAGE.format(prog=label))
        return 0
    if cmd not in commands:
        known = ("download", "wheel", "cache", "config", "check", "debug", "hash", "index",
                 "inspect", "completion")
        if cmd in known:
            sys.stderr.write("ERROR: pip %s is not available in wasmsh (installs go through micropip)\n" % cmd)
        else:
            sys.stderr.write('ERROR: unknown command "%s"\n' % cmd)
        return 1
    try:
        return commands[cmd](ctx, rest, quiet)
    except PipError as e:
        sys.stderr.write("ERROR: %s\n" % e)
        return 1


def site_packages():
    import sysconfig
    # Pyodide says //lib/..., which normpath keeps (POSIX reserves "//")
    return "/" + os.path.normpath(sysconfig.get_path("purelib")).lstrip("/")


def bundled_version(name):
    import importlib.metadata
    try:
        return importlib.metadata.version(name)
    except Exception:
        return "unknown"


def ensure_micropip():
    """Installs the bundled micropip and packaging wheels on first use (offline)."""
    import importlib
    try:
        import micropip  # noqa: F401
        return
    except ImportError:
        pass
    import zipfile
    try:
        wheels = sorted(f for f in os.listdir(BUNDLED_WHEELS) if f.endswith(".whl"))
    except OSError:
        wheels = []
    if not wheels:
        raise PipError("micropip is not bundled with this build of wasmsh (%s is empty)" % BUNDLED_WHEELS)
    target = site_packages()
    for w in wheels:
        with zipfile.ZipFile(os.path.join(BUNDLED_WHEELS, w)) as zf:
            zf.extractall(target)
            info = [n.split("/")[0] for n in zf.namelist() if n.split("/")[0].endswith(".dist-info")]
        if info:
            with open(os.path.join(target, info[0], "INSTALLER"), "w") as f:
                f.write(BUNDLED_INSTALLER + "\n")
    importlib.invalidate_caches()


# -- micropip's compatibility layer, synchronous and offline-first

def http_request(ctx, url, headers=None):
    try:
        res = _wasmsh_net.request("GET", url, headers, ctx=ctx, decompress=True)
    except _wasmsh_net.FetchError as e:
        raise FetchRefused(str(e))
    return res.status, res.header_dict(), res.body


def make_compat(ctx, refusals):
    from pathlib import Path
    from urllib.parse import urlparse
    from micropip._compat.compatibility_layer import CompatibilityLayer

    def fetch(url, headers=None):
        try:
            return http_request(ctx, url, headers)
        except FetchRefused as e:
            refusals.append(str(e))
            raise

    class Loaded:
        def to_py(self):
            return dict(vars(self))

    class Compat(CompatibilityLayer):
        lockfile_info = {}
        lockfile_packages = {}
        lockfile_base_url = None
        loadedPackages = Loaded()

        @staticmethod
        async def fetch_bytes(url, kwargs):
            p = urlparse(url)
            if p.scheme in ("emfs", "file"):
                return Path(p.path).read_bytes()
            status, _, body = fetch(url)
            if status >= 400:
                raise OSError("HTTP %d fetching %s" % (status, url))
            return body

        @staticmethod
        async def fetch_string_and_headers(url, kwargs):
            status, headers, body = fetch(url, (kwargs or {}).get("headers"))
            if status >= 400:
                raise OSError("HTTP %d fetching %s" % (status, url))
            return body.decode("utf-8", "replace"), headers

        @staticmethod
        async def install(buffer, filename, install_dir, metadata):
            install_wheel(bytes(buffer), filename, install_dir, metadata)

        @staticmethod
        async def loadPackage(names):
            raise PipError("packages of the Pyodide distribution are not available offline")

        @staticmethod
        def to_js(obj, **kwargs):
            return obj

    return Compat


def install_wheel(data, filename, target, metadata):
    import zipfile
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        native = [n for n in names if n.endswith(".so") or ".so." in n.rsplit("/", 1)[-1]]
        if native:
            raise PipError("%s contains a C extension (%s): wasmsh installs pure-Python wheels only"
                           % (filename, native[0]))
        zf.extractall(target)
        info = sorted({n.split("/")[0] for n in names if n.split("/")[0].endswith(".dist-info")})
    if info:
        for key, value in metadata.items():
            with open(os.path.join(target, info[0], key), "w") as f:
                f.write(value)
        # uninstall removes what RECORD lists: make sure it lists every file
        files = [n for n in names if not n.endswith("/")]
        extra = [info[0] + "/" + k for k in metadata]
        with open(os.path.join(target, info[0], "RECORD"), "w") as f:
            f.write("".join("%s,,\n" % n for n in sorted(set(files + extra))))


class SyncSelector:
    """The selector of an event loop that only runs coroutines which never
    wait for I/O (every fetch above is synchronous)."""

    def __init__(self, loop):
        self._loop = loop

    def select(self, timeout):
        import time
        if timeout is None:
            raise PipError("an operation waited for the JavaScript event loop, which cannot run "
                           "inside a shell command")
        if timeout > 0:
            time.sleep(min(timeout, 0.05))
        return []

    def close(self):
        pass


_SYNC_LOOP_CLASS = []


def new_sync_loop():
    """An event loop that runs callbacks and timers only (no I/O, no
    JavaScript): pip's coroutines here, py_eval's in repl.py."""
    if not _SYNC_LOOP_CLASS:
        from asyncio import base_events

        class SyncLoop(base_events.BaseEventLoop):
            def __init__(self):
                super().__init__()
                self._selector = SyncSelector(self)

            def _process_events(self, events):
                pass

            def _write_to_self(self):
                pass

        _SYNC_LOOP_CLASS.append(SyncLoop)
    return _SYNC_LOOP_CLASS[0]()


def run_sync(coro):
    import asyncio
    loop = new_sync_loop()
    try:
        old = asyncio.events._get_running_loop()
        asyncio.events._set_running_loop(None)
        try:
            return loop.run_until_complete(coro)
        finally:
            asyncio.events._set_running_loop(old)
    finally:
        loop.close()


def read_requirements(path, seen=None):
    seen = seen if seen is not None else set()
    real = os.path.abspath(path)
    if real in seen:
        return []
    seen.add(real)
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except OSError as e:
        raise PipError("Could not open requirements file: [Errno %d] %s: %r"
                       % (linux_errno(e), e.strerror, path))
    reqs = []
    joined = []
    for line in lines:
        if line.endswith("\\"):
            joined.append(line[:-1])
            continue
        joined.append(line)
        full = "".join(joined)
        joined = []
        text = full.split(" #", 1)[0].strip()
        if text.startswith("#") or not text:
            continue
        if text.startswith(("-r ", "--requirement ")):
            sub = text.split(None, 1)[1].strip()
            reqs += read_requirements(os.path.join(os.path.dirname(path), sub), seen)
        elif text.startswith(("-e ", "--editable")):
            raise PipError("editable installs (-e) are not available in wasmsh: %s" % text)
        elif text.startswith("-"):
            continue  # index options and hashes: not applicable
        else:
            reqs.append(text)
    return reqs


def installed_dists():
    """{normalized name: Distribution} of what is installed, first on sys.path wins."""
    import importlib.metadata
    import re
    found = {}
    for d in importlib.metadata.distributions():
        name = d.metadata["Name"] if d.metadata else None
        if not name:
            continue
        key = re.sub(r"[-_.]+", "-", name).lower()
        found.setdefault(key, d)
    return found


def normalize(name):
    import re
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(req):
    import re
    m = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", req)
    return normalize(m.group(1)) if m else normalize(req)


def pip_install(ctx, args, quiet):
    reqs, files = [], []
    deps, upgrade, pre, index_urls = True, False, False, []
    no_index = False
    i = 0
    while i < len(args):
        a = args[i]
        value = None
        if a in ("-r", "--requirement", "-c", "--constraint", "-i", "--index-url", "--extra-index-url",
                 "--target", "-t", "--prefix", "--root", "--platform", "--python-version", "--only-binary",
                 "--no-binary", "--progress-bar", "--find-links", "-f", "--trusted-host"):
            if i + 1 >= len(args):
                raise PipError("%s option requires 1 argument" % a)
            value = args[i + 1]
            i += 1
        elif "=" in a and a.startswith("--"):
            a, value = a.split("=", 1)
        if a in ("-r", "--requirement"):
            reqs += read_requirements(value)
        elif a in ("-i", "--index-url", "--extra-index-url"):
            index_urls.append(value)
        elif a == "--no-index":
            no_index = True
        elif a == "--no-deps":
            deps = False
        elif a in ("-U", "--upgrade", "--force-reinstall"):
            upgrade = True
        elif a == "--pre":
            pre = True
        elif a in ("-q", "--quiet"):
            quiet += 1
        elif a in ("-e", "--editable"):
            raise PipError("editable installs (-e) are not available in wasmsh")
        elif a in ("--target", "-t", "--prefix", "--root"):
            raise PipError("%s is not available in wasmsh: packages install into the session's site-packages" % a)
        elif a.startswith("-"):
            pass  # --user, --break-system-packages, --no-cache-dir, ...: nothing to change
        else:
            reqs.append(a)
        i += 1
    if not reqs:
        raise PipError("You must give at least one requirement to install (see \"pip help install\")")
    for r in reqs:
        if r.endswith(".whl") and "://" not in r and not r.startswith("emfs:"):
            if not os.path.exists(r):
                raise PipError("Could not install requirement %s: file not found" % r)
            files.append(r)
    ensure_micropip()
    import logging
    from micropip.package_manager import PackageManager
    logging.getLogger("micropip").setLevel(logging.ERROR)
    refusals = []
    pm = PackageManager(make_compat(ctx, refusals))
    if index_urls:
        pm.set_index_urls(index_urls)
    elif no_index:
        pm.set_index_urls([])
    targets = ["emfs:" + os.path.abspath(r) if r in files else r for r in reqs]
    before = {k: d.version for k, d in installed_dists().items()}
    if upgrade:
        from importlib.metadata import distribution, PackageNotFoundError
        for r in reqs:
            if r in files:
                continue
            try:
                distribution(requirement_name(r))
                uninstall_quietly([requirement_name(r)])
            except PackageNotFoundError:
                pass
    import importlib
    importlib.invalidate_caches()
    try:
        run_sync(pm.install(targets, deps=deps, pre=pre, reinstall=upgrade))
    except PipError:
        raise
    except Exception as e:
        if refusals:
            raise PipError(refusals[-1])
        msg = str(e)
        if "Can't find a pure Python 3 wheel" in msg:
            msg += "\n(wasmsh runs pure-Python wheels only; a package with a C extension must be built for Pyodide)"
        raise PipError(msg)
    finally:
        forget_site_modules()
    after = {k: d for k, d in installed_dists().items()}
    new = sorted((after[k].metadata["Name"], after[k].version) for k in after
                 if before.get(k) != after[k].version)
    if not quiet:
        for r in reqs:
            if r in files:
                continue
            k = requirement_name(r)
            if k in after and before.get(k) == after[k].version:
                sys.stdout.write("Requirement already satisfied: %s in %s (%s)\n"
                                 % (r, site_packages(), after[k].version))
        if new:
            sys.stdout.write("Successfully installed %s\n" % " ".join("%s-%s" % nv for nv in new))
    return 0


def forget_site_modules():
    """After an install or uninstall, imports must see the new files."""
    import importlib
    keep = ("micropip", "packaging", "_wasmsh")
    sp = site_packages()
    for name in list(sys.modules):
        mod = sys.modules.get(name)
        path = str(getattr(mod, "__file__", "") or "")
        if path.startswith(sp) and not name.split(".")[0] in keep:
            del sys.modules[name]
    importlib.invalidate_caches()


def uninstall_quietly(names):
    import micropip
    from micropip.package_manager import PackageManager
    pm = PackageManager(micropip._package_manager_singleton.compat_layer)
    pm.uninstall(names)


def pip_uninstall(ctx, args, quiet):
    names = []
    i = 0
    while i < len(args):
        a = args[i]
        if a in ("-r", "--requirement"):
            if i + 1 >= len(args):
                raise PipError("%s option requires 1 argument" % a)
            names += read_requirements(args[i + 1])
            i += 1
        elif a in ("-q", "--quiet"):
            quiet += 1
        elif a.startswith("-"):
            pass  # -y / --yes: there is no prompt
        else:
            names.append(a)
        i += 1
    if not names:
        raise PipError('You must give at least one requirement to uninstall (see "pip help uninstall")')
    import shutil
    dists = installed_dists()
    for r in names:
        key = requirement_name(r)
        d = dists.get(key)
        if d is None:
            sys.stderr.write("WARNING: Skipping %s as it is not installed.\n" % r)
            continue
        name, version = d.metadata["Name"], d.version
        if not quiet:
            sys.stdout.write("Found existing installation: %s %s\n" % (name, version))
            sys.stdout.write("Uninstalling %s-%s:\n" % (name, version))
        remove_distribution(d, shutil)
        if not quiet:
            sys.stdout.write("  Successfully uninstalled %s-%s\n" % (name, version))
    forget_site_modules()
    return 0


def remove_distribution(d, shutil):
    base = str(d.locate_file(""))
    dirs = set()
    for f in d.files or []:
        p = os.path.normpath(os.path.join(base, str(f)))
        if not p.startswith(base):
            continue
        try:
            os.remove(p)
        except OSError:
            pass
        dirs.add(os.path.dirname(p))
    info = str(getattr(d, "_path", ""))
    if info and os.path.isdir(info):
        shutil.rmtree(info, ignore_errors=True)
    for dpath in sorted(dirs, key=len, reverse=True):
        while dpath.startswith(base) and dpath != base.rstrip("/"):
            try:
                os.rmdir(dpath)
            except OSError:
                break
            dpath = os.path.dirname(dpath)


def dist_rows():
    rows = [(d.metadata["Name"], d.version, d) for d in installed_dists().values()]
    rows.sort(key=lambda r: r[0].lower())
    return rows


def pip_list(ctx, args, quiet):
    fmt = "columns"
    i = 0
    while i < len(args):
        a = args[i]
        if a.startswith("--format="):
            fmt = a.split("=", 1)[1]
        elif a == "--format" and i + 1 < len(args):
            fmt = args[i + 1]
            i += 1
        elif a in ("-o", "--outdated", "-u", "--uptodate"):
            raise PipError("pip list %s needs the package index, which wasmsh's pip does not query" % a)
        i += 1
    rows = dist_rows()
    if fmt == "freeze":
        for name, version, _ in rows:
            sys.stdout.write("%s==%s\n" % (name, version))
    elif fmt == "json":
        import json
        sys.stdout.write(json.dumps([{"name": n, "version": v} for n, v, _ in rows]) + "\n")
    elif fmt == "columns":
        w1 = max([len("Package")] + [len(n) for n, _, _ in rows])
        w2 = max([len("Version")] + [len(v) for _, v, _ in rows])
        sys.stdout.write("%s %s\n%s %s\n" % ("Package".ljust(w1), "Version".ljust(w2).rstrip(),
                                               "-" * w1, "-" * w2))
        for n, v, _ in rows:
            sys.stdout.write(("%s %s" % (n.ljust(w1), v)).rstrip() + "\n")
    else:
        raise PipError("invalid --format: %s (choose from columns, freeze, json)" % fmt)
    return 0


def pip_freeze(ctx, args, quiet):
    for name, version, d in dist_rows():
        if normalize(name) in ("pip", "setuptools", "wheel", "distribute"):
            continue
        if (d.read_text("INSTALLER") or "").strip() == BUNDLED_INSTALLER:
            continue
        sys.stdout.write("%s==%s\n" % (name, version))
    return 0


def pip_show(ctx, args, quiet):
    names = [a for a in args if not a.startswith("-")]
    if not names:
        raise PipError("Please provide a package name or names.")
    dists = installed_dists()
    required_by = {}
    for key, d in dists.items():
        for r in d.requires or []:
            if ";" in r and "extra ==" in r:
                continue
            required_by.setdefault(requirement_name(r), []).append(d.metadata["Name"])
    shown = 0
    for n in names:
        d = dists.get(requirement_name(n))
        if d is None:
            sys.stderr.write("WARNING: Package(s) not found: %s\n" % n)
            continue
        if shown:
            sys.stdout.write("---\n")
        shown += 1
        md = d.metadata
        requires = sorted({requirement_name(r) for r in (d.requires or [])
                           if not (";" in r and "extra ==" in r)})
        fields = [
            ("Name", md["Name"]), ("Version", d.version), ("Summary", md["Summary"] or ""),
            ("Home-page", md["Home-page"] or ""), ("Author", md["Author"] or ""),
            ("Author-email", md["Author-email"] or ""), ("License", md["License"] or ""),
            ("Location", str(d.locate_file("")).rstrip("/")),
            ("Requires", ", ".join(requires)),
            ("Required-by", ", ".join(sorted(required_by.get(requirement_name(n), [])))),
        ]
        for k, v in fields:
            sys.stdout.write(("%s: %s" % (k, v)).rstrip() + "\n")
    return 0 if shown else 1


# ---------------------------------------------------------------- entry

def main(ctx, prog, argv):
    if prog == "pip":
        label = os.path.basename(argv[0]) if argv else "pip"
        return pip_main(ctx, label, argv[1:])
    return python_main(ctx, argv)
