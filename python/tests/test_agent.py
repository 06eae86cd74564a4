"""An end-to-end Deep Agents run on WasmshSandbox, driven by a scripted chat
model (no LLM) that calls every file tool, execute, and py_eval with a tool
called from the code; and the same on WasmshFilesystemBackend (no execute)."""

from __future__ import annotations

import pytest
from deepagents import create_deep_agent
from langchain_core.messages import AIMessage, ToolMessage
from langchain_core.tools import tool

from langchain_wasmsh import WasmshFilesystemBackend, WasmshInterpreterMiddleware, WasmshSandbox
from scripted_model import ScriptedChatModel, call, tool_calls


@tool
def word_count(text: str) -> int:
    """Count the words of a text."""
    return len(text.split())


def tool_results(result):
    return {m.name: m.content for m in result["messages"] if isinstance(m, ToolMessage)}


def test_deep_agent_on_wasmsh_sandbox(host):
    sandbox = WasmshSandbox(host=host)
    interp = WasmshInterpreterMiddleware(sandbox=sandbox, tools=[word_count])
    steps = [
        tool_calls(call("write_file", file_path="/workspace/notes.txt", content="beta\nalpha\ngamma\n")),
        tool_calls(call("ls", path="/workspace")),
        tool_calls(call("read_file", file_path="/workspace/notes.txt")),
        tool_calls(call("edit_file", file_path="/workspace/notes.txt", old_string="beta", new_string="delta")),
        tool_calls(call("grep", pattern="delta", path="/workspace", output_mode="content")),
        tool_calls(call("glob", pattern="*.txt", path="/workspace")),
        tool_calls(call("execute", command="sort /workspace/notes.txt | tr a-z A-Z; echo \"rc=$?\"")),
        tool_calls(call("py_eval", code=(
            "lines = open('/workspace/notes.txt').read().splitlines()\n"
            "counts = [await tools.word_count(text=l * 3) for l in lines]\n"
            "print(sorted(lines))\n"
            "sum(counts)"))),
        tool_calls(call("py_eval", code="len(lines)")),
        AIMessage(content="All done."),
    ]
    model = ScriptedChatModel(steps=steps)
    agent = create_deep_agent(model=model, backend=sandbox, middleware=[interp])
    try:
        result = agent.invoke({"messages": [{"role": "user", "content": "tidy the notes"}]},
                              {"recursion_limit": 60})
        msgs = [m for m in result["messages"] if isinstance(m, ToolMessage)]
        by_name = {}
        for m in msgs:
            by_name.setdefault(m.name, []).append(m.content)
        assert result["messages"][-1].content == "All done."
        assert {"ls", "read_file", "write_file", "edit_file", "grep", "glob", "execute", "py_eval"} <= set(
            model.bound_tools)
        assert "notes.txt" in by_name["ls"][0]
        assert "beta" in by_name["read_file"][0] and "gamma" in by_name["read_file"][0]
        assert "notes.txt" in by_name["write_file"][0]
        assert "notes.txt" in by_name["glob"][0]
        assert "delta" in by_name["grep"][0]
        assert "ALPHA\nDELTA\nGAMMA\nrc=0" in by_name["execute"][0]
        assert "succeeded" in by_name["execute"][0] or "exit code 0" in by_name["execute"][0]
        assert "['alpha', 'delta', 'gamma']" in by_name["py_eval"][0]
        assert "Out: 3" in by_name["py_eval"][0] and "[3 tool calls]" in by_name["py_eval"][0]
        assert by_name["py_eval"][1] == "Out: 3"  # the REPL kept `lines`
        assert sandbox.session.read_text("/workspace/notes.txt") == "delta\nalpha\ngamma\n"
        assert "py_eval" in model.seen[0][0].content  # the middleware's system prompt
    finally:
        sandbox.close()


def test_deep_agent_async_with_py_eval(host):
    import asyncio

    sandbox = WasmshSandbox(host=host)
    interp = WasmshInterpreterMiddleware(sandbox=sandbox, tools=[word_count])
    model = ScriptedChatModel(steps=[
        tool_calls(call("py_eval", code="await tools.word_count(text='a b c d')")),
        tool_calls(call("execute", command="echo async-ok")),
        AIMessage(content="ok"),
    ])
    agent = create_deep_agent(model=model, backend=sandbox, middleware=[interp])
    try:
        result = asyncio.run(agent.ainvoke({"messages": [{"role": "user", "content": "go"}]}))
        res = tool_results(result)
        assert res["py_eval"].startswith("Out: 4")
        assert "async-ok" in res["execute"]
    finally:
        sandbox.close()


def test_filesystem_backend_has_no_execute(host):
    backend = WasmshFilesystemBackend(sandbox=WasmshSandbox(host=host))
    model = ScriptedChatModel(steps=[
        tool_calls(call("write_file", file_path="/workspace/a.md", content="# Title\nbody\n")),
        tool_calls(call("grep", pattern="Title", path="/workspace")),
        tool_calls(call("read_file", file_path="/workspace/a.md")),
        AIMessage(content="fine"),
    ])
    agent = create_deep_agent(model=model, backend=backend)
    try:
        result = agent.invoke({"messages": [{"role": "user", "content": "write"}]})
        res = tool_results(result)
        assert "execute" not in model.bound_tools and "ls" in model.bound_tools
        assert "a.md" in res["grep"] and "# Title" in res["read_file"]
        assert backend.download_files(["/workspace/a.md"])[0].content == b"# Title\nbody\n"
        assert backend.ls("/workspace").entries[0]["path"] == "/workspace/a.md"
    finally:
        backend.sandbox.close()
