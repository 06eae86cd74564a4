"""WasmshFilesystemBackend: a wasmsh session's files as a Deep Agents backend
with no ``execute``: the agent gets ls, read_file, write_file, edit_file,
glob and grep on the sandbox's files, and no shell tool.

The file operations are WasmshSandbox's (Deep Agents' BaseSandbox commands
and scripts, run by wasmsh inside the sandbox); only the shell is not
offered to the agent. The same session can be shared with code that does
run commands (``backend.sandbox.execute(...)``), e.g. to prepare the files.
"""

from __future__ import annotations

from typing import Any, List, Optional, Tuple

from deepagents.backends.protocol import BackendProtocol, FileDownloadResponse, FileUploadResponse

from .sandbox import WasmshSandbox


class WasmshFilesystemBackend(BackendProtocol):
    """``WasmshFilesystemBackend()`` makes a sandbox of its own (keyword options as
    ``WasmshSandbox``); ``WasmshFilesystemBackend(sandbox=sb)`` shares one."""

    def __init__(self, sandbox: Optional[WasmshSandbox] = None, **sandbox_options: Any) -> None:
        if sandbox is not None and sandbox_options:
            raise ValueError("pass either sandbox= or sandbox options, not both")
        self._owns = sandbox is None
        self.sandbox = sandbox if sandbox is not None else WasmshSandbox(**sandbox_options)

    @property
    def id(self) -> str:
        return self.sandbox.id

    # every file operation is the sandbox's; there is deliberately no execute
    def ls(self, path: str):
        return self.sandbox.ls(path)

    async def als(self, path: str):
        return await self.sandbox.als(path)

    def read(self, file_path: str, offset: int = 0, limit: int = 2000):
        return self.sandbox.read(file_path, offset=offset, limit=limit)

    async def aread(self, file_path: str, offset: int = 0, limit: int = 2000):
        return await self.sandbox.aread(file_path, offset=offset, limit=limit)

    def write(self, file_path: str, content: str):
        return self.sandbox.write(file_path, content)

    async def awrite(self, file_path: str, content: str):
        return await self.sandbox.awrite(file_path, content)

    def edit(self, file_path: str, old_string: str, new_string: str, replace_all: bool = False):
        return self.sandbox.edit(file_path, old_string, new_string, replace_all=replace_all)

    async def aedit(self, file_path: str, old_string: str, new_string: str, replace_all: bool = False):
        return await self.sandbox.aedit(file_path, old_string, new_string, replace_all=replace_all)

    def delete(self, file_path: str):
        return self.sandbox.delete(file_path)

    async def adelete(self, file_path: str):
        return await self.sandbox.adelete(file_path)

    def grep(self, pattern: str, path: Optional[str] = None, glob: Optional[str] = None, **kw: Any):
        return self.sandbox.grep(pattern, path=path, glob=glob, **kw)

    async def agrep(self, pattern: str, path: Optional[str] = None, glob: Optional[str] = None, **kw: Any):
        return await self.sandbox.agrep(pattern, path=path, glob=glob, **kw)

    def glob(self, pattern: str, path: Optional[str] = None):
        return self.sandbox.glob(pattern, path=path)

    async def aglob(self, pattern: str, path: Optional[str] = None):
        return await self.sandbox.aglob(pattern, path=path)

    def upload_files(self, files: List[Tuple[str, bytes]]) -> List[FileUploadResponse]:
        return self.sandbox.upload_files(files)

    def download_files(self, paths: List[str]) -> List[FileDownloadResponse]:
        return self.sandbox.download_files(paths)

    def close(self) -> None:
        if self._owns:
            self.sandbox.close()

    def __enter__(self) -> "WasmshFilesystemBackend":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
