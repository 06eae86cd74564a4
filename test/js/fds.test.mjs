// Python's own fds 0/1/2 (os.write, os.read, /dev/stdout) are the python3
// command's shell fds, as they are for a real python3 in a pipeline.
import assert from 'node:assert/strict';

import { createSession } from './helpers.mjs';

describe('python3: os-level fds 0/1/2 are the command\'s fds', function () {
  this.timeout(60000);
  let s;
  before(async () => { s = await createSession(); });
  after(() => s && s.close());
  const run = (script, o) => s.run(script, o);

  it('os.write(1, ...) goes into the pipeline', async () => {
    assert.equal((await run(`python3 -c 'import os; os.write(1, b"x")' | wc -c`)).stdout, '1\n');
    const r = await run(`python3 -c 'import os; os.write(1, b"a\\n"); os.write(2, b"e\\n")' 2>err.txt | tr a A; cat err.txt`);
    assert.equal(r.stdout, 'A\ne\n');
  });

  it('keeps CPython\'s buffering order: a piped print is flushed after os.write', async () => {
    const r = await run(`python3 -c 'import os; print("a"); os.write(1, b"b\\n")' | cat`);
    assert.equal(r.stdout, 'b\na\n');
    const u = await run(`python3 -u -c 'import os; print("a"); os.write(1, b"b\\n")' | cat`);
    assert.equal(u.stdout, 'a\nb\n');
  });

  it('os.write to a redirected fd writes the file; fileno() is the fd', async () => {
    const r = await run(`python3 -c 'import os, sys; os.write(sys.stdout.fileno(), b"f\\n"); print(sys.stdin.fileno(), sys.stdout.fileno(), sys.stderr.fileno(), os.isatty(1))' > out.txt; cat out.txt`);
    assert.equal(r.stdout, 'f\n0 1 2 False\n');
  });

  it('os.read(0, n) reads the command\'s stdin', async () => {
    const r = await run(`printf 'hello world' | python3 -c 'import os; print(os.read(0, 5), os.read(0, 100), os.read(0, 10))'`);
    assert.equal(r.stdout, "b'hello' b' world' b''\n");
  });

  it('/dev/stdout and /dev/stderr opened by name are the command\'s fds too', async () => {
    const r = await run(`python3 -c 'print("dev", file=open("/dev/stdout", "w")); print("err", file=open("/dev/stderr", "w"))' 2>&1 | tr a-z A-Z`);
    assert.equal(r.stdout, 'DEV\nERR\n');
  });

  it('a closed or dup2\'d fd is given back after the run', async () => {
    const r = await run(`python3 -c 'import os; os.dup2(2, 1); os.write(1, b"to-err\\n")' 2>/dev/null; python3 -c 'import os; os.close(1)'; python3 -c 'import os; os.write(1, b"ok\\n")'`);
    assert.equal(r.stdout, 'ok\n');
    assert.equal(r.stderr, '');
  });

  it('a write to a finished reader raises BrokenPipeError', async () => {
    const r = await run(`python3 -c '
import os
try:
    while True: os.write(1, b"y\\n")
except BrokenPipeError:
    os.write(2, b"broken\\n")' | head -n 2`);
    assert.equal(r.stdout, 'y\ny\n');
    assert.equal(r.stderr, 'broken\n');
  });
});

describe('python3: standard streams reused between runs stay clean', function () {
  this.timeout(60000);
  let s;
  before(async () => { s = await createSession(); });
  after(() => s && s.close());

  it('a closed or reconfigured stream is replaced; unread stdin and unflushed output do not leak', async () => {
    const r = await s.run([
      "python3 -c 'import sys; sys.stdout.close()'",
      "python3 -c 'import sys; print(\"after close\", sys.stdout.errors)'",
      "python3 -c 'import sys; sys.stdout.reconfigure(errors=\"strict\", line_buffering=True)'",
      "python3 -c 'import sys; print(sys.stdout.errors, sys.stdout.line_buffering)'",
      "printf 'a\\nb\\n' | python3 -c 'import sys; print(repr(sys.stdin.readline()))'",
      "echo c | python3 -c 'import sys; print(repr(sys.stdin.read()))'",
      "python3 -c 'print(\"x\" * 100000)' | head -c 1; echo",
      "python3 -c 'print(\"fresh\")'",
    ].join('; '));
    assert.equal(r.stdout, "after close surrogateescape\nsurrogateescape False\n'a\\n'\n'c\\n'\nx\nfresh\n");
  });
});
