"""wasmsh-pyodide-runtime: the wasmsh shell (bash-compatible, its own GNU-style
utilities, python3 and pip) running as WebAssembly inside Pyodide, driven from
any Python 3.10+ through a Node.js session host bundled in this package.

    from wasmsh_pyodide_runtime import Session

    with Session() as s:
        print(s.run("echo hi | tr a-z A-Z").stdout)   # HI

See docs/python-api.md in the wasmsh repository for the whole API.
"""

from .errors import (
    FsError,
    HostError,
    OptionsError,
    RuntimeNotFoundError,
    SessionBusyError,
    SessionClosedError,
    WasmshError,
)
from .host import Host, assets_dir, find_node
from .session import DirEntry, EvalResult, FileStat, RunResult, Session, ToolCall, ToolCallError

__version__ = "0.1.0"

__all__ = [
    "Session", "Host", "RunResult", "DirEntry", "FileStat", "EvalResult", "ToolCall", "ToolCallError",
    "WasmshError", "OptionsError", "SessionClosedError", "SessionBusyError", "FsError", "HostError",
    "RuntimeNotFoundError", "assets_dir", "find_node", "__version__",
]
