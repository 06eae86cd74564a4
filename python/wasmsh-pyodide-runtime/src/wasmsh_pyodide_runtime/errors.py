"""The errors of wasmsh_pyodide_runtime: every one is a WasmshError with a
stable ``code`` (the same codes as the JS API, docs/js-api.md)."""

from __future__ import annotations

from typing import Any, Dict, Optional


class WasmshError(Exception):
    """Base class: ``code`` is a stable string such as ``"WASMSH_FS"``."""

    def __init__(self, message: str, code: str = "WASMSH_ERROR") -> None:
        super().__init__(message)
        self.code = code


class OptionsError(WasmshError, ValueError):
    """An option of Session() or run() is invalid."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "WASMSH_BAD_OPTION")


class SessionClosedError(WasmshError):
    """The session was closed (or its host went away): make a new one."""

    def __init__(self, message: str = "the session is closed: create a new one") -> None:
        super().__init__(message, "WASMSH_SESSION_CLOSED")


class SessionBusyError(WasmshError):
    """A run (or py_eval) of the same session is already in progress."""

    def __init__(self, message: str = "the session is already running a script") -> None:
        super().__init__(message, "WASMSH_SESSION_BUSY")


class FsError(WasmshError, OSError):
    """A file operation failed. ``errno_name`` is the POSIX name (ENOENT, EISDIR, ...)."""

    def __init__(self, message: str, op: str, path: str, errno_name: str) -> None:
        WasmshError.__init__(self, message, "WASMSH_FS")
        self.op = op
        self.path = path
        self.errno_name = errno_name

    def __str__(self) -> str:
        return self.args[0] if self.args else ""


class HostError(WasmshError):
    """The Node session host could not be started, or stopped answering."""

    def __init__(self, message: str, code: str = "WASMSH_HOST") -> None:
        super().__init__(message, code)


class RuntimeNotFoundError(HostError):
    """Node (20 or later) or the bundled runtime files were not found."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "WASMSH_RUNTIME_LOAD")


def from_wire(error: Optional[Dict[str, Any]]) -> WasmshError:
    """The exception for an error answer of the session host."""
    error = error or {}
    code = error.get("code") or "WASMSH_ERROR"
    message = error.get("message") or "unknown error"
    if code == "WASMSH_FS":
        return FsError(message, error.get("op", ""), error.get("path", ""), error.get("errno", "EIO"))
    if code == "WASMSH_BAD_OPTION":
        return OptionsError(message)
    if code == "WASMSH_SESSION_CLOSED":
        return SessionClosedError(message)
    if code == "WASMSH_SESSION_BUSY":
        return SessionBusyError(message)
    if code == "WASMSH_RUNTIME_LOAD":
        return RuntimeNotFoundError(message)
    return WasmshError(message, code)
