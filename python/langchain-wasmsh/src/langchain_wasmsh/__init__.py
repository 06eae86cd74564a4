"""langchain-wasmsh: LangChain Deep Agents backends on wasmsh, a bash-compatible
shell with GNU-style utilities and python3, sandboxed as WebAssembly.

- ``WasmshSandbox``: an in-process sandbox backend (a wasmsh session in a Node host).
- ``WasmshRemoteSandbox``: the same on a session of a wasmsh dispatcher (HTTP).
- ``WasmshFilesystemBackend``: the sandbox's files as a backend without a shell.
- ``WasmshInterpreterMiddleware``: a persistent Python REPL tool (``py_eval``)
  in the sandbox whose code calls tools with ``await tools.NAME(...)``.
"""

from .filesystem import WasmshFilesystemBackend
from .interpreter import WasmshInterpreterMiddleware
from .remote import RemoteError, WasmshRemoteSandbox
from .sandbox import WasmshSandbox

__version__ = "0.1.0"

__all__ = ["WasmshSandbox", "WasmshRemoteSandbox", "WasmshFilesystemBackend", "WasmshInterpreterMiddleware",
           "RemoteError", "__version__"]
