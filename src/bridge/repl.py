"""repl.py - the persistent Python REPL of py_eval (embedded as _wasmsh_repl).

A py_eval is a series of python3 commands of the session's own shell, each
one step of the evaluation:

    /usr/bin/python3 -c 'import _wasmsh_repl; _wasmsh_repl.step()' "$?"

with a request on stdin: {"op": "start", "code", "tools", "reset"} or
{"op": "resume", "answers": [{"call", "ok", "value" | "error", "kind"}]}.
So the code of a py_eval runs exactly where a python3 command runs: inside
the containment layers (the audit hook, membrane.py, js_guard.mjs), under the
run's deadline and budgets, in the shell's cwd with its environment.

The code may `await tools.NAME(**kwargs)`: a tool call is a future of this
module's event loop. A step runs the loop until the evaluation is done or
waits only for tool calls; it then prints the calls it wants answered and
ends, and the host runs the next step (resume) with the answers. Between two
steps the shell is free: a tool may run commands in the same session.

What the code prints (stdout and stderr) is the step's stdout; the step ends
with one trailer line, MARKER + JSON:
    {"state": "waiting", "calls": [{"call", "name", "args"}], "wakeAfterMs"}
    {"state": "done", "status": "ok" | "error" | "interrupted", "value", "error"}
The step exits with the status it was given, so that `$?` of the shell is
what it was before the py_eval.
"""

import ast
import json
import sys

MARKER = "\x00wasmsh-py-eval\x00"
FILENAME = "<py_eval>"
VALUE_NAME = "__wasmsh_py_eval_value__"


class ToolError(Exception):
    """A tool called from py_eval failed (its message says why)."""


class ToolBudgetExceeded(ToolError):
    """The evaluation used up its tool-call budget (count or time)."""


for _cls in (ToolError, ToolBudgetExceeded):
    _cls.__module__ = "builtins"
    _cls.__qualname__ = _cls.__name__


class Evaluation:
    """One py_eval in progress: its event loop, its task and its tool calls."""

    def __init__(self, loop, task):
        self.loop = loop
        self.task = task
        self.calls = {}    # call id -> future, waiting for an answer
        self.unsent = []   # calls made since the last step ended
        self.next_call = 1


STATE = {"globals": None, "evaluation": None}


class Tools:
    """The tools this evaluation may call: await tools.NAME(**kwargs)."""

    def __init__(self, names):
        self._names = list(names)

    def __dir__(self):
        return list(self._names)

    def __repr__(self):
        return "<tools: " + ", ".join(self._names) + ">"

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in self._names:
            raise AttributeError("no tool named %r (tools: %s)" % (name, ", ".join(self._names) or "none"))

        async def tool(*args, **kwargs):
            answer = await request_tool(name, tool_kwargs(name, args, kwargs))
            if answer.get("ok"):
                return answer.get("value")
            cls = ToolBudgetExceeded if answer.get("kind") == "budget" else ToolError
            raise cls("%s: %s" % (name, answer.get("error")))

        tool.__name__ = name
        return tool


def tool_kwargs(name, args, kwargs):
    if not args:
        return kwargs
    if len(args) == 1 and isinstance(args[0], dict) and not kwargs:
        return dict(args[0])
    if len(args) == 1 and not kwargs:
        return {"__input__": args[0]}
    raise TypeError("tools.%s takes keyword arguments (or one dict)" % name)


def request_tool(name, kwargs):
    """A future of the evaluation's loop, answered by a later step."""
    ev = STATE["evaluation"]
    args = json.loads(json.dumps(kwargs, default=str))
    call = ev.next_call
    ev.next_call += 1
    fut = ev.loop.create_future()
    ev.calls[call] = fut
    ev.unsent.append({"call": call, "name": name, "args": args})
    return fut


# ---------------------------------------------------------------- evaluating

def fresh_globals():
    return {"__name__": "__main__", "__builtins__": __builtins__,
            "ToolError": ToolError, "ToolBudgetExceeded": ToolBudgetExceeded}


def compile_cell(code):
    """The code object of a cell; its last expression (unless the code ends
    with `;`) is assigned to VALUE_NAME, as an interactive interpreter shows it."""
    tree = ast.parse(code, FILENAME, "exec")
    if tree.body and isinstance(tree.body[-1], ast.Expr) and not code.rstrip().endswith(";"):
        last = tree.body[-1]
        assign = ast.Assign(targets=[ast.Name(VALUE_NAME, ast.Store())], value=last.value)
        tree.body[-1] = ast.copy_location(assign, last)
        ast.fix_missing_locations(tree)
    return compile(tree, FILENAME, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True)


async def run_cell(code, g):
    """Runs a cell in the globals g; returns the repr of its value or None."""
    import inspect
    g.pop(VALUE_NAME, None)
    cell = compile_cell(code)
    result = eval(cell, g)
    if inspect.iscoroutine(result):
        await result
    if VALUE_NAME not in g:
        return None
    value = g.pop(VALUE_NAME)
    if value is None:
        return None
    g["_"] = value
    try:
        return repr(value)
    except Exception as e:
        return "<unrepresentable %s: %s>" % (type(value).__name__, e)


def internal_frame(filename):
    """The embedded modules (this one, the driver) and asyncio's task machinery."""
    return filename.startswith("<") and filename != FILENAME or "/asyncio/" in filename


def clean_traceback(exc):
    """The traceback of the user's code only."""
    import traceback
    te = traceback.TracebackException.from_exception(exc)
    node, seen = te, set()
    while node is not None and id(node) not in seen:
        seen.add(id(node))
        node.stack = traceback.StackSummary.from_list(
            [f for f in node.stack if not internal_frame(f.filename)])
        node = node.__cause__ or node.__context__
    return "".join(te.format())


def finished(status, value=None, error=None):
    """The trailer of an evaluation that is over."""
    return {"state": "done", "status": status, "value": value, "error": error}


def ended_by(exc):
    """The trailer of an evaluation an exception ended."""
    if isinstance(exc, KeyboardInterrupt):
        return finished("interrupted", error="KeyboardInterrupt: the evaluation was stopped")
    if isinstance(exc, SystemExit):
        return finished("error", error="SystemExit: %s" % (exc.code,))
    return finished("error", error=clean_traceback(exc))


def outcome(task):
    """The trailer of a finished evaluation."""
    try:
        return finished("ok", value=task.result())
    except BaseException as e:
        return ended_by(e)


# ---------------------------------------------------------------- the loop

def new_loop():
    """A loop that only runs callbacks and timers (the driver's): tool calls
    are answered between steps, not by the loop."""
    return sys.modules["_wasmsh_driver"].new_sync_loop()


def drive(ev):
    """Runs the evaluation's loop until it is done or waits for tool calls
    only. Uses BaseEventLoop._run_once (CPython 3.13, the one interpreter
    this runs in): the step must return to the host while the loop waits."""
    loop = ev.loop
    with running(loop):
        while not ev.task.done():
            if loop._ready or (loop._scheduled and loop._scheduled[0].when() <= loop.time()):
                loop._run_once()
            elif ev.unsent or ev.calls:
                wake = max(0.0, (loop._scheduled[0].when() - loop.time()) * 1000.0) if loop._scheduled else None
                calls, ev.unsent = ev.unsent, []
                return {"state": "waiting", "calls": calls, "wakeAfterMs": wake}
            elif loop._scheduled:
                loop._run_once()  # sleeps until the next timer
            else:
                return finished("error", error="RuntimeError: the code awaits something that can never "
                                "complete (in py_eval only tools.NAME() calls and timers complete)\n")
    return outcome(ev.task)


class running:
    """The loop as asyncio's running loop for a while (get_running_loop())."""

    def __init__(self, loop):
        self.loop = loop

    def __enter__(self):
        import asyncio
        self.old = asyncio.events._get_running_loop()
        asyncio.events._set_running_loop(self.loop)

    def __exit__(self, *exc):
        import asyncio
        asyncio.events._set_running_loop(self.old)


def discard(ev):
    """Ends an evaluation that is over or was left waiting (a timeout, a
    cancel): its task is cancelled, its loop closed."""
    if ev is None:
        return
    try:
        ev.task.cancel()
        with running(ev.loop):
            for _ in range(100):
                if ev.task.done() or not ev.loop._ready:
                    break
                ev.loop._run_once()
        ev.loop.close()
    except BaseException:
        pass  # what is left is garbage


def start(req):
    discard(STATE["evaluation"])
    STATE["evaluation"] = None
    if req.get("reset") or STATE["globals"] is None:
        STATE["globals"] = fresh_globals()
    g = STATE["globals"]
    g["tools"] = Tools(req.get("tools") or [])
    loop = new_loop()
    with running(loop):
        task = loop.create_task(run_cell(req.get("code", ""), g))
    ev = STATE["evaluation"] = Evaluation(loop, task)
    return ev


def resume(req):
    ev = STATE["evaluation"]
    if ev is None:
        raise RuntimeError("no py_eval is waiting for tool answers")
    for a in req.get("answers") or []:
        fut = ev.calls.pop(a.get("call"), None)
        if fut is not None and not fut.done():
            fut.set_result(a)
    return ev


def step():
    """One step of a py_eval (see the module's docstring)."""
    status = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 0
    req = json.loads(sys.stdin.read() or "{}")
    out = sys.stdout
    sys.stderr = out  # the evaluation's output is one stream, as in a terminal
    try:
        trailer = drive(start(req) if req.get("op") == "start" else resume(req))
    except (KeyboardInterrupt, SystemExit) as e:  # a Task lets these two through its loop
        trailer = ended_by(e)
    if trailer["state"] == "done":
        discard(STATE["evaluation"])
        STATE["evaluation"] = None
    out.flush()
    out.write(MARKER + json.dumps(trailer) + "\n")
    out.flush()
    raise SystemExit(status)
