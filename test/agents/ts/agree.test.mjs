// agree.test.mjs - WasmshSandbox's ls, read, grep, glob and edit (answered
// from the filesystem) give what deepagents' BaseSandbox gives through
// execute() on the same files: two sandboxes on one session, one with the
// direct file tools and one without. The base class's ls and glob need
// `find`, read needs `awk`, grep with a glob needs `find`: those comparisons
// are skipped while the shell lacks the utility. grep without a glob is the
// shell's grep -r either way; the direct glob grep's per-file rules are
// checked against it on a flat directory.
import assert from 'node:assert/strict';

import { WasmshSandbox } from './helpers.mjs';

const enc = new TextEncoder();

describe('direct file tools agree with the base class', function () {
  let direct;
  let base;
  const has = new Set();

  before(async () => {
    direct = await WasmshSandbox.create({ maxOutputBytes: 64 * 1024 * 1024 });
    base = new WasmshSandbox({ session: direct.session, directFileTools: false, maxOutputBytes: 64 * 1024 * 1024 });
    await base.initialize();
    const probe = await direct.execute('for u in find awk; do command -v $u >/dev/null && echo $u; done');
    for (const u of probe.output.split('\n').filter(Boolean)) has.add(u);
    // names in an order that is not sorted (readdir order is creation order,
    // integer-like names first), and the awkward cases
    const files = [
      ['/agree/zeta.txt', 'alpha\nbeta gamma\n'],
      ['/agree/10', 'ten a\n'],
      ['/agree/2', 'two a\n'],
      ['/agree/.hidden', 'hidden a\n'],
      ['/agree/with space.md', 'a: colon: text\n'],
      ['/agree/caf\u00e9.txt', 'caf\u00e9 \u00e9t\u00e9\n'],
      ['/agree/crlf.txt', 'one\r\ntwo a\r\n'],
      ['/agree/no-newline.txt', 'last line a'],
      ['/agree/trailing.txt', 'x\nends with spaces a   '],
      ['/agree/empty.txt', ''],
      ['/agree/sub/deep/inner.py', 'def a():\n    return "a"\n'],
      ['/agree/sub/b.json', '{"a": 1}\n'],
      ['/agree/sub/img.png', 'a png that says a\n'],
      ['/agree/many.txt', Array.from({ length: 1200 }, (_, i) => `row ${i} a`).join('\n')],
    ];
    const up = await direct.uploadFiles(files.map(([p, c]) => [p, enc.encode(c)]));
    assert.ok(up.every((r) => r.error === null));
    await direct.uploadFiles([
      ['/agree/binary.dat', new Uint8Array([97, 10, 0, 97, 10])],
      ['/agree/latin1.txt', new Uint8Array([97, 10, 0xe9, 32, 97, 10, 98, 32, 97, 10])],
    ]);
    // a flat copy of the regular files (no links, no directories)
    const flat = files.filter(([p]) => p.split('/').length === 3);
    await direct.uploadFiles(flat.map(([p, c]) => [p.replace('/agree/', '/agree-flat/'), enc.encode(c)]));
    await direct.uploadFiles([
      ['/agree-flat/binary.dat', new Uint8Array([97, 10, 0, 97, 10])],
      ['/agree-flat/latin1.txt', new Uint8Array([97, 10, 0xe9, 32, 97, 10, 98, 32, 97, 10])],
    ]);
    const r = await direct.execute([
      'mkdir -p /agree/emptydir /agree/locked',
      'echo "secret a" > /agree/locked/s.txt && chmod 000 /agree/locked',
      'ln -s zeta.txt /agree/link-to-file',
      'ln -s sub /agree/link-to-dir',
      'ln -s missing /agree/dangling',
      'ln -s .. /agree/sub/up',
    ].join(' && '));
    assert.equal(r.exitCode, 0, r.output);
  });

  after(async () => {
    await base.close();
    await direct.close();
  });

  const needs = (ctx, utils) => {
    const missing = utils.filter((u) => !has.has(u));
    if (missing.length) ctx.skip();
  };
  const same = async (op, ...args) => {
    const d = await direct[op](...args);
    const b = await base[op](...args);
    assert.deepStrictEqual(d, b, `${op}(${args.map((a) => JSON.stringify(a)).join(', ')})`);
    return d;
  };

  describe('grep', () => {
    for (const [pattern, path] of [
      ['a', '/agree'], ['a', '/agree/'], ['a', '/agree//sub'], ['a', '/agree/zeta.txt'], ['a', '/agree/missing'],
      ['', '/agree/sub'], [':', '/agree'], ['\u00e9', '/agree'], ['beta gamma', '/agree'], ['a   ', '/agree'],
      ['row 11', '/agree/many.txt'], ['nothing-matches-this', '/agree'], ['a', '/agree/link-to-dir'],
      ['wasmsh-agree-needle', '/'],
    ]) {
      it(`grep ${JSON.stringify(pattern)} in ${path}`, async () => {
        await same('grep', pattern, path, null, null);
      });
    }

    it('grep with maxCount', async () => {
      const r = await same('grep', 'a', '/agree', null, 3);
      assert.equal(r.truncated, true);
    });

    // Where `find -L DIR -type f -name '*' -exec grep` and `grep -r DIR` see the
    // same files (regular files only, one level): the direct glob grep, with
    // its per-file rules (binary files, invalid UTF-8, ':' and trailing
    // spaces), against the shell's grep -r, which is there now.
    for (const pattern of ['a', '', ':', '\u00e9', 'a   ', 'nothing-matches-this']) {
      it(`glob grep ${JSON.stringify(pattern)} against grep -r`, async () => {
        const d = await direct.grep(pattern, '/agree-flat', '*', null);
        const b = await base.grep(pattern, '/agree-flat', null, null);
        assert.deepStrictEqual(d, b);
      });
    }

    for (const glob of ['*.txt', '*.py', '*', '[a-c]*', 'ze?a.txt', '.h*', '*.png']) {
      it(`grep with glob ${glob}`, async function () {
        needs(this, ['find']);
        await same('grep', 'a', '/agree', glob, null);
      });
    }
  });

  describe('ls', () => {
    for (const path of ['/agree', '/agree/', '/agree/sub', '/agree/emptydir', '/agree/missing', '/agree/zeta.txt',
      '/agree/link-to-dir', '/agree/locked', '/']) {
      it(`ls ${path}`, async function () {
        needs(this, ['find']);
        await same('ls', path);
      });
    }
  });

  describe('glob', () => {
    for (const [pattern, path] of [
      ['*', '/agree'], ['**/*', '/agree'], ['**/*.py', '/agree'], ['*.txt', '/agree/'], ['sub/**', '/agree'],
      ['[0-9]*', '/agree'], ['**/inner.py', '/'], ['*', '/agree/missing'],
    ]) {
      it(`glob ${pattern} in ${path}`, async function () {
        needs(this, ['find']);
        await same('glob', pattern, path);
      });
    }
  });

  describe('read', () => {
    for (const [path, offset, limit] of [
      ['/agree/zeta.txt', 0, 500], ['/agree/many.txt', 0, 500], ['/agree/many.txt', 500, 500], ['/agree/many.txt', 1150, 100],
      ['/agree/many.txt', 1200, 10], ['/agree/many.txt', 2.7, 3.2], ['/agree/many.txt', -4, 2], ['/agree/empty.txt', 0, 10],
      ['/agree/no-newline.txt', 0, 10], ['/agree/crlf.txt', 0, 10], ['/agree/latin1.txt', 0, 10], ['/agree/missing', 0, 10],
      ['/agree/sub', 0, 10], ['/agree/link-to-file', 0, 10], ['/agree/zeta.txt', 0, 0], ['/agree/locked/s.txt', 0, 10],
    ]) {
      it(`read ${path} ${offset} ${limit}`, async function () {
        needs(this, ['awk']);
        if (path !== '/agree/latin1.txt') {
          await same('read', path, offset, limit);
          return;
        }
        // awk warns about invalid UTF-8 on stderr, and execute() mixes stderr
        // into the output: the base class takes the warning for file content
        const d = await direct.read(path, offset, limit);
        const b = await base.read(path, offset, limit);
        b.content = b.content.split('\n').filter((l) => !l.startsWith('awk: ')).join('\n');
        assert.deepStrictEqual(d, b);
      });
    }
  });

  describe('edit', () => {
    const cases = [
      ['a.txt', 'one two one', 'one', '1', false], ['b.txt', 'one two one', 'one', '1', true],
      ['c.txt', 'one two', 'zzz', 'y', false], ['d.txt', '', '', 'new', false], ['e.txt', 'x', '', 'new', false],
      ['f.txt', 'same', 'same', 'same', false], ['g.txt', 'aaa', 'aa', 'b', true], ['h.txt', '\u00e9t\u00e9', '\u00e9', 'e', true],
    ];
    for (const [name, text, oldS, newS, all] of cases) {
      it(`edit ${JSON.stringify(text)} ${JSON.stringify(oldS)} -> ${JSON.stringify(newS)}${all ? ' (all)' : ''}`, async () => {
        const pd = `/agree-edit/direct/${name}`;
        const pb = `/agree-edit/base/${name}`;
        await direct.write(pd, text);
        await base.write(pb, text);
        const rd = await direct.edit(pd, oldS, newS, all);
        const rb = await base.edit(pb, oldS, newS, all);
        const norm = (r, p) => JSON.stringify(r).split(p).join('FILE');
        assert.equal(norm(rd, pd), norm(rb, pb));
        assert.equal((await direct.readRaw(pd)).data.content, (await base.readRaw(pb)).data.content);
      });
    }

    it('edit of a missing file', async () => {
      await same('edit', '/agree-edit/missing.txt', 'a', 'b', false);
    });
  });
});
