// repl.mjs - the Python side of a session host's persistent REPL (py_eval).
//
// REPL_SOURCE, run once in a session's Pyodide, evaluates to a function that
// makes `evaluate(code, call_tool, tool_names_json, reset, set_active, shell_running)`: an async function
// that runs `code` with top-level await in a globals dict kept across calls,
// with `tools` bound to an object whose attributes call the client's tools
// (`await tools.NAME(**kwargs)`, through call_tool, a JS function returning a
// promise of a JSON answer). It returns JSON: {status, output, value, error}.
// The code runs in the session's own interpreter: it sees the session's
// files and nothing of the client's process. set_active(flag) tells the
// host's deadline check whether the user's code is running: it answers SIGINT
// only then (and at most every 100 ms, so that code catching KeyboardInterrupt
// is stopped again while this module's own clean-up always completes).
export const REPL_SOURCE = String.raw`
def _wasmsh_make_repl():
    import io
    import json
    import signal
    import sys
    import traceback
    from pyodide.code import eval_code_async

    class ToolError(Exception):
        """A tool called from py_eval failed (its message says why)."""

    class ToolBudgetExceeded(ToolError):
        """The evaluation used up its tool-call budget (count or time)."""

    for cls in (ToolError, ToolBudgetExceeded):
        cls.__module__ = "builtins"
        cls.__qualname__ = cls.__name__

    class Tools:
        """The tools this evaluation may call: await tools.NAME(**kwargs)."""

        def __init__(self, call, names):
            self._call = call
            self._names = list(names)

        def __dir__(self):
            return list(self._names)

        def __repr__(self):
            return "<tools: " + ", ".join(self._names) + ">"

        def __getattr__(self, name):
            if name.startswith("_"):
                raise AttributeError(name)
            if name not in self._names:
                raise AttributeError(
                    "no tool named %r (tools: %s)" % (name, ", ".join(self._names) or "none"))
            call = self._call

            async def tool(*args, **kwargs):
                if args:
                    if len(args) == 1 and isinstance(args[0], dict) and not kwargs:
                        kwargs = dict(args[0])
                    elif len(args) == 1 and not kwargs:
                        kwargs = {"__input__": args[0]}
                    else:
                        raise TypeError(
                            "tools.%s takes keyword arguments (or one dict)" % name)
                answer = json.loads(await call(name, json.dumps(kwargs, default=str)))
                if answer.get("ok"):
                    return answer.get("value")
                cls = ToolBudgetExceeded if answer.get("kind") == "budget" else ToolError
                raise cls("%s: %s" % (name, answer.get("error")))

            tool.__name__ = name
            return tool


    state = {"globals": None}

    def make_sigint_handler(shell_running):
        # The host's check answers SIGINT while the evaluation is over its
        # time. Raise it only where the user's code (or a python3 command of
        # a shell run made by a tool) is on the stack: between two steps of
        # the evaluation, Pyodide's event loop is running, and asyncio lets a
        # KeyboardInterrupt out of its task steps. There it waits for the
        # next check (100 ms later).
        def on_sigint(signum, frame):
            if shell_running():
                raise KeyboardInterrupt
            f = frame
            while f is not None:
                if f.f_code.co_filename == "<py_eval>":
                    raise KeyboardInterrupt
                f = f.f_back
        return on_sigint

    def fresh_globals():
        g = {"__name__": "__main__", "__builtins__": __builtins__}
        g["ToolError"] = ToolError
        g["ToolBudgetExceeded"] = ToolBudgetExceeded
        return g

    def clean_traceback(exc):
        # drop the frames of this module and of Pyodide's evaluation machinery
        te = traceback.TracebackException.from_exception(exc)
        def keep(stack):
            return [f for f in stack if not (
                f.filename.startswith("<wasmsh-repl>") or "/_pyodide/" in f.filename
                or "/pyodide/" in f.filename)]
        node = te
        while node is not None:
            node.stack = traceback.StackSummary.from_list(keep(node.stack))
            node = node.__cause__ or node.__context__
        return "".join(te.format())

    async def evaluate(code, call_tool, tool_names_json, reset, set_active, shell_running):
        if reset or state["globals"] is None:
            state["globals"] = fresh_globals()
        g = state["globals"]
        g["tools"] = Tools(call_tool, json.loads(tool_names_json))
        buf = io.StringIO()
        saved = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = buf
        status, value, error = "ok", None, None
        old_handler = signal.signal(signal.SIGINT, make_sigint_handler(shell_running))
        try:
            set_active(True)
            try:
                result = await eval_code_async(code, g, filename="<py_eval>")
            finally:
                set_active(False)
            if result is not None:
                g["_"] = result
                try:
                    value = repr(result)
                except Exception as e:
                    value = "<unrepresentable %s: %s>" % (type(result).__name__, e)
        except KeyboardInterrupt:
            status, error = "interrupted", "KeyboardInterrupt: the evaluation was stopped"
        except SystemExit as e:
            status, error = "error", "SystemExit: %s" % (e.code,)
        except BaseException as e:
            status, error = "error", clean_traceback(e)
        finally:
            set_active(False)
            sys.stdout, sys.stderr = saved
            signal.signal(signal.SIGINT, old_handler)
        return json.dumps({"status": status, "output": buf.getvalue(), "value": value, "error": error})

    return evaluate

_wasmsh_make_repl
`;
