// inprocess.test.mjs - WasmshSandbox (the shell in this process): the
// standard tests, then what they do not cover (limits, error kinds, lifecycle
// errors, concurrent calls).
import assert from 'node:assert/strict';

import { registerStandardTests } from './standard.mjs';
import { WasmshSandbox, resolvePath } from './helpers.mjs';

const enc = new TextEncoder();

registerStandardTests({
  name: 'WasmshSandbox',
  create: (opts = {}) => WasmshSandbox.create(opts),
  uninitialized: () => new WasmshSandbox(),
  close: (sb) => sb.close(),
  resolvePath,
});

// the base class's own file tools (find, awk, grep through execute()): run
// once the shell has find and awk, skipped until then
registerStandardTests({
  name: 'WasmshSandbox with the base class file tools',
  create: (opts = {}) => WasmshSandbox.create({ ...opts, directFileTools: false }),
  uninitialized: () => new WasmshSandbox({ directFileTools: false }),
  close: (sb) => sb.close(),
  resolvePath,
  requires: ['find', 'awk'],
});

describe('WasmshSandbox beyond the standard tests', () => {
  let sb;
  before(async () => {
    sb = await WasmshSandbox.create({ timeout: 5, maxOutputBytes: 1000, hardOutputBytes: 100000 });
  });
  after(() => sb.close());

  it('cuts output beyond maxOutputBytes and keeps the exit status', async () => {
    const r = await sb.execute("yes abc | head -c 5000; echo; echo done >&2; exit 3");
    assert.equal(r.truncated, true);
    assert.equal(r.exitCode, 3);
    assert.equal(Buffer.byteLength(r.output), 1000);
    assert.ok(r.output.startsWith('abc\nabc\n'));
  });

  it('never splits a UTF-8 character when cutting', async () => {
    // 'a' then 600 two-byte characters: byte 1000 is the second half of one
    const r = await sb.execute("printf a; for i in $(seq 1 600); do printf '\\u00e9'; done");
    assert.equal(r.truncated, true);
    assert.ok(!r.output.includes('\ufffd'));
    assert.equal(r.output, `a${'\u00e9'.repeat(499)}`);
  });

  it('stops a command beyond hardOutputBytes (124)', async () => {
    const r = await sb.execute('yes');
    assert.equal(r.exitCode, 124);
    assert.equal(r.truncated, true);
  });

  it('stops a command at its timeout (124) and stays usable', async () => {
    const t0 = Date.now();
    const r = await sb.execute('while :; do :; done', { timeout: 0.5 });
    assert.equal(r.exitCode, 124);
    assert.match(r.output, /time limit exceeded/);
    assert.ok(Date.now() - t0 < 4000);
    assert.equal((await sb.execute('echo ok')).output, 'ok\n');
  });

  it('applies the sandbox timeout to python3 too', async () => {
    const r = await sb.execute("python3 -c 'while True: pass'", { timeout: 0.5 });
    assert.equal(r.exitCode, 124);
  });

  it('keeps shell state between commands, as a terminal', async () => {
    await sb.execute('cd /tmp && X=42');
    assert.equal((await sb.execute('echo $X $PWD')).output, '42 /tmp\n');
    await sb.execute('cd /workspace');
  });

  it('reports the four error kinds on download, in order, with partial success', async () => {
    await sb.uploadFiles([['/tmp/dl/ok.txt', enc.encode('ok')], ['/tmp/dl/locked.txt', enc.encode('x')]]);
    await sb.execute('chmod 000 /tmp/dl/locked.txt');
    const r = await sb.downloadFiles(['/tmp/dl/ok.txt', '/tmp/dl/missing', '/tmp/dl', 'relative/path', '/tmp/dl/locked.txt', '/tmp/dl/ok.txt/x']);
    assert.deepEqual(r.map((x) => x.error), [null, 'file_not_found', 'is_directory', 'invalid_path', 'permission_denied', 'invalid_path']);
    assert.equal(new TextDecoder().decode(r[0].content), 'ok');
    assert.ok(r.slice(1).every((x) => x.content === null));
    assert.deepEqual(r.map((x) => x.path), ['/tmp/dl/ok.txt', '/tmp/dl/missing', '/tmp/dl', 'relative/path', '/tmp/dl/locked.txt', '/tmp/dl/ok.txt/x']);
  });

  it('reports upload errors per file, in order, with partial success', async () => {
    await sb.execute('mkdir -p /tmp/ul/ro && chmod 555 /tmp/ul/ro');
    const r = await sb.uploadFiles([
      ['/tmp/ul/a.txt', enc.encode('a')], ['/tmp/ul', enc.encode('x')], ['rel.txt', enc.encode('x')],
      ['/tmp/ul/ro/f.txt', enc.encode('x')], ['/tmp/ul/a.txt/b', enc.encode('x')], ['/tmp/ul/nul\0', enc.encode('x')],
      ['/tmp/ul/z.txt', enc.encode('z')],
    ]);
    assert.deepEqual(r.map((x) => x.error), [null, 'is_directory', 'invalid_path', 'permission_denied', 'invalid_path', 'invalid_path', null]);
    assert.equal((await sb.execute('cat /tmp/ul/a.txt /tmp/ul/z.txt')).output, 'az');
  });

  it('round-trips every byte value and a large file exactly', async () => {
    const all = new Uint8Array(256).map((_, i) => i);
    const big = new Uint8Array(10 * 1024 * 1024).map((_, i) => (i * 7) & 0xff);
    assert.deepEqual((await sb.uploadFiles([['/tmp/bytes.bin', all], ['/tmp/big.bin', big]])).map((x) => x.error), [null, null]);
    const [a, b] = await sb.downloadFiles(['/tmp/bytes.bin', '/tmp/big.bin']);
    assert.deepEqual(a.content, all);
    assert.equal(Buffer.compare(Buffer.from(b.content), Buffer.from(big)), 0);
    assert.equal((await sb.execute('wc -c < /tmp/big.bin')).output.trim(), String(big.length));
  });

  it('deletes files and directories (the base class, through execute)', async () => {
    await sb.write('/tmp/del/a/b.txt', 'x');
    assert.deepEqual(await sb.delete('/tmp/del/a'), { path: '/tmp/del/a', filesUpdate: null });
    assert.match((await sb.delete('/tmp/del/a')).error, /not found/);
    assert.equal((await sb.execute('test -e /tmp/del/a; echo $?')).output, '1\n');
  });

  it('reads binary types as bytes (the base class, through downloadFiles)', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]);
    await sb.uploadFiles([['/tmp/img.png', png]]);
    const r = await sb.read('/tmp/img.png');
    assert.equal(r.mimeType, 'image/png');
    assert.deepEqual(r.content, png);
  });

  it('runs concurrent calls one after another', async () => {
    const rs = await Promise.all([
      sb.execute('X=1; echo a'), sb.write('/tmp/conc.txt', 'c'), sb.execute('echo b'),
      sb.read('/tmp/conc.txt'), sb.ls('/tmp'), sb.grep('c', '/tmp/conc.txt'),
    ]);
    assert.equal(rs[0].output, 'a\n');
    assert.equal(rs[2].output, 'b\n');
    assert.match(rs[3].content, /c/);
    assert.deepEqual(rs[5].matches, [{ path: '/tmp/conc.txt', line: 1, text: 'c' }]);
  });

  it('refuses calls before initialize and after close', async () => {
    const t = new WasmshSandbox();
    await assert.rejects(t.execute('echo'), { code: 'NOT_INITIALIZED' });
    await t.initialize();
    await assert.rejects(t.initialize(), { code: 'ALREADY_INITIALIZED' });
    await t.close();
    await assert.rejects(t.execute('echo'), { code: 'NOT_INITIALIZED' });
    await assert.rejects(t.uploadFiles([['/a', enc.encode('')]]), { code: 'NOT_INITIALIZED' });
    await t.close(); // twice is harmless
    const u = new WasmshSandbox();
    const [a, b] = await Promise.allSettled([u.initialize(), u.initialize()]);
    assert.equal(a.status, 'fulfilled');
    assert.equal(b.reason.code, 'ALREADY_INITIALIZED');
    await u.close();
    await u.initialize(); // after close: a new session
    assert.equal((await u.execute('echo again')).output, 'again\n');
    await u.close();
  });

  it('checks its options', () => {
    assert.throws(() => new WasmshSandbox({ timeout: -1 }), TypeError);
    assert.throws(() => new WasmshSandbox({ maxOutputBytes: 0 }), TypeError);
    assert.throws(() => new WasmshSandbox({ initialFiles: 3 }), TypeError);
  });

  it('passes session options through (env, cwd) and takes an existing session', async () => {
    const t = await WasmshSandbox.create({ env: { GREETING: 'hi' }, cwd: '/project' });
    assert.equal((await t.execute('echo $GREETING; pwd')).output, 'hi\n/project\n');
    const t2 = new WasmshSandbox({ session: t.session });
    await t2.initialize();
    assert.equal((await t2.execute('echo $GREETING')).output, 'hi\n');
    await t2.close();
    assert.equal((await t.execute('echo still')).output, 'still\n'); // t2 did not close t's session
    await t.close();
  });

  it('has no network unless allowedHosts says so', async () => {
    const r = await sb.execute('curl https://example.com/');
    assert.notEqual(r.exitCode, 0);
    assert.match(r.output, /not in this session's allowedHosts/);
  });
});
