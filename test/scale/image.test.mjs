// image.test.mjs - the images' contents are enough: deploy/docker/stage.sh
// stages the runner and the dispatcher as their Dockerfiles do, and both
// start from the staged trees as an unprivileged user that can write none
// of their files (the images run with a read-only root filesystem), with
// secrets read from files (as the Helm chart mounts them).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { createRemoteSession } from '../../js/index.mjs';
import { Fleet, freePort } from './fleet.mjs';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const NOBODY = 65534;

describe('the images: staged trees, non-root, no writable files', function () {
  this.timeout(240000);
  let fleet;

  before(() => { fleet = new Fleet(); });
  after(async () => { if (fleet) await fleet.stopAll(); });

  it('a runner and a dispatcher start from deploy/docker/stage.sh trees and serve a session', async () => {
    const stage = path.join(fleet.dir, 'stage');
    for (const what of ['runner', 'dispatcher']) {
      execFileSync('sh', ['deploy/docker/stage.sh', what, path.join(stage, what)], { cwd: ROOT, stdio: 'pipe' });
    }
    fs.chmodSync(fleet.dir, 0o755);
    const secrets = path.join(fleet.dir, 'secrets');
    fs.mkdirSync(secrets, { mode: 0o755 });
    fs.writeFileSync(path.join(secrets, 'runner-token'), `${fleet.runnerToken}\n`, { mode: 0o644 });
    fs.writeFileSync(path.join(secrets, 'client-tokens'), '# one per line\nimage-client\n', { mode: 0o644 });
    const asNobody = process.getuid && process.getuid() === 0 ? { uid: NOBODY, gid: NOBODY, cleanEnv: true } : { cleanEnv: true };
    const rport = await freePort();
    const runner = fleet.startRunner({
      port: rport, name: 'staged-runner', main: path.join(stage, 'runner/js/scale/runner/main.mjs'), proc: asNobody,
      env: { WASMSH_RUNNER_TOKEN: '', WASMSH_RUNNER_TOKEN_FILE: path.join(secrets, 'runner-token'), WASMSH_WARM_POOL: '1', HOME: '/nonexistent' },
    });
    const dport = await freePort();
    const d = fleet.startDispatcher({
      port: dport, name: 'staged-dispatcher', main: path.join(stage, 'dispatcher/js/scale/dispatcher/main.mjs'), proc: asNobody,
      env: { WASMSH_TOKENS: '', WASMSH_TOKENS_FILE: path.join(secrets, 'client-tokens'), WASMSH_RUNNER_TOKEN: '',
        WASMSH_RUNNER_TOKEN_FILE: path.join(secrets, 'runner-token'), WASMSH_RUNNERS: runner.url, HOME: '/nonexistent' },
    });
    await fleet.ready(runner);
    await fleet.ready(d);
    const s = await createRemoteSession({ url: d.url, token: 'image-client' });
    const r = await s.run("echo hi | tr a-z A-Z; python3 -c 'import json; print(json.dumps([1]))'");
    assert.equal(r.stdout, 'HI\n[1]\n');
    await s.close();
    // the dispatcher image has no Pyodide at all
    assert.ok(!fs.existsSync(path.join(stage, 'dispatcher/node_modules')));
  });
});
