// The session API around the shell: results, budgets, persistence, files, errors.
import assert from 'node:assert/strict';

import {
  createSession, FsError, OptionsError, SessionClosedError,
} from '../../js/session.mjs';

describe('session: shell', function () {
  this.timeout(60000);
  let s;
  before(async () => { s = await createSession({ env: { GREETING: 'hello' } }); });
  after(() => s && s.close());

  it('runs a script and returns stdout, stderr, output, exitCode, durationMs', async () => {
    const r = await s.run('echo out; echo err >&2; echo out2; exit 3');
    assert.equal(r.stdout, 'out\nout2\n');
    assert.equal(r.stderr, 'err\n');
    assert.equal(r.output, 'out\nerr\nout2\n');
    assert.equal(r.exitCode, 3);
    assert.equal(r.truncated, false);
    assert.equal(r.stopReason, null);
    assert.ok(r.durationMs >= 0);
  });

  it('starts in /workspace with the env given, HOME and PATH set', async () => {
    const r = await s.run('pwd; echo "$GREETING" "$HOME"; [ -n "$PATH" ] && echo path');
    assert.equal(r.stdout, '/workspace\nhello /home/user\npath\n');
  });

  it('keeps shell state across runs', async () => {
    await s.run('x=41; f() { echo "f:$1"; }; cd /tmp; set -o pipefail');
    const r = await s.run('echo $((x+1)); f a; pwd; [[ -o pipefail ]] && echo pipefail');
    assert.equal(r.stdout, '42\nf:a\n/tmp\npipefail\n');
    await s.run('cd /workspace');
  });

  it('passes stdin', async () => {
    const r = await s.run('cat; echo end', { stdin: 'a\nb\n' });
    assert.equal(r.stdout, 'a\nb\nend\n');
  });

  it('streams output through onStdout/onStderr as it is produced', async () => {
    const out = [];
    const err = [];
    const r = await s.run('for i in 1 2 3; do echo $i; echo e$i >&2; done',
      { onStdout: (t) => out.push(t), onStderr: (t) => err.push(t) });
    assert.equal(out.join(''), '1\n2\n3\n');
    assert.equal(err.join(''), 'e1\ne2\ne3\n');
    assert.equal(r.stdout, '1\n2\n3\n');
  });

  it('stops at a time budget with status 124 and names it', async () => {
    const r = await s.run('while :; do :; done', { timeoutMs: 100 });
    assert.equal(r.exitCode, 124);
    assert.equal(r.stopReason, 'time');
    assert.match(r.stderr, /time limit exceeded/);
    assert.equal((await s.run('echo still')).stdout, 'still\n');
  });

  it('stops at a step budget', async () => {
    const r = await s.run('i=0; while :; do i=$((i+1)); done', { budget: { steps: 1000 } });
    assert.equal(r.exitCode, 124);
    assert.equal(r.stopReason, 'steps');
  });

  it('keeps the head and the tail of output past the output budget', async () => {
    const r = await s.run('seq 1 2000', { budget: { outputBytes: 1000 } });
    assert.equal(r.truncated, true);
    assert.equal(r.exitCode, 0, 'past the budget the run goes on (up to 16 times the budget)');
    assert.ok(r.stdout.startsWith('1\n2\n3\n'));
    assert.ok(r.stdout.endsWith('1999\n2000\n'));
    assert.match(r.stdout, /\[\.\.\. wasmsh: \d+ bytes of output dropped here \(budget: outputBytes\) \.\.\.\]/);
    assert.equal(r.droppedBytes, 8893 - 1000);
    const y = await s.run('yes', { budget: { outputBytes: 1000 } });
    assert.equal(y.exitCode, 124);
    assert.equal(y.stopReason, 'output');
    assert.ok(y.stdout.startsWith('y\ny\n') && y.stdout.endsWith('y\n'));
  });

  it('ends streaming pipelines at once', async () => {
    const r = await s.run('yes | head -n 3; while :; do echo x; done | head -n 2; echo ${PIPESTATUS[@]}');
    assert.equal(r.stdout, 'y\ny\ny\nx\nx\n141 0\n');
  });

  it('writes, reads, lists, stats, removes files shared with the shell', async () => {
    s.writeFile('/workspace/d/a.txt', 'alpha\n');
    s.writeFile('d/b.bin', new Uint8Array([0, 1, 2]));
    assert.equal((await s.run('cat d/a.txt; wc -c < d/b.bin')).stdout, 'alpha\n3\n');
    await s.run('echo from-shell > d/c.txt; ln -s a.txt d/link');
    assert.equal(s.readFile('d/c.txt', { encoding: 'utf8' }), 'from-shell\n');
    assert.deepEqual([...s.readFile('/workspace/d/b.bin')], [0, 1, 2]);
    const names = s.listDir('d').map((e) => `${e.name}:${e.type}`);
    assert.deepEqual(names, ['a.txt:file', 'b.bin:file', 'c.txt:file', 'link:symlink']);
    const st = s.stat('d/a.txt');
    assert.equal(st.size, 6);
    assert.equal(st.isFile, true);
    assert.equal(s.stat('d').isDirectory, true);
    s.mkdir('d/e/f', { recursive: true });
    assert.equal(s.stat('d/e/f').isDirectory, true);
    s.remove('d', { recursive: true });
    assert.throws(() => s.stat('d'), (e) => e instanceof FsError && e.errno === 'ENOENT');
  });

  it('throws typed errors', async () => {
    assert.throws(() => s.readFile('/nope'), (e) => e instanceof FsError && e.code === 'WASMSH_FS' && e.errno === 'ENOENT');
    await assert.rejects(s.run('echo', { bogus: 1 }), OptionsError);
    await assert.rejects(s.run('echo', { budget: { steps: -1 } }), OptionsError);
    await assert.rejects(createSession({ cwd: 'relative' }), OptionsError);
    await assert.rejects(createSession({ nope: true }), OptionsError);
  });

  it('reset gives a fresh shell and keeps the files', async () => {
    await s.run('y=1; cd /tmp; echo kept > /workspace/keep.txt');
    s.reset();
    const r = await s.run('echo "[$y]"; pwd; cat keep.txt');
    assert.equal(r.stdout, '[]\n/workspace\nkept\n');
  });

  it('initial files and a closed session', async () => {
    const t = await createSession({ files: { 'in.txt': 'given\n', '/etc/conf': 'c\n' }, python: false, cwd: '/w' });
    assert.equal((await t.run('cat in.txt /etc/conf; pwd')).stdout, 'given\nc\n/w\n');
    const r = await t.run('python3 -c 1');
    assert.equal(r.exitCode, 127);
    t.close();
    await assert.rejects(t.run('echo'), SessionClosedError);
  });

  it('isolates sessions from each other', async () => {
    const t = await createSession();
    await s.run('shared=from-s; echo s > /workspace/only-s.txt; export E=s');
    await s.run("python3 -c 'import sys; sys.marker = 1'");
    const r = await t.run('echo "[$shared][$E]"; ls /workspace/only-s.txt 2>/dev/null || echo missing; python3 -c "import sys; print(hasattr(sys, \'marker\'))"');
    assert.equal(r.stdout, '[][]\nmissing\nFalse\n');
    t.close();
  });
});
