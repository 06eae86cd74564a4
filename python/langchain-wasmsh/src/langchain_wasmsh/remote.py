"""WasmshRemoteSandbox: a Deep Agents sandbox backend on a session of a wasmsh
dispatcher (the scalable mode's HTTP API, deploy/openapi.yaml).

Only the standard library is used (urllib): a session is made with
``POST /v1/sessions``, commands run with ``POST /v1/sessions/{id}/run``, files
go through ``PUT``/``GET /v1/sessions/{id}/files?path=``, and ``close()``
deletes the session.
"""

from __future__ import annotations

import json
import posixpath
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Dict, List, Mapping, Optional, Tuple

from deepagents.backends.protocol import ExecuteResponse, FileDownloadResponse, FileUploadResponse
from deepagents.backends.sandbox import BaseSandbox

from .sandbox import DEFAULT_MAX_OUTPUT_BYTES, DEFAULT_TIMEOUT_S, file_error, output_budget, path_error, \
    truncate_output

# Seconds an HTTP call may take beyond the command's own deadline.
HTTP_GRACE_S = 30.0
# Retries of session creation while the servers are full (429/503).
CREATE_ATTEMPTS = 5


class RemoteError(Exception):
    """An error answer of the dispatcher: ``status``, ``code`` (WASMSH_*), ``message``, ``details``."""

    def __init__(self, status: int, code: str, message: str, details: Optional[Dict[str, Any]] = None) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.details = details or {}


class _Client:
    def __init__(self, url: str, token: Optional[str], timeout: float) -> None:
        self.base = url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def call(
        self,
        method: str,
        path: str,
        *,
        query: Optional[Mapping[str, Any]] = None,
        json_body: Any = None,
        body: Optional[bytes] = None,
        timeout: Optional[float] = None,
    ) -> Tuple[int, Dict[str, str], bytes]:
        url = self.base + path
        if query:
            url += "?" + urllib.parse.urlencode({k: v for k, v in query.items() if v is not None})
        headers = {"Accept": "application/json"}
        data = body
        if json_body is not None:
            data = json.dumps(json_body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        elif body is not None:
            headers["Content-Type"] = "application/octet-stream"
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        req = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=timeout or self.timeout) as res:
                return res.status, dict(res.headers), res.read()
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                err = json.loads(raw)["error"]
            except (ValueError, KeyError, TypeError):
                err = {"code": "WASMSH_HTTP", "message": raw.decode("utf-8", "replace")[:500] or e.reason}
            details = {k: v for k, v in err.items() if k not in ("code", "message")}
            if e.headers.get("Retry-After"):
                details["retryAfter"] = e.headers.get("Retry-After")
            raise RemoteError(e.code, err.get("code", "WASMSH_HTTP"), err.get("message", ""), details) from None

    def json(self, method: str, path: str, **kw: Any) -> Any:
        _, _, raw = self.call(method, path, **kw)
        return json.loads(raw) if raw else None


class WasmshRemoteSandbox(BaseSandbox):
    """A sandbox backend for Deep Agents on a remote wasmsh session.

    ``WasmshRemoteSandbox(url, token=..., allowed_hosts=..., env=..., cwd=...,
    files=..., budget=..., idle_timeout_ms=...)`` creates a session on the
    dispatcher at ``url``; ``WasmshRemoteSandbox.attach(url, session_id,
    token=...)`` uses an existing one. ``timeout`` and ``max_output_bytes``
    are as for ``WasmshSandbox``.
    """

    enable_capture_offload = True

    def __init__(
        self,
        url: str,
        *,
        token: Optional[str] = None,
        timeout: int = DEFAULT_TIMEOUT_S,
        max_output_bytes: int = DEFAULT_MAX_OUTPUT_BYTES,
        allowed_hosts: Optional[List[str]] = None,
        env: Optional[Mapping[str, str]] = None,
        cwd: Optional[str] = None,
        files: Optional[Mapping[str, Any]] = None,
        budget: Optional[Mapping[str, Any]] = None,
        python: bool = True,
        idle_timeout_ms: Optional[int] = None,
        http_timeout: float = 60.0,
        _session_id: Optional[str] = None,
    ) -> None:
        if timeout <= 0:
            raise ValueError(f"timeout must be positive, got {timeout}")
        self._timeout = timeout
        self._max_output = int(max_output_bytes)
        self._client = _Client(url, token, http_timeout)
        self._closed = False
        # a session runs one script at a time (the server answers 409 to a
        # second): concurrent execute() calls of this backend take turns
        self._run_lock = threading.Lock()
        if _session_id is not None:
            self._id = _session_id
            self.cwd = self._client.json("GET", f"/v1/sessions/{_q(_session_id)}").get("cwd", "/")
            return
        options: Dict[str, Any] = {"python": bool(python)}
        if allowed_hosts is not None:
            options["allowedHosts"] = list(allowed_hosts)
        if env is not None:
            options["env"] = dict(env)
        if cwd is not None:
            options["cwd"] = cwd
        if files:
            options["files"] = {p: _file_data(v) for p, v in files.items()}
        b = {_camel(k): v for k, v in (budget or {}).items()}
        b.setdefault("outputBytes", output_budget(self._max_output))
        options["budget"] = b
        if idle_timeout_ms is not None:
            options["idleTimeoutMs"] = idle_timeout_ms
        info = self._create(options)
        self._id = info["id"]
        self.cwd = info.get("cwd", "/")

    def _create(self, options: Dict[str, Any]) -> Dict[str, Any]:
        for attempt in range(CREATE_ATTEMPTS):
            try:
                return self._client.json("POST", "/v1/sessions", json_body=options)
            except RemoteError as e:
                if e.status not in (429, 503) or attempt == CREATE_ATTEMPTS - 1:
                    raise
                try:
                    wait = float(e.details.get("retryAfter", 1))
                except ValueError:
                    wait = 1.0
                time.sleep(min(max(wait, 0.1), 10.0))
        raise AssertionError("unreachable")

    @classmethod
    def attach(cls, url: str, session_id: str, *, token: Optional[str] = None, **kw: Any) -> "WasmshRemoteSandbox":
        """A backend on an existing session (``close()`` deletes it)."""
        return cls(url, token=token, _session_id=session_id, **kw)

    @property
    def id(self) -> str:
        return self._id

    def _path(self, suffix: str = "") -> str:
        return f"/v1/sessions/{_q(self._id)}{suffix}"

    # ------------------------------------------------------------ execute

    def execute(self, command: str, *, timeout: Optional[int] = None) -> ExecuteResponse:
        effective = self._timeout if timeout is None else timeout
        if effective <= 0:
            raise ValueError(f"timeout must be positive, got {effective}")
        with self._run_lock:
            r = self._client.json("POST", self._path("/run"),
                                  json_body={"script": command, "timeoutMs": effective * 1000},
                                  timeout=effective + HTTP_GRACE_S)
        output, cut = truncate_output(r.get("output", ""), self._max_output)
        return ExecuteResponse(output=output, exit_code=int(r.get("exitCode", 0)),
                               truncated=cut or bool(r.get("truncated")))

    # ------------------------------------------------------------ files

    def upload_files(self, files: List[Tuple[str, bytes]]) -> List[FileUploadResponse]:
        out: List[FileUploadResponse] = []
        for path, content in files:
            err = path_error(path)
            if err is None:
                try:
                    self._client.call("PUT", self._path("/files"), query={"path": posixpath.normpath(path)},
                                      body=bytes(content))
                except RemoteError as e:
                    err = _remote_file_error(e)
            out.append(FileUploadResponse(path=path, error=err))
        return out

    def download_files(self, paths: List[str]) -> List[FileDownloadResponse]:
        out: List[FileDownloadResponse] = []
        for path in paths:
            err = path_error(path)
            content: Optional[bytes] = None
            if err is None:
                try:
                    _, _, content = self._client.call("GET", self._path("/files"),
                                                      query={"path": posixpath.normpath(path)})
                except RemoteError as e:
                    err = _remote_file_error(e)
            out.append(FileDownloadResponse(path=path, content=content, error=err))
        return out

    # ------------------------------------------------------------ lifecycle

    def close(self) -> None:
        """Deletes the remote session (idempotent)."""
        if self._closed:
            return
        self._closed = True
        try:
            self._client.call("DELETE", self._path())
        except RemoteError as e:
            if e.status not in (404, 410):
                raise

    def __enter__(self) -> "WasmshRemoteSandbox":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<WasmshRemoteSandbox {self._id} at {self._client.base}>"


def _q(s: str) -> str:
    return urllib.parse.quote(s, safe="")


def _camel(k: str) -> str:
    head, *rest = k.split("_")
    return head + "".join(w.title() for w in rest)


def _file_data(v: Any) -> Any:
    if isinstance(v, str):
        return v
    import base64

    return {"base64": base64.b64encode(bytes(v)).decode("ascii")}


def _remote_file_error(e: RemoteError) -> str:
    if e.code == "WASMSH_FS":
        return file_error(str(e.details.get("errno", "EIO")))
    return f"{e.code}: {e.message}"


__all__ = ["WasmshRemoteSandbox", "RemoteError"]
