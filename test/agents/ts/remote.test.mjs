// remote.test.mjs - WasmshRemoteSandbox through createRemoteSession: the
// standard tests and the remote cases (errors, limits, concurrency) against
// the real scalable mode (a dispatcher and a runner of js/scale as local
// processes on loopback, started with test/scale/fleet.mjs), then against
// the fake dispatcher of fake_dispatcher.mjs (the session routes of
// deploy/openapi.yaml served from sessions of this process), which also
// counts requests: how the file tools go over the API.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { registerStandardTests } from './standard.mjs';
import { startFakeDispatcher } from './fake_dispatcher.mjs';
import { WasmshRemoteSandbox, resolvePath } from './helpers.mjs';
import { Fleet, freePort } from '../../scale/fleet.mjs';

const enc = new TextEncoder();

/** The cases every server must pass: standard tests, then errors, limits and concurrency. */
function registerRemoteCases(name, server) {
  const opts = (o = {}) => ({ url: server().url, token: server().token, ...o });

  registerStandardTests({
    name,
    create: (o = {}) => WasmshRemoteSandbox.create(opts(o)),
    uninitialized: () => new WasmshRemoteSandbox(opts()),
    close: (sb) => sb.close(),
    resolvePath,
  });

  describe(`${name} beyond the standard tests`, () => {
    let sb;
    before(async () => {
      sb = await WasmshRemoteSandbox.create(opts({ timeout: 5, maxOutputBytes: 1000, hardOutputBytes: 100000 }));
    });
    after(() => sb.close());

    it('uses the server session id as its id and ends the session at close', async () => {
      const t = await WasmshRemoteSandbox.create(opts());
      assert.equal(t.id, t.session.id);
      const again = await WasmshRemoteSandbox.create(opts({ id: t.id })); // attach to it
      assert.equal((await again.execute('echo attached')).output, 'attached\n');
      await t.close();
      assert.equal(t.isRunning, false);
      await assert.rejects(again.execute('echo'), (e) => e.status === 404);
      await again.close();
    });

    it('fails to initialize with a wrong token', async () => {
      const t = new WasmshRemoteSandbox(opts({ token: 'wrong' }));
      await assert.rejects(t.initialize(), (e) => e.status === 401);
      assert.equal(t.isRunning, false);
    });

    it('cuts output and stops at the timeout as in-process', async () => {
      const r = await sb.execute('yes abc | head -c 5000; exit 3');
      assert.deepEqual([r.truncated, r.exitCode, Buffer.byteLength(r.output)], [true, 3, 1000]);
      const t = await sb.execute('while :; do :; done', { timeout: 0.3 });
      assert.equal(t.exitCode, 124);
      assert.equal((await sb.execute('echo alive')).output, 'alive\n');
    });

    it('reports the error kinds over the API, in order, with partial success', async () => {
      await sb.uploadFiles([['/tmp/dl/ok.txt', enc.encode('ok')], ['/tmp/dl/locked.txt', enc.encode('x')]]);
      await sb.execute('chmod 000 /tmp/dl/locked.txt');
      const d = await sb.downloadFiles(['/tmp/dl/ok.txt', '/tmp/dl/missing', '/tmp/dl', 'rel', '/tmp/dl/locked.txt']);
      assert.deepEqual(d.map((x) => x.error), [null, 'file_not_found', 'is_directory', 'invalid_path', 'permission_denied']);
      assert.equal(new TextDecoder().decode(d[0].content), 'ok');
      const u = await sb.uploadFiles([['/tmp/ul/a.txt', enc.encode('a')], ['/tmp/ul', enc.encode('x')], ['rel', enc.encode('')]]);
      assert.deepEqual(u.map((x) => x.error), [null, 'is_directory', 'invalid_path']);
    });

    it('round-trips every byte value', async () => {
      const all = new Uint8Array(256).map((_, i) => i);
      await sb.uploadFiles([['/tmp/bytes.bin', all]]);
      assert.deepEqual((await sb.downloadFiles(['/tmp/bytes.bin']))[0].content, all);
    });

    it('serializes concurrent calls (the server refuses a second run: 409)', async () => {
      const rs = await Promise.all(Array.from({ length: 8 }, (_, i) => sb.execute(`echo ${i}`)));
      assert.deepEqual(rs.map((r) => r.output), Array.from({ length: 8 }, (_, i) => `${i}\n`));
    });
  });
}

describe('WasmshRemoteSandbox (dispatcher and runner processes)', function () {
  this.timeout(240000);
  let fleet;
  let dispatcher;
  before(async function () {
    if (!fs.existsSync(path.resolve('js/scale/runner/main.mjs'))) this.skip();
    fleet = new Fleet({ tokens: ['agents-token'] });
    const rport = await freePort();
    fleet.startRunner({ port: rport, name: 'runner1', env: { WASMSH_WARM_POOL: '1', WASMSH_MAX_SESSIONS: '8' } });
    dispatcher = fleet.startDispatcher({ port: await freePort(), env: { WASMSH_RUNNERS: fleet.runners[0].url } });
    await fleet.ready(fleet.runners[0]);
    await fleet.ready(dispatcher);
  });
  after(async () => {
    if (!fleet) return;
    await fleet.stopAll();
    fs.rmSync(fleet.dir, { recursive: true, force: true });
  });

  registerRemoteCases('WasmshRemoteSandbox', () => ({ url: dispatcher.url, token: 'agents-token' }));
});

describe('WasmshRemoteSandbox (fake dispatcher)', function () {
  let fake;
  before(async () => {
    fake = await startFakeDispatcher();
  });
  after(async () => {
    await fake.close();
  });
  const opts = (o = {}) => ({ url: fake.url, token: fake.token, ...o });

  registerRemoteCases('WasmshRemoteSandbox on the fake', () => fake);

  describe('requests over the API (counted by the fake)', () => {
    let sb;
    before(async () => {
      sb = await WasmshRemoteSandbox.create(opts());
    });
    after(() => sb.close());

    it('needs a url', () => {
      assert.throws(() => new WasmshRemoteSandbox({}), TypeError);
    });

    it('answers ls/glob/read through the file API while the shell lacks find/awk', async () => {
      const missing = ['find', 'awk'].filter((u) => !sb.shellHas.includes(u));
      await sb.write('/tmp/api/x.txt', 'one\ntwo\n');
      const before = { ...fake.requests };
      const ls = await sb.ls('/tmp/api');
      assert.deepEqual(ls.files.map((f) => f.path), ['/tmp/api/x.txt']);
      const rd = await sb.read('/tmp/api/x.txt');
      assert.equal(rd.content, '     1\tone\n     2\ttwo\n');
      const runs = (fake.requests['POST /v1/sessions/{id}/run'] || 0) - (before['POST /v1/sessions/{id}/run'] || 0);
      // each tool the shell cannot run costs no run request
      assert.equal(runs, 2 - missing.length);
    });

    it('uses the shell for grep (one request)', async () => {
      const before = fake.requests['POST /v1/sessions/{id}/run'] || 0;
      const m = await sb.grep('two', '/tmp/api');
      assert.deepEqual(m.matches, [{ path: '/tmp/api/x.txt', line: 2, text: 'two' }]);
      assert.equal(fake.requests['POST /v1/sessions/{id}/run'] - before, 1);
    });

    it('with directFileTools false, uses the base class only', async () => {
      const t = await WasmshRemoteSandbox.create(opts({ directFileTools: false }));
      await t.write('/tmp/b/x.txt', 'hello');
      assert.deepEqual((await t.grep('hello', '/tmp/b')).matches, [{ path: '/tmp/b/x.txt', line: 1, text: 'hello' }]);
      const hasFind = t.shellHas.includes('find');
      assert.equal((await t.ls('/tmp/b')).files.length, hasFind ? 1 : 0);
      await t.close();
    });
  });
});
