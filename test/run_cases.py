#!/usr/bin/env python3
"""Differential conformance suite: wasmsh against GNU bash 5.2.

Every case in test/cases/*.cases is run twice, once under the reference shell
(/usr/bin/bash) and once under the shell under test, and the two runs are
compared: stdout byte for byte, the exit status, and stderr as the case asks.

Usage (from the repository root):
    python3 test/run_cases.py                       # build/native/wasmsh
    python3 test/run_cases.py --shell build/wasm/wasmsh.mjs   # the wasm build, through node
    python3 test/run_cases.py --filter params -v    # only cases whose file:name holds "params", with diffs
    python3 test/run_cases.py test/cases/arith.cases # only some files
    python3 test/run_cases.py --self-test           # the suite against bash itself: must be 100%
    python3 test/run_cases.py --check-reference     # cases that are non-deterministic or slow under bash
    python3 test/run_cases.py --check-commands      # cases that may use a utility outside the allowed list

Case file format
----------------
Text before the first header is a comment. A case starts with a line
`#### NAME` and runs until the next `####` line or the end of the file.
Directive lines may follow the header directly:

    #@ stderr: exact|shape|ignore   how stderr is compared (default: shape)
    #@ stdin: TEXT                  stdin for the case; \\n \\t \\\\ \\0 and \\xHH escapes
    #@ skip-wasm: REASON            not run when the shell under test is a .mjs (wasm) build

The rest (leading and trailing blank lines dropped) is the script, passed as
`bash -c BODY`. Case names are unique within a file; a case is named FILE:NAME
("params.cases:cdash_unset_scalar").

How a case runs
---------------
Each shell runs in a fresh empty temporary directory as its cwd, with exactly
the environment {PATH=/usr/bin:/bin, HOME=<that directory>, LC_ALL=C,
TERM=dumb}, stdin from the case's text (an unlinked regular file) or
/dev/null, no other open fds, and a 10 s timeout (the whole process group is
killed). Both shells get argv[0] "bash": the reference is /usr/bin/bash, and
the shell under test is reached through a symlink named `bash` to the binary,
or, for a .mjs build, through an executable wrapper named `bash` that runs
`node /abs/path/wasmsh.mjs "$@"` with node's argv0 set to "bash" (so the
module sees process.argv0 === "bash" and can name itself in messages as bash
does).

stderr comparison modes
-----------------------
exact   the bytes must be equal.
ignore  stderr is not compared.
shape   both sides must have the same number of non-empty lines, and each pair
        of lines must have the same *key*. The key keeps what identifies a
        message and drops its wording:
          - a line holding `line N: ` (bash's "bash: line 3: " or
            "bash: -c: line 3: "): everything up to and including that, plus
            the rest up to and including its first ": " (the command or word
            the message is about), e.g.
              "bash: line 3: foo: command not found"  -> "bash: line 3: foo: "
              "bash: -c: line 1: syntax error near unexpected token `)'"
                                                      -> "bash: -c: line 1: "
          - any other line with a ": ": up to and including the first one,
            e.g. "cat: nosuch: No such file or directory" -> "cat: "
          - a line without ": " (data written to stderr, xtrace lines): the
            whole line.
        So the shell name, the line number and the command name must match
        while the explanation may be worded differently.

Output and exit status
----------------------
One line per failing case ("FILE:NAME: stdout, status (bash 0, shell 1),
stderr (shape)"), with -v the script and unified diffs of what differed, then
the counts per file, then "failed cases: ID..." when any failed, then a
last line exactly "N passed, N failed". A failing case is run once more, by
itself, before it counts: one that passes then is counted as passing and
listed as "flaky (passed when run again): ...". --slowest N lists the N cases
that took longest under the shell under test. The exit
status is 0 when nothing failed, 1 when a case failed, 2 on a usage problem
(unparsable case file, missing shell).

Writing cases
-------------
Keep each case short and about one thing. It must be deterministic under
bash (--check-reference runs every case twice and also flags cases slower than
2 s) and pass --self-test. Print nothing that varies: times, PIDs, $RANDOM,
absolute temp paths ($PWD, $HOME); compare them inside the script instead.
Use only the utilities in ALLOWED_COMMANDS (they exist as wasmsh utilities);
--check-commands reruns bash with only those on PATH to catch others.
"""

from __future__ import annotations

import argparse
import atexit
import concurrent.futures
import difflib
import os
import re
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

TEST_DIR = Path(__file__).resolve().parent
REPO = TEST_DIR.parent
CASES_DIR = TEST_DIR / "cases"
DEFAULT_SHELL = REPO / "build" / "native" / "wasmsh"
REFERENCE = "/usr/bin/bash"

# Reference utilities that are not Debian's: under bash, a case that names
# one of these runs this build instead of /usr/bin/NAME (a directory of
# symlinks is put first on PATH for it). Debian 12's jq is 1.6; the jq 1.8.2
# reference is built by test/ref/install-jq.sh, yq v4 by test/ref/install-yq.sh.
# WASMSH_REF_JQ=/path/to/jq (WASMSH_REF_YQ, ...) overrides an entry.
REFERENCE_TOOLS = {
    "jq": "/opt/wasmsh-ref/jq-1.8.2/bin/jq",
    "yq": "/opt/wasmsh-ref/yq/bin/yq",
}
TIMEOUT = 10.0
SLOW = 2.0
OUTPUT_CAP = 16 << 20  # per stream; a runaway case is killed beyond this
STDERR_MODES = ("exact", "shape", "ignore")

# The external commands cases may use: every utility in wasmsh's table
# (src/utils/registry.c, entries `M(name)`, `P(name)` or `{"name", ...}`), plus
# the shells themselves and the builtins that are also programs (find -exec and
# xargs run those as programs). --check-commands runs bash with only these on PATH.
REGISTRY = REPO / "src" / "utils" / "registry.c"


def registered_utilities() -> list[str]:
    names = {"bash", "sh", "echo", "printf", "pwd", "test", "[", "kill"}
    try:
        text = REGISTRY.read_text()
    except OSError:
        return sorted(names)
    body = text[text.find("table[]"):]
    names.update(re.findall(r'^\s*[MP]\((\w+)\)', body, re.M))
    names.update(re.findall(r'^\s*\{"([^"]+)",', body, re.M))
    return sorted(names)


ALLOWED_COMMANDS = registered_utilities()


# ---------------------------------------------------------------- case files

@dataclass
class Case:
    file: str          # "params.cases"
    name: str
    line: int          # line of the header
    body: str
    stderr: str = "shape"
    stdin: bytes | None = None
    skip_wasm: str | None = None

    @property
    def id(self) -> str:
        return f"{self.file}:{self.name}"


class CaseFileError(Exception):
    pass


def decode_escapes(text: str) -> bytes:
    out = bytearray()
    i = 0
    simple = {"n": b"\n", "t": b"\t", "r": b"\r", "\\": b"\\", "0": b"\0"}
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            if nxt in simple:
                out += simple[nxt]
                i += 2
                continue
            if nxt == "x" and re.fullmatch(r"[0-9a-fA-F]{2}", text[i + 2:i + 4]):
                out.append(int(text[i + 2:i + 4], 16))
                i += 4
                continue
        out += ch.encode()
        i += 1
    return bytes(out)


def parse_case_file(path: Path) -> list[Case]:
    cases: list[Case] = []
    seen: set[str] = set()
    lines = path.read_text(encoding="utf-8").split("\n")
    fname = path.name
    current: Case | None = None
    body: list[str] = []
    in_directives = False

    def finish():
        if current is None:
            return
        while body and body[-1].strip() == "":
            body.pop()
        while body and body[0].strip() == "":
            body.pop(0)
        if not body:
            raise CaseFileError(f"{fname}:{current.line}: case {current.name!r} has no script")
        current.body = "\n".join(body)
        cases.append(current)

    for lineno, line in enumerate(lines, 1):
        if line.startswith("####"):
            finish()
            name = line[4:].strip()
            if not name:
                raise CaseFileError(f"{fname}:{lineno}: case header without a name")
            if name in seen:
                raise CaseFileError(f"{fname}:{lineno}: duplicate case name {name!r}")
            seen.add(name)
            current = Case(fname, name, lineno, "")
            body = []
            in_directives = True
            continue
        if current is None:
            continue  # file header comment
        if in_directives and line.startswith("#@"):
            m = re.fullmatch(r"#@\s*([a-z-]+):\s?(.*)", line)
            if not m:
                raise CaseFileError(f"{fname}:{lineno}: malformed directive {line!r}")
            key, value = m.group(1), m.group(2)
            if key == "stderr":
                if value.strip() not in STDERR_MODES:
                    raise CaseFileError(f"{fname}:{lineno}: stderr mode must be one of {STDERR_MODES}")
                current.stderr = value.strip()
            elif key == "stdin":
                current.stdin = decode_escapes(value)
            elif key == "skip-wasm":
                current.skip_wasm = value.strip() or "unspecified"
            else:
                raise CaseFileError(f"{fname}:{lineno}: unknown directive {key!r}")
            continue
        in_directives = False
        body.append(line)
    finish()
    return cases


def load_cases(files: list[Path], filt: str | None) -> list[Case]:
    cases: list[Case] = []
    for f in files:
        cases.extend(parse_case_file(f))
    if filt:
        cases = [c for c in cases if filt in c.id]
    return cases


# ------------------------------------------------------------------- running

@dataclass
class Result:
    stdout: bytes
    stderr: bytes
    status: int | None     # None: timed out or killed for too much output
    elapsed: float
    note: str = ""         # "timeout" / "output cap"


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


_REF_TOOL_DIR: str | None = None


def reference_tool_dir() -> str:
    """A directory holding `NAME -> reference build` symlinks (made once)."""
    global _REF_TOOL_DIR
    if _REF_TOOL_DIR is None:
        d = tempfile.mkdtemp(prefix="wasmsh-reftools-")
        for name, path in REFERENCE_TOOLS.items():
            path = os.environ.get(f"WASMSH_REF_{name.upper()}", path)
            if os.access(path, os.X_OK):
                os.symlink(path, os.path.join(d, name))
        _REF_TOOL_DIR = d
        atexit.register(shutil.rmtree, d, True)
    return _REF_TOOL_DIR


def reference_path(exe: str, case: Case, env_path: str) -> str:
    """PATH for a run: the reference tools first when bash runs a case naming one."""
    if os.path.realpath(exe) != os.path.realpath(REFERENCE):
        return env_path
    if not any(re.search(rf"\b{re.escape(n)}\b", case.body) for n in REFERENCE_TOOLS):
        return env_path
    return reference_tool_dir() + ":" + env_path


def run_one(exe: str, case: Case, env_path: str = "/usr/bin:/bin") -> Result:
    """Runs case.body under `exe` (argv[0] "bash") in a fresh empty directory."""
    env_path = reference_path(exe, case, env_path)
    with tempfile.TemporaryDirectory(prefix="wasmsh-case-", ignore_cleanup_errors=True) as tmp, \
            tempfile.TemporaryFile() as stdin_file:
        if case.stdin is not None:
            stdin_file.write(case.stdin)
            stdin_file.flush()
            stdin_file.seek(0)
            stdin = stdin_file
        else:
            stdin = subprocess.DEVNULL
        env = {"PATH": env_path, "HOME": tmp, "LC_ALL": "C", "TERM": "dumb"}
        start = time.monotonic()
        proc = subprocess.Popen(
            ["bash", "-c", case.body], executable=exe, cwd=tmp, env=env,
            stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            start_new_session=True, close_fds=True)
        bufs = {proc.stdout: bytearray(), proc.stderr: bytearray()}
        note = ""
        deadline = start + TIMEOUT
        with selectors.DefaultSelector() as sel:
            for stream in bufs:
                sel.register(stream, selectors.EVENT_READ)
            while sel.get_map():
                left = deadline - time.monotonic()
                if left <= 0:
                    note = "timeout"
                    break
                for key, _ in sel.select(timeout=left):
                    chunk = os.read(key.fileobj.fileno(), 65536)
                    if not chunk:
                        sel.unregister(key.fileobj)
                        continue
                    buf = bufs[key.fileobj]
                    buf += chunk
                    if len(buf) > OUTPUT_CAP:
                        note = "output cap"
                        break
                if note:
                    break
        if note:
            _kill_group(proc)
        try:
            status = proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            note = note or "timeout"
            _kill_group(proc)
            proc.wait()
            status = None
        _kill_group(proc)  # stragglers the case left in the background
        elapsed = time.monotonic() - start
        proc.stdout.close()
        proc.stderr.close()
        if note:
            status = None
        return Result(bytes(bufs[proc.stdout]), bytes(bufs[proc.stderr]), status, elapsed, note)


# ----------------------------------------------------------------- comparing

_LINE_N = re.compile(r"line \d+: ")


def stderr_key(line: str) -> str:
    m = _LINE_N.search(line)
    if m:
        head, rest = line[:m.end()], line[m.end():]
        i = rest.find(": ")
        return head + rest[:i + 2] if i >= 0 else head
    i = line.find(": ")
    return line[:i + 2] if i >= 0 else line


def stderr_shape(data: bytes) -> list[str]:
    text = data.decode("latin-1")
    return [stderr_key(l) for l in text.split("\n") if l.strip() != ""]


def stderr_equal(mode: str, a: bytes, b: bytes) -> bool:
    if mode == "ignore":
        return True
    if mode == "exact":
        return a == b
    return stderr_shape(a) == stderr_shape(b)


def differences(case: Case, ref: Result, got: Result) -> list[str]:
    what = []
    if got.note:
        what.append(got.note)
    if ref.note:
        what.append(f"reference {ref.note}")
    if ref.stdout != got.stdout:
        what.append("stdout")
    if ref.status != got.status:
        what.append(f"status (bash {ref.status}, shell {got.status})")
    if not stderr_equal(case.stderr, ref.stderr, got.stderr):
        what.append(f"stderr ({case.stderr})")
    return what


def _show(data: bytes) -> list[str]:
    text = data.decode("utf-8", errors="backslashreplace")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    elif lines:
        lines[-1] += "\\ (no newline at end)"
    return lines


def verbose_report(case: Case, ref: Result, got: Result) -> str:
    out = [f"---- {case.id} (line {case.line})", "script:"]
    out += ["    " + l for l in case.body.split("\n")]
    if case.stdin is not None:
        out.append(f"stdin: {case.stdin!r}")

    def diff(label, a, b):
        d = list(difflib.unified_diff(a, b, "bash", "shell", lineterm="", n=3))
        if d:
            out.append(f"{label}:")
            out.extend("    " + l for l in d)

    if ref.stdout != got.stdout:
        diff("stdout", _show(ref.stdout), _show(got.stdout))
    if ref.status != got.status:
        out.append(f"status: bash {ref.status}, shell {got.status}")
    if not stderr_equal(case.stderr, ref.stderr, got.stderr):
        diff(f"stderr ({case.stderr})", _show(ref.stderr), _show(got.stderr))
        if case.stderr == "shape":
            diff("stderr keys", stderr_shape(ref.stderr), stderr_shape(got.stderr))
    return "\n".join(out)


# ---------------------------------------------------------------- the shells

class ShellUnderTest:
    """A directory holding an executable named `bash` that runs the shell."""

    def __init__(self, spec: str):
        self.is_wasm = spec.endswith(".mjs")
        path = spec if "/" in spec else (shutil.which(spec) or spec)
        path = os.path.abspath(path)
        if not os.path.exists(path):
            raise FileNotFoundError(f"shell under test not found: {path}")
        self.target = path
        self.dir = tempfile.mkdtemp(prefix="wasmsh-shell-")
        self.exe = os.path.join(self.dir, "bash")
        if self.is_wasm:
            node = shutil.which("node") or "/usr/bin/node"
            # exec -a sets node's argv0 (process.argv0) to "bash"; unsetting PWD and
            # OLDPWD keeps the environment as given (SHLVL=0 is re-exported by bash's
            # exec, which is the same as no SHLVL for the shell that starts).
            script = ("#!/usr/bin/bash\n"
                      "unset PWD OLDPWD\n"
                      f"exec -a bash {_sq(node)} {_sq(path)} \"$@\"\n")
            with open(self.exe, "w") as f:
                f.write(script)
            os.chmod(self.exe, 0o755)
        else:
            if not os.access(path, os.X_OK):
                raise FileNotFoundError(f"shell under test is not executable: {path}")
            os.symlink(path, self.exe)

    def close(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def _sq(s: str) -> str:
    return "'" + s.replace("'", "'\\''") + "'"


# ------------------------------------------------------------------- drivers

def pool_map(fn, items, jobs):
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs)) as ex:
        return list(ex.map(fn, items))


def run_suite(cases: list[Case], shell: ShellUnderTest, args) -> int:
    def job(case: Case):
        if shell.is_wasm and case.skip_wasm:
            return case, None, None
        ref = run_one(REFERENCE, case)
        got = run_one(shell.exe, case)
        return case, ref, got

    results = pool_map(job, cases, args.jobs)
    # A case that fails is run once more, alone, before it counts as failing:
    # the suite runs two cases at a time on a shared machine, and a case with
    # a short timeout or a deadline can lose its race with the load. One that
    # passes the second time is reported as flaky, so it stays visible.
    flaky = []
    for i, (case, ref, got) in enumerate(results):
        what = differences(case, ref, got) if ref is not None else None
        if what:
            again = job(case)
            if not differences(case, again[1], again[2]):
                flaky.append(f"{case.id}: {', '.join(what)}")
                results[i] = again
    per_file: dict[str, list[int]] = {}
    failed = passed = skipped = 0
    known = load_known_failures(args.known_failures)
    known_failing = []
    failed_ids = []
    fixed = []
    reports = []
    for case, ref, got in results:
        counts = per_file.setdefault(case.file, [0, 0, 0])
        if ref is None:
            skipped += 1
            counts[2] += 1
            continue
        what = differences(case, ref, got)
        if what and case.id in known:
            # listed as not passing yet: reported, counted as skipped
            known_failing.append(case.id)
            skipped += 1
            counts[2] += 1
            continue
        if not what and case.id in known:
            fixed.append(case.id)
        if what:
            failed += 1
            failed_ids.append(case.id)
            counts[1] += 1
            if args.list_failures:
                print(case.id)
            else:
                print(f"{case.id}: {', '.join(what)}")
            if args.verbose:
                reports.append(verbose_report(case, ref, got))
        else:
            passed += 1
            counts[0] += 1
    if args.list_failures:
        return 1 if failed else 0
    for line in flaky:
        print(f"flaky (passed when run again): {line}")
    if args.slowest:
        timed = sorted((r for r in results if r[2] is not None), key=lambda r: -r[2].elapsed)
        print(f"slowest {args.slowest} under the shell under test:")
        for case, ref, got in timed[:args.slowest]:
            print(f"  {got.elapsed:6.2f} s  {case.id}  (bash {ref.elapsed:.2f} s)")
    if reports:
        print()
        print("\n\n".join(reports))
    print()
    for fname in sorted(per_file):
        p, f, s = per_file[fname]
        extra = f", {s} skipped" if s else ""
        print(f"  {fname}: {p} passed, {f} failed{extra}")
    if known_failing:
        print(f"({len(known_failing)} known failures from {', '.join(args.known_failures)} skipped)")
    if fixed:
        print(f"({len(fixed)} known failures now pass; remove them from the list:)")
        for cid in fixed:
            print(f"  fixed: {cid}")
    if args.write_known_failures:
        ids = sorted(set(known_failing) | {r for r in failed_ids})
        Path(args.write_known_failures).write_text(
            "# Cases that do not pass yet (FILE:NAME). The runner counts them as skipped.\n"
            "# Regenerate: python3 test/run_cases.py --write-known-failures test/cases/known-failures.txt\n"
            + "".join(f"{i}\n" for i in ids))
    if failed_ids:
        print("failed cases: " + " ".join(failed_ids))
    print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
    return 1 if failed else 0


def load_known_failures(paths) -> set:
    out = set()
    for path in paths or []:
        if not os.path.exists(path):
            continue
        for line in Path(path).read_text().splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                out.add(line)
    return out


def check_reference(cases: list[Case], args) -> int:
    """Runs every case under bash twice: reports non-determinism and slowness."""
    def job(case: Case):
        a = run_one(REFERENCE, case)
        b = run_one(REFERENCE, case)
        problems = []
        if a.note or b.note:
            problems.append(a.note or b.note)
        if a.stdout != b.stdout:
            problems.append("stdout differs between runs")
        if a.status != b.status:
            problems.append(f"status differs between runs ({a.status}, {b.status})")
        if case.stderr != "ignore" and a.stderr != b.stderr:
            problems.append("stderr differs between runs")
        slow = max(a.elapsed, b.elapsed)
        if slow > SLOW:
            problems.append(f"slow ({slow:.1f} s)")
        return case, problems, a, b

    bad = 0
    for case, problems, a, b in pool_map(job, cases, args.jobs):
        if problems:
            bad += 1
            print(f"{case.id}: {'; '.join(problems)}")
            if args.verbose:
                print(verbose_report(case, a, b).replace("bash", "run 1").replace("shell", "run 2"))
    print(f"{len(cases)} cases checked, {bad} with problems")
    return 1 if bad else 0


def check_commands(cases: list[Case], args) -> int:
    """Advisory: reruns each case under bash with PATH holding only the allowed
    utilities (paths to that directory are shown as /usr/bin/...) and reports
    the cases whose result changes: they use a command outside the list."""
    bindir = tempfile.mkdtemp(prefix="wasmsh-allowed-")
    try:
        for name in ALLOWED_COMMANDS:
            real = shutil.which(name, path="/usr/bin:/bin")
            if real:
                os.symlink(real, os.path.join(bindir, name))

        def unpath(data: bytes) -> bytes:
            # Paths that name the restricted directory read as the real ones.
            d = bindir.encode()
            return data.replace(d + b"/", b"/usr/bin/").replace(d, b"/usr/bin:/bin")

        def job(case: Case):
            a = run_one(REFERENCE, case)
            b = run_one(REFERENCE, case, env_path=bindir)
            b.stdout, b.stderr = unpath(b.stdout), unpath(b.stderr)
            return case, differences(case, a, b), a, b

        bad = 0
        for case, what, a, b in pool_map(job, cases, args.jobs):
            if what:
                bad += 1
                print(f"{case.id}: changes with only the allowed utilities on PATH: {', '.join(what)}")
                if args.verbose:
                    print(verbose_report(case, a, b))
        print(f"{len(cases)} cases checked, {bad} changed")
        return 1 if bad else 0
    finally:
        shutil.rmtree(bindir, ignore_errors=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="wasmsh differential conformance suite (against bash 5.2)")
    ap.add_argument("files", nargs="*", help="case files (default: test/cases/*.cases)")
    ap.add_argument("--shell", default=str(DEFAULT_SHELL),
                    help="shell under test (default build/native/wasmsh; a path ending in .mjs runs under node)")
    ap.add_argument("--filter", help="only cases whose FILE:NAME contains this substring")
    ap.add_argument("-j", "--jobs", type=int, default=2, help="cases run concurrently (default 2)")
    ap.add_argument("-v", "--verbose", action="store_true", help="show the script and diffs of each failure")
    ap.add_argument("--slowest", type=int, default=0, metavar="N",
                    help="also list the N cases that took longest under the shell under test")
    ap.add_argument("--list-failures", action="store_true", help="print only FILE:NAME of each failing case")
    ap.add_argument("--check-reference", action="store_true",
                    help="run every case under bash twice; report non-deterministic or slow (>2 s) cases")
    ap.add_argument("--check-commands", action="store_true",
                    help="advisory: report cases whose bash result changes with only the allowed utilities on PATH")
    ap.add_argument("--self-test", action="store_true", help="run the suite with --shell /usr/bin/bash")
    ap.add_argument("--known-failures", metavar="FILE", action="append", default=[],
                    help="cases listed in FILE (FILE:NAME per line) that fail are counted as skipped (repeatable)")
    ap.add_argument("--write-known-failures", metavar="FILE",
                    help="write every failing case (plus the still-failing known ones) to FILE")
    args = ap.parse_args(argv)

    files = [Path(f) for f in args.files] or sorted(CASES_DIR.glob("*.cases"))
    try:
        cases = load_cases(files, args.filter)
    except (CaseFileError, OSError) as e:
        print(f"run_cases: {e}", file=sys.stderr)
        return 2
    if not cases:
        print("run_cases: no cases selected", file=sys.stderr)
        return 2
    if not os.access(REFERENCE, os.X_OK):
        print(f"run_cases: reference shell {REFERENCE} is missing", file=sys.stderr)
        return 2

    if args.check_reference:
        return check_reference(cases, args)
    if args.check_commands:
        return check_commands(cases, args)
    if args.self_test:
        args.shell = REFERENCE
    try:
        shell = ShellUnderTest(args.shell)
    except FileNotFoundError as e:
        print(f"run_cases: {e}", file=sys.stderr)
        return 2
    try:
        return run_suite(cases, shell, args)
    finally:
        shell.close()


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # output piped into head and closed early
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
