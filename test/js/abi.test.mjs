// The ABI self-test: stat() as the side module sees it (3.1.6-built C with
// the 4.0.9 shims) against Python's os.stat in the same Pyodide.
import assert from 'node:assert/strict';

import { createSession } from './helpers.mjs';

describe('side module ABI', function () {
  this.timeout(60000);
  let s;
  before(async () => { s = await createSession(); });
  after(() => s && s.close());

  function cStat(path, link) {
    const { exports, M } = s;
    const out = exports.wasmsh_alloc(32);
    const p = exports.wasmsh_alloc(path.length * 3 + 1);
    M.stringToUTF8(path, p, path.length * 3 + 1);
    const rc = exports.wasmsh_stat_selftest(p, link ? 1 : 0, out);
    const v = Array.from(M.HEAP32.subarray(out >>> 2, (out >>> 2) + 8));
    exports.wasmsh_free(p);
    exports.wasmsh_free(out);
    assert.equal(rc, 0, `stat ${path} failed in C`);
    return {
      size: (v[0] >>> 0) + (v[1] >>> 0) * 2 ** 32,
      mode: v[2] >>> 0,
      nlink: v[3] >>> 0,
      mtime: (v[4] >>> 0) + v[5] * 2 ** 32,
      ino: v[7] >>> 0,
    };
  }

  function pyStat(path, link) {
    const py = s.pyodide.runPython(`
import os
st = (os.lstat if ${link ? 'True' : 'False'} else os.stat)(${JSON.stringify(path)})
[st.st_size, st.st_mode, st.st_nlink, int(st.st_mtime), st.st_ino & 0xffffffff]`);
    const [size, mode, nlink, mtime, ino] = py.toJs();
    py.destroy();
    return { size, mode, nlink, mtime, ino };
  }

  it('stat: size, mode, mtime, ino and nlink agree with os.stat', async () => {
    await s.run("head -c 123457 /dev/zero > big.bin; python3 -c 'import os; os.utime(\"big.bin\", (1700000000, 1234567890))'");
    const c = cStat('/workspace/big.bin', false);
    assert.deepEqual(c, pyStat('/workspace/big.bin', false));
    assert.equal(c.size, 123457);
    assert.equal(c.mtime, 1234567890);
    assert.equal(c.mode & 0o170000, 0o100000);
  });

  it('lstat of a symlink and stat through it', async () => {
    await s.run('ln -sf big.bin link.bin; mkdir -p dir');
    assert.deepEqual(cStat('/workspace/link.bin', true), pyStat('/workspace/link.bin', true));
    assert.equal(cStat('/workspace/link.bin', true).mode & 0o170000, 0o120000);
    assert.deepEqual(cStat('/workspace/link.bin', false), pyStat('/workspace/link.bin', false));
    assert.deepEqual(cStat('/workspace/dir', false), pyStat('/workspace/dir', false));
  });

  it('the shell sees the same sizes and times as Python', async () => {
    const r = await s.run("wc -c < big.bin; date -r big.bin +%s 2>/dev/null || python3 -c 'import os; print(int(os.stat(\"big.bin\").st_mtime))'; [ -L link.bin ] && echo link");
    assert.equal(r.stdout, '123457\n1234567890\nlink\n');
  });
});
