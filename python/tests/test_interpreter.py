"""WasmshInterpreterMiddleware: the py_eval tool, its tool calls and budgets."""

from __future__ import annotations

import asyncio
import time

import pytest
from langchain_core.tools import tool

from langchain_wasmsh import WasmshInterpreterMiddleware, WasmshSandbox


@tool
def add(a: int, b: int) -> int:
    """Add two numbers."""
    return a + b


@tool
def slow(seconds: float) -> str:
    """Sleep, then answer."""
    time.sleep(seconds)
    return "slept"


@tool
async def aslow(seconds: float) -> str:
    """Sleep asynchronously, then answer."""
    await asyncio.sleep(seconds)
    return "slept"


@tool
def broken() -> str:
    """Always fails."""
    raise ValueError("broken on purpose")


@pytest.fixture
def sandbox(host):
    sb = WasmshSandbox(host=host)
    yield sb
    sb.close()


def make(sandbox, **kw):
    mw = WasmshInterpreterMiddleware(sandbox=sandbox, tools=[add, slow, aslow, broken], **kw)
    return mw, mw.tools[0]


def test_tool_shape_and_prompt(sandbox):
    mw, t = make(sandbox)
    assert t.name == "py_eval"
    assert "tools.add(a, b)" in t.description
    assert "tools.add(a, b)" in mw._prompt and "50 tool calls" in mw._prompt


def test_persistent_and_tools(sandbox):
    mw, t = make(sandbox)
    out = t.invoke({"code": "total = 0\nfor i in range(5):\n    total = await tools.add(a=total, b=i)\ntotal"})
    assert out == "Out: 10\n[5 tool calls]"
    assert t.invoke({"code": "total * 2"}) == "Out: 20"
    assert "NameError" in t.invoke({"code": "total", "reset": True})


def test_tool_errors_are_exceptions_in_the_code(sandbox):
    mw, t = make(sandbox)
    out = t.invoke({"code": "try:\n    await tools.broken()\nexcept ToolError as e:\n    print('caught', e)"})
    assert "caught broken: ValueError: broken on purpose" in out
    out = t.invoke({"code": "await tools.add(a=1)"})  # a missing argument: the tool's validation error
    assert "ToolError" in out and "b" in out


def test_max_tool_calls(sandbox):
    mw, t = make(sandbox, max_tool_calls=3)
    out = t.invoke({"code": (
        "n = 0\n"
        "try:\n"
        "    while True:\n"
        "        await tools.add(a=1, b=1)\n"
        "        n += 1\n"
        "except ToolBudgetExceeded as e:\n"
        "    print('stopped after', n, ':', e)")})
    assert "stopped after 3 : add: tool-call budget of 3 calls per evaluation used up" in out
    # the budget is per evaluation
    assert t.invoke({"code": "await tools.add(a=2, b=2)"}).startswith("Out: 4")


def test_per_call_timeout(sandbox):
    mw, t = make(sandbox, tool_timeout=0.5)
    t0 = time.monotonic()
    out = t.invoke({"code": "await tools.slow(seconds=5)"})
    assert "timed out after 0.5 s" in out and time.monotonic() - t0 < 4


def test_per_call_timeout_async(sandbox):
    mw, t = make(sandbox, tool_timeout=0.5)
    out = asyncio.run(t.ainvoke({"code": "await tools.aslow(seconds=5)"}))
    assert "timed out after 0.5 s" in out
    out = asyncio.run(t.ainvoke({"code": "await tools.add(a=20, b=22)"}))
    assert out.startswith("Out: 42")


def test_total_budget(sandbox):
    mw, t = make(sandbox, eval_timeout=1.0, tool_timeout=10)
    t0 = time.monotonic()
    out = t.invoke({"code": "while True: pass"})
    assert "took longer than 1 s" in out and time.monotonic() - t0 < 8
    # tool time counts against the total too
    out = t.invoke({"code": "for i in range(10):\n    await tools.slow(seconds=0.3)"})
    assert "ToolBudgetExceeded" in out or "timed out" in out or "took longer" in out


def test_output_is_capped(sandbox):
    mw, t = make(sandbox, max_output_chars=100)
    out = t.invoke({"code": "print('x' * 5000)"})
    assert len(out) < 200 and out.endswith("[output truncated at 100 characters]")


def test_sees_the_sandbox_files_and_not_the_host(sandbox):
    mw, t = make(sandbox)
    sandbox.execute("mkdir -p /workspace && echo shared > /workspace/f.txt")
    assert t.invoke({"code": "open('/workspace/f.txt').read()"}) == "Out: 'shared\\n'"
    out = t.invoke({"code": "import os\nos.path.exists('/etc/passwd'), os.path.exists('/usr/bin/bash')"})
    assert out == "Out: (False, False)"


def test_own_session(host):
    mw = WasmshInterpreterMiddleware(session=host.session(), tools=[add])
    try:
        assert mw.tools[0].invoke({"code": "await tools.add(a=1, b=2)"}).startswith("Out: 3")
    finally:
        mw.session.close()


def test_remote_sandbox_has_no_repl():
    class Remote:
        pass

    with pytest.raises(ValueError):
        WasmshInterpreterMiddleware(sandbox=Remote())
