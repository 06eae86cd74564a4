// scale.test.mjs - one dispatcher and three runners as local processes on
// loopback (127.0.0.1-3, one port), driven through createRemoteSession and
// raw HTTP: concurrent creates, affinity (also across a dispatcher restart
// and through a second dispatcher that finds the runners by DNS), auth,
// limits, crash isolation, idle reaping with export, drain, SIGTERM, and a
// runner killed with SIGKILL failing only its own sessions.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { createRemoteSession, RemoteError, FsError, SessionBusyError } from '../../js/index.mjs';
import { Fleet, freePort } from './fleet.mjs';

const HOSTS = ['127.0.0.1', '127.0.0.2', '127.0.0.3'];
const RUNNER_ENV = {
  WASMSH_MAX_SESSIONS: '2', WASMSH_WARM_POOL: '1', WASMSH_MAX_RUN_MS: '3000', WASMSH_DEFAULT_RUN_MS: '3000',
  WASMSH_HARD_GRACE_MS: '1000', WASMSH_WASM_MAX_MB: '192', WASMSH_REAP_INTERVAL_MS: '300',
  WASMSH_HOST_ALLOWLIST: 'example.com,*.example.org', WASMSH_MAX_REQUEST_MB: '4',
};

let fleet;
let port;
let dispatcher;
let url;
const A = 'client-a';
const B = 'client-b';
const sessions = [];

const open = (o = {}) => createRemoteSession({ url, token: A, ...o }).then((s) => { sessions.push(s); return s; });
const raw = (p, { token = A, method = 'GET', body, headers = {}, base = url } = {}) => fetch(`${base}${p}`, {
  method, body, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
});
const runnerOf = async (s) => (await s.info()).runner;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function rejects(p, check) {
  try {
    await p;
  } catch (e) {
    check(e);
    return e;
  }
  assert.fail('expected a rejection');
}

describe('scalable mode: dispatcher + 3 runners on loopback', function () {
  this.timeout(240000);

  before(async () => {
    fleet = new Fleet();
    const tpl = path.join(fleet.dir, 'template');
    fs.mkdirSync(path.join(tpl, 'etc'), { recursive: true });
    fs.writeFileSync(path.join(tpl, 'etc', 'motd'), 'from the template\n');
    port = await freePort(HOSTS);
    HOSTS.forEach((host, i) => fleet.startRunner({ host, port, name: `runner${i + 1}`, env: { ...RUNNER_ENV, WASMSH_TEMPLATE_DIR: tpl } }));
    const dport = await freePort();
    dispatcher = fleet.startDispatcher({ port: dport, env: { WASMSH_RUNNERS: fleet.runners.map((r) => r.url).join(','), WASMSH_MAX_REQUEST_MB: '1' } });
    url = dispatcher.url;
    await Promise.all(fleet.runners.map((r) => fleet.ready(r)));
    await fleet.ready(dispatcher);
    // every runner's warm worker, so that timings below are from the pool
    for (const r of fleet.runners) {
      for (let i = 0; i < 300; i++) {
        // eslint-disable-next-line no-await-in-loop
        const c = await (await raw('/v1/capacity', { token: fleet.runnerToken, base: r.url })).json();
        if (c.warm >= 1) break;
        // eslint-disable-next-line no-await-in-loop
        await sleep(200);
      }
    }
  });

  after(async () => {
    if (fleet) await fleet.stopAll();
  });

  describe('auth', () => {
    it('refuses a missing or wrong client token (401), in constant time on both servers', async () => {
      assert.equal((await raw('/v1/sessions', { token: null, method: 'POST' })).status, 401);
      const r = await raw('/v1/sessions', { token: 'client-aX', method: 'POST' });
      assert.equal(r.status, 401);
      assert.equal((await r.json()).error.code, 'WASMSH_UNAUTHORIZED');
      await rejects(createRemoteSession({ url, token: 'nope' }), (e) => { assert.ok(e instanceof RemoteError); assert.equal(e.status, 401); });
    });

    it('runners take the runner token only (a client token is refused there)', async () => {
      const base = fleet.runners[0].url;
      assert.equal((await raw('/v1/capacity', { base, token: A })).status, 401);
      assert.equal((await raw('/v1/sessions', { base, token: A, method: 'POST' })).status, 401);
      assert.equal((await raw('/v1/capacity', { base, token: fleet.runnerToken })).status, 200);
      // health and metrics need no token
      assert.equal((await raw('/healthz', { base, token: null })).status, 200);
    });
  });

  describe('sessions through the dispatcher', () => {
    it('creates sessions concurrently and spreads them over the runners', async () => {
      const made = await Promise.all([0, 1, 2, 3].map(() => open()));
      const runners = new Set(await Promise.all(made.map(runnerOf)));
      assert.ok(runners.size >= 2, `4 sessions on ${runners.size} runner(s)`);
      const outs = await Promise.all(made.map((s, i) => s.run(`echo session ${i}; python3 -c 'print(6*7)'`)));
      outs.forEach((r, i) => assert.equal(r.stdout, `session ${i}\n42\n`));
    });

    it('keeps affinity: every call reaches the runner holding the session state', async () => {
      const s = sessions[0];
      const home = await runnerOf(s);
      await s.run('X=kept; cd /tmp; f() { echo "f:$1"; }');
      for (let i = 0; i < 5; i++) {
        // eslint-disable-next-line no-await-in-loop
        const r = await s.run(`echo "$X $PWD"; f ${i}`);
        assert.equal(r.stdout, `kept /tmp\nf:${i}\n`);
        // eslint-disable-next-line no-await-in-loop
        assert.equal(await runnerOf(s), home);
      }
      assert.equal(await s.cwd(), '/tmp');
    });

    it('files: write, read, list, stat, mkdir, remove, typed errors', async () => {
      const s = sessions[0];
      await s.writeFile('/workspace/a.txt', 'alpha\n');
      await s.writeFile('/workspace/bin.dat', new Uint8Array([0, 255, 10]), { mode: 0o755 });
      assert.equal(await s.readFile('/workspace/a.txt', { encoding: 'utf8' }), 'alpha\n');
      assert.deepEqual([...await s.readFile('/workspace/bin.dat')], [0, 255, 10]);
      const st = await s.stat('/workspace/bin.dat');
      assert.equal(st.size, 3);
      assert.equal(st.mode & 0o777, 0o755);
      await s.mkdir('/workspace/d/e', { recursive: true });
      const names = (await s.listDir('/workspace')).map((e) => `${e.name}:${e.type}`);
      assert.deepEqual(names, ['a.txt:file', 'bin.dat:file', 'd:directory']);
      await s.remove('/workspace/d', { recursive: true });
      await rejects(s.readFile('/workspace/nope'), (e) => { assert.ok(e instanceof FsError); assert.equal(e.errno, 'ENOENT'); });
      const r = await s.run('cat /workspace/a.txt; cat /etc/motd');
      assert.equal(r.stdout, 'alpha\nfrom the template\n');
    });

    it('exports a session\'s files as a tar and imports them into another session', async () => {
      const [s1, s2] = sessions;
      await s1.run('mkdir -p /workspace/proj/src && printf "x\\n" > /workspace/proj/src/m.py && ln -sf src/m.py /workspace/proj/link');
      const tar = await s1.exportTar('/workspace/proj');
      assert.ok(tar.length >= 1024 && tar.length % 512 === 0);
      const counts = await s2.importTar(tar, '/workspace/copy');
      assert.deepEqual(counts, { files: 1, directories: 1, symlinks: 1, bytes: 2 });
      const r = await s2.run('cat /workspace/copy/link; ls /workspace/copy /workspace/copy/src');
      assert.equal(r.stdout, 'x\n/workspace/copy:\nlink\nsrc\n\n/workspace/copy/src:\nm.py\n');
      await rejects(s2.importTar(new Uint8Array(1024).fill(7)), (e) => assert.equal(e.status, 400));
    });

    it('streams output (onStdout/onStderr) as it is produced', async () => {
      const chunks = [];
      const r = await sessions[1].run('echo one; echo two >&2; echo three', {
        onStdout: (t) => chunks.push(`o:${t}`), onStderr: (t) => chunks.push(`e:${t}`),
      });
      assert.equal(r.stdout, 'one\nthree\n');
      assert.equal(r.stderr, 'two\n');
      assert.equal(chunks.join(''), 'o:one\ne:two\no:three\n');
    });

    it('cancels a running command from another request (status 130), and answers 409 to a second run', async () => {
      const s = sessions[1];
      const running = s.run('while :; do :; done');
      await sleep(400);
      await rejects(s.run('echo no'), (e) => { assert.ok(e instanceof SessionBusyError); assert.equal(e.status, 409); });
      await s.cancel();
      const r = await running;
      assert.equal(r.exitCode, 130);
      assert.equal(r.stopReason, 'cancel');
      assert.equal((await s.run('echo after')).stdout, 'after\n');
    });

    it('sets $0 and arguments, and reset gives a fresh shell with the files kept', async () => {
      const s = sessions[1];
      await s.setArgs('prog', ['a b', 'c']);
      assert.equal((await s.run('echo "$0|$1|$2|$#"')).stdout, 'prog|a b|c|2\n');
      await s.run('Y=1; cd /tmp');
      await s.reset();
      assert.equal((await s.run('echo "[$Y]"; pwd; ls /workspace/copy')).stdout, '[]\n/workspace\nlink\nsrc\n');
    });
  });

  describe('limits', () => {
    it('413 for a request body over the dispatcher\'s limit', async () => {
      const s = sessions[0];
      await rejects(s.writeFile('/workspace/big', new Uint8Array(2 * 1024 * 1024)), (e) => {
        assert.ok(e instanceof RemoteError);
        assert.equal(e.status, 413);
        assert.equal(e.code, 'WASMSH_TOO_LARGE');
      });
    });

    it('caps a run\'s time at the runner\'s maximum, and the output budget', async () => {
      const s = sessions[2];
      const t0 = Date.now();
      const r = await s.run('while :; do :; done', { timeoutMs: 600000 });
      assert.equal(r.exitCode, 124);
      assert.equal(r.stopReason, 'time');
      assert.ok(Date.now() - t0 < 15000);
      const o = await s.run('yes | head -c 100000', { budget: { outputBytes: 1000 } });
      assert.equal(o.stopReason, 'output');
      assert.ok(o.truncated);
      // about 1000 bytes: the head and the tail of the output, with the budget's notice between them
      assert.ok(o.stdout.startsWith('y\n'.repeat(100)) && o.stdout.length < 1200, `${o.stdout.length} bytes`);
    });

    it('the wasm memory ceiling: a huge Python allocation is a heap budget stop, the session goes on', async () => {
      const s = sessions[2];
      const r = await s.run('python3 -c "x = bytearray(400 * 1024 * 1024)"');
      // a MemoryError is a budget stop (docs/security.md, Budgets): 124 and the budget's name
      assert.equal(r.exitCode, 124, JSON.stringify(r));
      assert.equal(r.stopReason, 'heap');
      assert.match(r.stderr, /MemoryError/);
      assert.equal((await s.run('echo alive')).stdout, 'alive\n');
    });

    it('429 with Retry-After when every runner is full', async () => {
      const extra = [];
      let refused = null;
      for (let i = 0; i < 4 && !refused; i++) {
        try {
          // eslint-disable-next-line no-await-in-loop
          extra.push(await open());
        } catch (e) {
          refused = e;
        }
      }
      assert.ok(refused, 'the fleet (3 x 2 sessions) never refused');
      assert.equal(refused.status, 429);
      assert.equal(refused.code, 'WASMSH_OVER_CAPACITY');
      const r = await raw('/v1/sessions', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
      assert.equal(r.status, 429);
      assert.equal(r.headers.get('retry-after'), '1');
      await Promise.all(extra.map((s) => s.close()));
      extra.forEach((s) => sessions.splice(sessions.indexOf(s), 1));
    });

    it('the runner\'s host allowlist bounds allowedHosts; refused fetches are counted', async () => {
      await rejects(open({ allowedHosts: ['evil.test'] }), (e) => { assert.equal(e.status, 400); assert.match(e.message, /evil\.test is not allowed/); });
      const s = sessions[0];
      const r = await s.run('curl -s http://blocked.test/ ; echo "rc=$?"');
      assert.match(r.stdout, /rc=7/);
      let denied = 0;
      for (const runner of fleet.runners) {
        // eslint-disable-next-line no-await-in-loop
        const text = await (await raw('/metrics', { base: runner.url, token: null })).text();
        const m = /wasmsh_runner_denials_total\{kind="network"\} (\d+)/.exec(text);
        if (m) denied += Number(m[1]);
      }
      assert.ok(denied >= 1);
    });

    it('404 for unknown sessions, malformed ids, and sessions of another token', async () => {
      const key = sessions[0].id.split('.')[0];
      assert.equal((await raw(`/v1/sessions/${key}.AAAAAAAAAAAAAAAAAAAAAA`)).status, 404);
      assert.equal((await raw('/v1/sessions/bm90YXJ1bm5lcjox.AAAA')).status, 404);
      assert.equal((await raw('/v1/sessions/no-dot-here/run', { method: 'POST', body: '{}' })).status, 404);
      const other = await raw(`/v1/sessions/${sessions[0].id}`, { token: B });
      assert.equal(other.status, 404);
      assert.equal((await other.json()).error.code, 'WASMSH_SESSION_NOT_FOUND');
      await rejects(createRemoteSession({ url, token: B, id: sessions[0].id }), (e) => assert.equal(e.status, 404));
    });
  });

  describe('failures', () => {
    it('a session whose worker must be killed (a long C call past its deadline) fails alone', async () => {
      const victim = sessions[3];
      const t0 = Date.now();
      await rejects(victim.run('python3 -c "sum(range(10**13))"', { timeoutMs: 300 }), (e) => {
        assert.equal(e.status, 500);
        assert.equal(e.code, 'WASMSH_SESSION_CRASHED');
        assert.match(e.message, /did not stop/);
      });
      assert.ok(Date.now() - t0 < 20000);
      await rejects(victim.run('echo x'), (e) => { assert.equal(e.status, 410); assert.equal(e.reason, 'crashed'); });
      for (const s of sessions.slice(0, 3)) {
        // eslint-disable-next-line no-await-in-loop
        assert.equal((await s.run('echo ok')).stdout, 'ok\n');
      }
      sessions.splice(3, 1);
    });

    it('affinity survives a dispatcher restart, and a second dispatcher finds the runners by DNS', async () => {
      const s = sessions[0];
      await s.run('echo before > /workspace/restart.txt');
      await dispatcher.kill('SIGTERM');
      dispatcher = fleet.startDispatcher({ port: Number(new URL(url).port), name: 'dispatcher2',
        env: { WASMSH_RUNNERS: fleet.runners.map((r) => r.url).join(',') } });
      await fleet.ready(dispatcher);
      assert.equal((await s.run('cat /workspace/restart.txt')).stdout, 'before\n');
      // DNS: one name, one A record per runner (a headless service)
      const dns = await fleet.startDns('runners.wasmsh.test', HOSTS);
      const d3 = fleet.startDispatcher({ port: await freePort(), name: 'dispatcher-dns',
        env: { WASMSH_RUNNER_DNS: 'runners.wasmsh.test', WASMSH_RUNNER_PORT: String(port), WASMSH_RUNNER_DNS_SERVER: dns } });
      await fleet.ready(d3);
      const via = await createRemoteSession({ url: d3.url, token: A, id: s.id });
      assert.equal((await via.run('cat /workspace/restart.txt')).stdout, 'before\n');
      const list = await (await raw('/v1/runners', { base: d3.url })).json();
      assert.equal(list.runners.length, 3);
      await d3.kill('SIGTERM');
    });

    it('an idle session is reaped, its files kept as a tar when asked', async () => {
      const s = await open({ idleTimeoutMs: 800, exportOnIdle: true });
      await s.writeFile('keep.txt', 'kept\n');
      await sleep(2500);
      await rejects(s.run('echo x'), (e) => { assert.equal(e.status, 410); assert.equal(e.reason, 'idle'); assert.match(e.message, /archive/); });
      const tar = await s.exportTar();
      assert.ok(Buffer.from(tar).includes(Buffer.from('kept\n')));
      sessions.pop();
    });

    it('metrics and request ids', async () => {
      const r = await raw(`/v1/sessions/${sessions[0].id}`, { headers: { 'x-request-id': 'trace-me-123' } });
      assert.equal(r.headers.get('x-request-id'), 'trace-me-123');
      await sleep(100);
      const home = fleet.runners.find((p) => p.logText().includes('trace-me-123'));
      assert.ok(home, 'the runner log has the request id');
      assert.ok(dispatcher.logText().includes('trace-me-123'));
      const text = await (await raw('/metrics', { base: fleet.runners[0].url, token: null })).text();
      for (const name of ['wasmsh_runner_sessions ', 'wasmsh_runner_restore_seconds_bucket', 'wasmsh_runner_run_seconds_count',
        'wasmsh_runner_restores_total', 'wasmsh_runner_budget_stops_total', 'wasmsh_runner_denials_total',
        'wasmsh_runner_process_resident_memory_bytes', 'wasmsh_runner_wasm_memory_bytes']) {
        assert.ok(text.includes(name), `runner metrics lack ${name}`);
      }
      const dm = await (await raw('/metrics', { token: null })).text();
      assert.match(dm, /wasmsh_dispatcher_runners\{state="up"\} 3/);
      assert.match(dm, /wasmsh_dispatcher_requests_total\{route="run",status="200"\}/);
    });

    it('a drained runner takes no new sessions; its sessions go on', async () => {
      const drainedName = await runnerOf(sessions[0]);
      const drained = fleet.runners.find((r) => r.name === drainedName);
      const res = await raw('/admin/drain', { base: drained.url, token: fleet.runnerToken, method: 'POST' });
      assert.equal(res.status, 200);
      assert.equal((await raw('/readyz', { base: drained.url, token: null })).status, 503);
      await sleep(600); // a poll
      const fresh = [];
      for (let i = 0; i < 2; i++) {
        // eslint-disable-next-line no-await-in-loop
        const s = await open();
        fresh.push(s);
        // eslint-disable-next-line no-await-in-loop
        assert.notEqual(await runnerOf(s), drainedName);
      }
      assert.equal((await sessions[0].run('echo still here')).stdout, 'still here\n');
      await Promise.all(fresh.map((s) => s.close()));
      fresh.forEach((s) => sessions.splice(sessions.indexOf(s), 1));
    });

    it('a runner killed with SIGKILL fails only its own sessions, with a clear error', async () => {
      const byRunner = new Map();
      for (const s of sessions) {
        // eslint-disable-next-line no-await-in-loop
        byRunner.set(s, await runnerOf(s));
      }
      const drainedName = byRunner.get(sessions[0]);
      const target = fleet.runners.find((r) => r.name !== drainedName && [...byRunner.values()].includes(r.name))
        || fleet.runners.find((r) => r.name !== drainedName);
      let victims = sessions.filter((s) => byRunner.get(s) === target.name);
      if (!victims.length) victims = [await open()];
      await target.kill('SIGKILL');
      for (const v of victims) {
        // eslint-disable-next-line no-await-in-loop
        await rejects(v.run('echo x'), (e) => {
          assert.equal(e.status, 502);
          assert.equal(e.code, 'WASMSH_RUNNER_UNAVAILABLE');
          assert.match(e.message, /unreachable.*lost/);
        });
      }
      for (const s of sessions.filter((x) => !victims.includes(x))) {
        // eslint-disable-next-line no-await-in-loop
        assert.equal((await s.run('echo fine')).stdout, 'fine\n');
      }
      await sleep(700);
      const list = await (await raw('/v1/runners')).json();
      assert.equal(list.runners.find((r) => r.url === target.url).state, 'down');
      const s = await open();
      assert.equal((await s.run('echo new')).stdout, 'new\n');
      assert.notEqual(await runnerOf(s), target.name);
    });

    it('SIGTERM drains a runner: the run in flight finishes, then the process exits', async () => {
      const alive = fleet.runners.filter((r) => r.alive);
      const s = sessions.find((x) => !x.closed);
      const name = await runnerOf(s);
      const proc = alive.find((r) => r.name === name);
      const running = s.run('sleep 1; echo finished');
      await sleep(300);
      proc.kill('SIGTERM');
      const r = await running;
      assert.equal(r.stdout, 'finished\n');
      const { code } = await proc.exited;
      assert.equal(code, 0);
    });
  });
});
