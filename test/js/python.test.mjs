// python3 inside the shell: options, streams, exit statuses, state per run.
import assert from 'node:assert/strict';

import { createSession } from './helpers.mjs';

describe('python3 in the shell', function () {
  this.timeout(60000);
  let s;
  before(async () => { s = await createSession({ env: { FROM_JS: 'js' } }); });
  after(() => s && s.close());
  const run = (script, o) => s.run(script, o);

  it('runs -c CODE, python and python3.13', async () => {
    const r = await run("python3 -c 'print(42)'; python -c 'print(1+1)'; python3.13 -c 'import sys; print(sys.version_info[:2])'");
    assert.equal(r.stdout, '42\n2\n(3, 13)\n');
    assert.equal(r.exitCode, 0);
  });

  it('-V and --version', async () => {
    assert.equal((await run('python3 -V; python3 --version')).stdout, 'Python 3.13.2\nPython 3.13.2\n');
  });

  it('pipes its stdout into the next stage and reads its stdin from the previous one', async () => {
    const r = await run("python3 -c 'print(1); print(2)' | tac 2>/dev/null || python3 -c 'print(1); print(2)' | sort -r");
    assert.equal(r.stdout, '2\n1\n');
    const r2 = await run("echo data | python3 -c 'import sys; print(sys.stdin.read().upper())'");
    assert.equal(r2.stdout, 'DATA\n\n');
  });

  it('stops at once when the reader is done (BrokenPipeError, status 1, as CPython)', async () => {
    const r = await run("python3 -c 'while True: print(1)' | head -n 2; echo ${PIPESTATUS[@]}", { timeoutMs: 10000 });
    assert.equal(r.stdout, '1\n1\n1 0\n');
    assert.match(r.stderr, /^Traceback \(most recent call last\):\n {2}File "<string>", line 1, in <module>\nBrokenPipeError: \[Errno 32\] Broken pipe\n$/);
    assert.ok(r.durationMs < 5000);
  });

  it('redirects to files, 2>&1 included', async () => {
    const r = await run("printf 'import sys\\nprint(\"o\")\\nprint(\"e\", file=sys.stderr)\\n' > p.py; python3 p.py > out.txt 2>&1; cat out.txt");
    assert.equal(r.stdout, 'e\no\n');
  });

  it('FILE ARGS sets sys.argv; -c sets argv[0] to -c', async () => {
    await run("echo 'import sys; print(sys.argv)' > argv.py");
    const r = await run("python3 argv.py a 'b c'; python3 -c 'import sys; print(sys.argv)' x");
    assert.equal(r.stdout, "['argv.py', 'a', 'b c']\n['-c', 'x']\n");
  });

  it('runs scripts from stdin: heredoc, - and a pipe', async () => {
    const r = await run("python3 <<'EOF'\nimport sys\nprint('heredoc', sys.argv)\nEOF\necho 'print(\"piped\")' | python3 -\necho 'print(3)' | python3");
    assert.equal(r.stdout, "heredoc ['']\npiped\n3\n");
  });

  it('-m runs library modules (runpy)', async () => {
    const r = await run("echo '{\"b\": 1, \"a\": [1, 2]}' | python3 -m json.tool --sort-keys");
    assert.equal(r.stdout, '{\n    "a": [\n        1,\n        2\n    ],\n    "b": 1\n}\n');
    assert.equal(r.exitCode, 0);
    const r2 = await run('python3 -m nosuchmodule; echo $?');
    assert.equal(r2.stdout, '1\n');
    assert.equal(r2.stderr, '/usr/bin/python3: No module named nosuchmodule\n');
  });

  it('-m venv answers clearly', async () => {
    const r = await run('python3 -m venv .venv; echo $?');
    assert.equal(r.stdout, '1\n');
    assert.match(r.stderr, /virtual environments are not available in wasmsh/);
  });

  it('accepts -u -B -E -I -s -S -q -O -W -X and combined flags', async () => {
    const r = await run("python3 -u -B -E -s -S -q -O -W ignore -X utf8 -c 'print(__debug__)'; python3 -I -c 'print(1)'; python3 -BSc 'print(2)'");
    assert.equal(r.stdout, 'False\n1\n2\n');
    assert.equal(r.exitCode, 0);
  });

  it('rejects unknown options as CPython', async () => {
    const r = await run('python3 -Z; echo $?');
    assert.equal(r.stdout, '2\n');
    assert.match(r.stderr, /^Unknown option: -Z\nusage: python3 \[option\]/);
  });

  it('maps SystemExit, exceptions and KeyboardInterrupt to exit statuses', async () => {
    const r = await run(`python3 -c 'import sys; sys.exit("msg")'; echo $?
python3 -c 'raise SystemExit(7)'; echo $?
python3 -c 'import sys; sys.exit()'; echo $?
python3 -c 'import sys; sys.exit(256)'; echo $?
python3 -c '1/0'; echo $?
python3 -c 'raise KeyboardInterrupt'; echo $?`);
    assert.equal(r.stdout, '1\n7\n0\n0\n1\n130\n');
    assert.match(r.stderr, /^msg\nTraceback \(most recent call last\):\n {2}File "<string>", line 1, in <module>\nZeroDivisionError: division by zero\nTraceback/);
    assert.match(r.stderr, /KeyboardInterrupt\n$/);
  });

  it('flushes what a failing program printed before its traceback, as CPython', async () => {
    const r = await run(`python3 -c 'import sys; print(1); sys.stdout.write("partial"); raise ValueError("x")' > out.txt; echo "st=$?"; cat out.txt`);
    assert.equal(r.stdout, 'st=1\n1\npartial');
    assert.match(r.stderr, /ValueError: x\n$/);
    const k = await run(`python3 -c 'print("before"); raise KeyboardInterrupt' | cat`);
    assert.equal(k.stdout, 'before\n');
  });

  it('missing script file: status 2 and CPython\'s message', async () => {
    const r = await run('python3 nope.py; echo $?');
    assert.equal(r.stdout, '2\n');
    assert.equal(r.stderr, "python3: can't open file '/workspace/nope.py': [Errno 2] No such file or directory\n");
  });

  it('sees the shell\'s exported variables and cwd', async () => {
    const r = await run("cd /tmp; NOT_EXPORTED=1; export EXP=yes; python3 -c 'import os; print(os.getcwd(), os.environ.get(\"EXP\"), os.environ.get(\"NOT_EXPORTED\"), os.environ[\"FROM_JS\"])'; V=inline python3 -c 'import os; print(os.environ[\"V\"])'; cd /workspace");
    assert.equal(r.stdout, '/tmp yes None js\ninline\n');
  });

  it('does not change the shell\'s cwd or environment', async () => {
    const r = await run("python3 -c 'import os; os.chdir(\"/\"); os.environ[\"LEAK\"]=\"x\"'; pwd; echo \"[$LEAK]\"");
    assert.equal(r.stdout, '/workspace\n[]\n');
  });

  it('resets globals per run; user modules are read again', async () => {
    await run("echo 'X = 1' > mymod.py");
    const r = await run("python3 -c 'g = 5'; python3 -c 'print(\"g\" in globals())'; python3 -c 'import mymod; print(mymod.X)'; echo 'X = 2' > mymod.py; python3 -c 'import mymod; print(mymod.X)'");
    assert.equal(r.stdout, 'False\n1\n2\n');
  });

  it('runs a #!/usr/bin/env python3 script by path', async () => {
    const r = await run("printf '#!/usr/bin/env python3\\nimport sys\\nprint(\"shebang\", sys.argv[1:])\\n' > tool; chmod +x tool; ./tool a b");
    assert.equal(r.stdout, "shebang ['a', 'b']\n");
  });

  it('stops an endless Python loop at the deadline (status 124)', async () => {
    const r = await run("python3 -c 'while True: pass'; echo after", { timeoutMs: 300 });
    assert.equal(r.exitCode, 124);
    assert.equal(r.stopReason, 'time');
    assert.match(r.stderr, /time limit exceeded/);
    assert.equal(r.stdout, '');
    assert.equal((await run("python3 -c 'print(\"ok\")'")).stdout, 'ok\n');
  });

  it('cancels through the interrupt buffer: KeyboardInterrupt, 130', async () => {
    const buf = new Int32Array(new SharedArrayBuffer(4));
    const t = await createSession({ interruptBuffer: buf });
    // another thread would set it; here the script arms it itself through js
    const r = await t.run("python3 -c 'import sys; print(\"start\", flush=True); [None for _ in range(10**5)]' ; echo $?");
    assert.equal(r.stdout, 'start\n0\n');
    Atomics.store(buf, 0, 2);
    const r2 = await t.run('echo before; while :; do :; done');
    assert.equal(r2.exitCode, 130);
    assert.equal(r2.stopReason, 'cancel');
    t.close();
  });

  it('a stream kept from an earlier run writes to the current command; logging is reset per run', async () => {
    // (builtins are put back after each run, as in a new process: a library module keeps it)
    await run("python3 -c 'import logging, sys; logging.basicConfig(level=logging.DEBUG); logging._kept = sys.stdout'");
    const r = await run("python3 -c 'import logging; logging._kept.write(\"late\\n\"); logging._kept.flush(); logging.debug(\"hidden\")' | cat");
    assert.equal(r.stdout, 'late\n');
    assert.equal(r.stderr, '');
    await run("python3 -c 'import logging; del logging._kept'");
  });

  it('output of python3 and the shell interleaves in order', async () => {
    const r = await run("echo a; python3 -c 'print(\"b\")'; echo c");
    assert.equal(r.output, 'a\nb\nc\n');
  });

  it('keeps Python-level state the user chose (sys attributes, files)', async () => {
    const r = await run("python3 -c 'open(\"/tmp/state.txt\", \"w\").write(\"kept\")'; cat /tmp/state.txt");
    assert.equal(r.stdout, 'kept');
  });
});
