"""A chat model that plays a fixed script (no LLM): each call answers the next
step, an AIMessage (usually with tool calls) or a function of the messages so
far that returns one. It records what it was asked, for the assertions."""

from __future__ import annotations

import itertools
from typing import Any, Callable, List, Optional, Sequence, Union

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult

Step = Union[AIMessage, Callable[[List[BaseMessage]], AIMessage]]
_ids = itertools.count(1)


def call(name: str, **args: Any) -> dict:
    """One tool call of an AIMessage."""
    return {"name": name, "args": args, "id": f"call_{next(_ids)}", "type": "tool_call"}


def tool_calls(*calls: dict, text: str = "") -> AIMessage:
    return AIMessage(content=text, tool_calls=list(calls))


class ScriptedChatModel(BaseChatModel):
    steps: List[Any]
    position: int = 0
    seen: List[List[BaseMessage]] = []
    bound_tools: List[str] = []

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> "ScriptedChatModel":
        names = []
        for t in tools:
            names.append(t["name"] if isinstance(t, dict) and "name" in t else getattr(t, "name", str(t)))
        self.bound_tools = names
        return self

    def _generate(self, messages: List[BaseMessage], stop: Optional[List[str]] = None,
                  run_manager: Any = None, **kwargs: Any) -> ChatResult:
        self.seen.append(list(messages))
        if self.position >= len(self.steps):
            msg = AIMessage(content="(script over)")
        else:
            step = self.steps[self.position]
            msg = step(messages) if callable(step) else step
        self.position += 1
        return ChatResult(generations=[ChatGeneration(message=msg)])
