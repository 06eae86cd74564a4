"""python -m wasmsh_pyodide_runtime -c SCRIPT: runs one script in a fresh
session and exits with its status (a quick check that the runtime works)."""

import argparse
import sys

from . import Session


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m wasmsh_pyodide_runtime",
                                 description="Run a bash script in a fresh wasmsh session.")
    ap.add_argument("-c", dest="script", required=True, help="the script")
    ap.add_argument("--allow-host", action="append", default=[], help="a host curl/wget/pip may reach")
    ap.add_argument("--timeout", type=float, default=None, help="seconds")
    args = ap.parse_args(argv)
    stdin = None if sys.stdin is None or sys.stdin.isatty() else sys.stdin.buffer.read()
    with Session(allowed_hosts=args.allow_host) as s:
        r = s.run(args.script, stdin=stdin, timeout=args.timeout,
                  on_stdout=sys.stdout.write, on_stderr=sys.stderr.write)
    sys.stdout.flush()
    return r.exit_code


if __name__ == "__main__":
    sys.exit(main())
