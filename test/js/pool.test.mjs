// The warm pool (on by default after the first session) and what instances
// share: compiled code and copy-on-write file contents, nothing mutable.
import assert from 'node:assert/strict';

import { createSession, runtimeStats, setWarmPool } from '../../js/session.mjs';

const settle = async () => {
  for (let i = 0; i < 600; i++) {
    const st = await runtimeStats();
    if (st.pending === 0 && st.pooled >= st.warmPool) return st;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the warm pool did not fill');
};

describe('warm pool', function () {
  this.timeout(180000);
  const made = [];
  after(() => made.forEach((s) => s.close()));

  it('keeps one prepared instance after the first session; a session from it is fresh and ready', async () => {
    made.push(await createSession());
    await settle();
    const a = await createSession({ env: { MARK: 'a' } });
    made.push(a);
    assert.equal((await runtimeStats()).lastTake, 'pool');
    const r = await a.run('echo "$MARK $PWD"; ls /workspace | wc -l; python3 -c "import sys; print(sys.argv)"');
    assert.equal(r.stdout, "a /workspace\n0\n['-c']\n");
    const st = await runtimeStats();
    assert.ok(st.restores >= 1 && st.moduleReused >= 1, JSON.stringify(st));
    assert.ok(st.sparseRestores >= 1 && st.sharedStdlib >= 1, JSON.stringify(st));
  });

  it('the shared stdlib zip and wheels are copy-on-write: a write in one session is not seen by another', async () => {
    await settle();
    const a = await createSession();
    made.push(a);
    await settle();
    const b = await createSession();
    made.push(b);
    const zip = (await a.run('ls /lib/python3*.zip')).stdout.trim();
    const w = await a.run(`python3 -c 'f = open("${zip}", "r+b"); f.write(b"XXXX"); f.close()'; head -c 4 ${zip}; ls /lib/wasmsh/wheels | head -n 1`);
    assert.equal(w.stdout.slice(0, 4), 'XXXX');
    const wheel = w.stdout.slice(4).trim();
    await a.run(`printf junk | dd of=/lib/wasmsh/wheels/${wheel} conv=notrunc 2>/dev/null || python3 -c 'f = open("/lib/wasmsh/wheels/${wheel}", "r+b"); f.write(b"junk"); f.close()'`);
    assert.deepEqual([...b.readFile(zip).subarray(0, 4)], [0x50, 0x4b, 0x03, 0x04]);
    assert.deepEqual([...b.readFile(`/lib/wasmsh/wheels/${wheel}`).subarray(0, 4)], [0x50, 0x4b, 0x03, 0x04]);
    assert.equal((await b.run("python3 -c 'import json, email.parser; print(json.dumps([1]))'")).stdout, '[1]\n');
  });

  it('setWarmPool(0) turns it off; sessions are then made on demand', async () => {
    await settle();
    const before = await setWarmPool(0);
    assert.equal(before, 1);
    assert.equal((await runtimeStats()).pooled, 0);
    const c = await createSession();
    made.push(c);
    assert.equal((await runtimeStats()).lastTake, 'snapshot');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await runtimeStats()).pending, 0);
    assert.equal((await c.run('echo on-demand')).stdout, 'on-demand\n');
    await setWarmPool(1);
  });
});
