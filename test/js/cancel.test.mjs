// cancel(): a run is one synchronous wasm call, so a running command is
// stopped from another thread through the session's interruptBuffer (the CLI
// and the browser worker do exactly this); cancel() on the session's own
// thread stops the next run at its first check.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

import { createSession } from './helpers.mjs';

const CLI = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'js', 'cli', 'wasmsh.mjs');

// A thread that stores SIGINT (2) in the buffer after `ms` milliseconds.
function interruptLater(buf, ms) {
  const w = new Worker(`
    const { workerData } = require('node:worker_threads');
    const sleep = new Int32Array(new SharedArrayBuffer(4));
    Atomics.wait(sleep, 0, 0, workerData.ms);
    Atomics.store(workerData.buf, 0, 2);
  `, { eval: true, workerData: { buf, ms } });
  return new Promise((resolve) => w.on('exit', resolve));
}

describe('cancel', function () {
  this.timeout(120000);
  let s;
  let buf;
  before(async () => {
    buf = new Int32Array(new SharedArrayBuffer(4));
    s = await createSession({ interruptBuffer: buf });
  });
  after(() => s && s.close());

  it('another thread stops a running shell loop: status 130, stopReason cancel', async () => {
    const done = interruptLater(buf, 300);
    const t0 = performance.now();
    const r = await s.run('echo start; while :; do :; done; echo never');
    await done;
    assert.equal(r.exitCode, 130);
    assert.equal(r.stopReason, 'cancel');
    assert.equal(r.stdout, 'start\n');
    assert.ok(performance.now() - t0 < 10000);
    assert.equal((await s.run('echo usable')).stdout, 'usable\n');
  });

  it('another thread stops a running Python loop (KeyboardInterrupt inside): the run ends with 130', async () => {
    const done = interruptLater(buf, 300);
    const r = await s.run("python3 -c 'while True: pass'; echo \"status $?\"");
    await done;
    assert.equal(r.stderr, 'wasmsh: cancelled (budget: cancel)\n');
    assert.equal(r.stdout, '');
    assert.equal(r.exitCode, 130);
    assert.equal(r.stopReason, 'cancel');
    assert.equal((await s.run("python3 -c 'print(\"usable\")'")).stdout, 'usable\n');
  });

  it('cancel() from the session\'s own thread stops the next run before its first command', async () => {
    s.cancel();
    const r = await s.run('echo first; echo second');
    assert.equal(r.exitCode, 130);
    assert.equal(r.stdout, '');
    assert.equal((await s.run('echo then')).stdout, 'then\n');
  });

  it('the CLI turns SIGINT into a cancel of the running command', async () => {
    const child = spawn(process.execPath, [CLI, '-c', 'echo ready; while :; do :; done; echo never'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const ready = new Promise((resolve) => child.stdout.on('data', (d) => { out += d; if (out.includes('ready')) resolve(); }));
    const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    await ready;
    await new Promise((r) => setTimeout(r, 200));
    child.kill('SIGINT');
    const code = await exited;
    assert.equal(code, 130);
    assert.equal(out, 'ready\n');
  });
});
