"""The reference backend: a BaseSandbox on the machine's real bash, GNU tools
and python3 (subprocess), files in the machine's filesystem. The conformance
suite runs against it too (under a private temporary root), so that each
expected failure can be seen to be the pinned suite's and not wasmsh's, and
the file-tool script tests compare wasmsh's output with it byte for byte."""

from __future__ import annotations

import os
import subprocess

from deepagents.backends.protocol import ExecuteResponse, FileDownloadResponse, FileUploadResponse
from deepagents.backends.sandbox import BaseSandbox


class BashSandbox(BaseSandbox):
    def __init__(self, cwd: str = "/") -> None:
        self.cwd = cwd

    @property
    def id(self) -> str:
        return "reference-bash"

    def execute(self, command, *, timeout=None):
        try:
            p = subprocess.run(["bash", "-c", command], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               timeout=timeout or 120, cwd=self.cwd, check=False)
        except subprocess.TimeoutExpired as e:
            return ExecuteResponse(output=(e.output or b"").decode("utf-8", "replace"), exit_code=124,
                                   truncated=False)
        return ExecuteResponse(output=p.stdout.decode("utf-8", "replace"), exit_code=p.returncode, truncated=False)

    def upload_files(self, files):
        out = []
        for path, data in files:
            if not path.startswith("/"):
                out.append(FileUploadResponse(path=path, error="invalid_path"))
                continue
            try:
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "wb") as f:
                    f.write(data)
                out.append(FileUploadResponse(path=path, error=None))
            except PermissionError:
                out.append(FileUploadResponse(path=path, error="permission_denied"))
            except IsADirectoryError:
                out.append(FileUploadResponse(path=path, error="is_directory"))
        return out

    def download_files(self, paths):
        out = []
        for p in paths:
            if not p.startswith("/"):
                out.append(FileDownloadResponse(path=p, content=None, error="invalid_path"))
                continue
            try:
                with open(p, "rb") as f:
                    out.append(FileDownloadResponse(path=p, content=f.read(), error=None))
            except FileNotFoundError:
                out.append(FileDownloadResponse(path=p, content=None, error="file_not_found"))
            except IsADirectoryError:
                out.append(FileDownloadResponse(path=p, content=None, error="is_directory"))
            except PermissionError:
                out.append(FileDownloadResponse(path=p, content=None, error="permission_denied"))
        return out
