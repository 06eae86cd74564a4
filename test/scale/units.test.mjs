// units.test.mjs - the scale modules' pure parts: tar (against GNU tar when
// it is installed), the Prometheus registry, token matching, the host
// allowlist bound, configuration parsing.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { packTar, unpackTar, TarError } from '../../js/scale/tar.mjs';
import { Registry } from '../../js/scale/metrics.mjs';
import { TokenSet, readConfig } from '../../js/scale/http.mjs';
import { entryCovered as hostCovered } from '../../js/fetch_policy.mjs';
import { keyOf } from '../../js/scale/dispatcher/discovery.mjs';

const hasTar = (() => { try { execFileSync('tar', ['--version'], { stdio: 'ignore' }); return true; } catch { return false; } })();

describe('scale units', () => {
  it('tar: round trip with long names, symlinks, modes, binary data', () => {
    const long = `${'d'.repeat(120)}/${'f'.repeat(130)}.txt`;
    const entries = [
      { path: 'dir', type: 'directory', mode: 0o750, mtimeMs: 1700000000000 },
      { path: 'dir/a.bin', type: 'file', mode: 0o755, mtimeMs: 1700000000000, data: new Uint8Array([0, 1, 255]) },
      { path: 'dir/link', type: 'symlink', mode: 0o777, mtimeMs: 1700000000000, target: 'a.bin' },
      { path: long, type: 'file', mode: 0o644, mtimeMs: 1700000000000, data: new TextEncoder().encode('long\n') },
    ];
    const tar = packTar(entries);
    assert.equal(tar.length % 512, 0);
    const back = unpackTar(tar);
    assert.deepEqual(back.map((e) => [e.path, e.type, e.mode & 0o777]),
      [['dir', 'directory', 0o750], ['dir/a.bin', 'file', 0o755], ['dir/link', 'symlink', 0o777], [long, 'file', 0o644]]);
    assert.deepEqual([...back[1].data], [0, 1, 255]);
    assert.equal(back[2].target, 'a.bin');
    assert.equal(back[0].mtimeMs, 1700000000000);
  });

  it('tar: GNU tar reads what we write and we read what it writes (pax and gnu formats)', function () {
    if (!hasTar) this.skip();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wasmsh-tar-'));
    try {
      const name = `${'n'.repeat(150)}.txt`;
      fs.writeFileSync(path.join(dir, 'ours.tar'), packTar([{ path: `x/${name}`, type: 'file', mode: 0o600, mtimeMs: 0, data: new TextEncoder().encode('hi') }]));
      assert.equal(execFileSync('tar', ['-tf', 'ours.tar'], { cwd: dir, encoding: 'utf8' }), `x/${name}\n`);
      fs.mkdirSync(path.join(dir, 'src/sub'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'src/sub', name), 'deep');
      fs.symlinkSync(`sub/${name}`, path.join(dir, 'src/ln'));
      for (const format of ['pax', 'gnu']) {
        execFileSync('tar', [`--format=${format}`, '-cf', `${format}.tar`, 'src'], { cwd: dir });
        const got = unpackTar(new Uint8Array(fs.readFileSync(path.join(dir, `${format}.tar`))));
        const names = got.map((e) => `${e.type[0]}:${e.path}`).sort();
        assert.deepEqual(names, ['d:src', 'd:src/sub', `f:src/sub/${name}`, 's:src/ln'].sort(), format);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('tar: bad archives are TarErrors', () => {
    assert.throws(() => unpackTar(new Uint8Array(512).fill(1)), TarError);
    const tar = packTar([{ path: 'a', type: 'file', mode: 0o644, mtimeMs: 0, data: new Uint8Array(2000) }]);
    assert.throws(() => unpackTar(tar.subarray(0, 1024)), /truncated/);
    assert.deepEqual(unpackTar(new Uint8Array(1024)), []);
  });

  it('metrics: counters, gauges, histograms in the text format', () => {
    const reg = new Registry();
    const c = reg.counter('x_total', 'X');
    c.inc({ kind: 'a"b' });
    c.inc({ kind: 'a"b' }, 2);
    reg.gauge('g', 'G', () => 5);
    const h = reg.histogram('h_seconds', 'H', [0.1, 1]);
    h.observe({ from: 'pool' }, 0.05);
    h.observe({ from: 'pool' }, 2);
    const t = reg.render();
    assert.match(t, /# TYPE x_total counter\nx_total\{kind="a\\"b"\} 3\n/);
    assert.match(t, /\ng 5\n/);
    assert.match(t, /h_seconds_bucket\{from="pool",le="0.1"\} 1\nh_seconds_bucket\{from="pool",le="1"\} 1\nh_seconds_bucket\{from="pool",le="\+Inf"\} 2\nh_seconds_sum\{from="pool"\} 2.05\nh_seconds_count\{from="pool"\} 2\n/);
  });

  it('tokens: exact matches only, whatever the length; a tenant per token', () => {
    const t = new TokenSet(['alpha', 'beta-longer-token']);
    assert.ok(t.match('Bearer alpha'));
    assert.ok(t.match('Bearer beta-longer-token'));
    assert.notEqual(t.match('Bearer alpha'), t.match('Bearer beta-longer-token'));
    for (const bad of [undefined, '', 'alpha', 'Bearer alph', 'Bearer alphaa', 'Basic alpha', 'Bearer ']) assert.equal(t.match(bad), null);
  });

  it('the runner\'s host allowlist bounds a session\'s allowedHosts (fetch_policy\'s entryCovered)', () => {
    const allow = ['pypi.org', '*.example.org', 'api.test:8443'];
    assert.ok(hostCovered('pypi.org', allow));
    assert.ok(hostCovered('PyPI.org', allow));
    assert.ok(hostCovered('a.example.org', allow));
    assert.ok(hostCovered('*.b.example.org', allow));
    assert.ok(hostCovered('*.example.org', allow));
    assert.ok(hostCovered('api.test:8443', allow));
    assert.ok(!hostCovered('api.test', allow));
    assert.ok(!hostCovered('*.pypi.org', allow));
    assert.ok(!hostCovered('example.org', allow));
    assert.ok(!hostCovered('evilpypi.org', allow));
    assert.ok(!hostCovered('bad host', allow));
    // the session broker's own rules: no port = the scheme's default port, a scheme narrows
    assert.ok(!hostCovered('pypi.org:8080', allow));
    assert.ok(hostCovered('pypi.org:8080', ['pypi.org:*']));
    assert.ok(hostCovered('https://pypi.org', ['pypi.org']));
    assert.ok(!hostCovered('pypi.org', ['https://pypi.org']));
  });

  it('configuration: flags over WASMSH_ variables over defaults; bad values refused', () => {
    const spec = { maxSessions: [16, 'int'], hostAllowlist: [[], 'list'], allowNoAuth: [false, 'bool'], name: ['x', 'string'] };
    const c = readConfig(spec, ['--max-sessions=3'], { WASMSH_MAX_SESSIONS: '9', WASMSH_HOST_ALLOWLIST: 'a.com, b.com', WASMSH_ALLOW_NO_AUTH: 'true' });
    assert.deepEqual(c, { maxSessions: 3, hostAllowlist: ['a.com', 'b.com'], allowNoAuth: true, name: 'x' });
    assert.throws(() => readConfig(spec, ['--nope=1'], {}), /unknown setting/);
    assert.throws(() => readConfig(spec, [], { WASMSH_MAX_SESSIONS: 'many' }), /not a number/);
    assert.equal(keyOf('127.0.0.1:8081'), Buffer.from('127.0.0.1:8081').toString('base64url'));
  });
});
