// standard.mjs - our port of the Deep Agents sandbox standard tests (the
// groups and cases of deepagentsjs's libs/standard-tests: lifecycle, command
// execution, file operations, write, read, edit, ls, grep, glob, initial
// files, integration), written for mocha and node:assert.
//
//   registerStandardTests({
//     name, create(opts) -> sandbox (opts.initialFiles), uninitialized() -> sandbox,
//     close(sandbox), resolvePath(name) -> absolute path,
//     requires: utilities the shell must have, else the suite is skipped (e.g. ['find', 'awk']),
//   });
//
// One shared sandbox serves most cases; lifecycle and initialFiles cases make
// their own and close it at once (at most two at a time).
import assert from 'node:assert/strict';

const enc = new TextEncoder();
const dec = new TextDecoder();

const has = (s, part) => assert.ok(String(s).includes(part), `expected ${JSON.stringify(String(s).slice(0, 300))} to contain ${JSON.stringify(part)}`);
const hasNot = (s, part) => assert.ok(!String(s ?? '').includes(part), `expected ${JSON.stringify(String(s).slice(0, 300))} not to contain ${JSON.stringify(part)}`);
const rows = (n, f) => Array.from({ length: n }, (_, i) => f(i)).join('\n');
const noSlash = (p) => p.replace(/\/$/, '');

export function registerStandardTests(cfg) {
  const P = cfg.resolvePath;
  describe(`${cfg.name} standard tests`, function () {
    let shared;
    const sb = () => shared;

    before(async function () {
      shared = await cfg.create();
      for (const u of cfg.requires || []) {
        if ((await shared.execute(`command -v ${u}`)).exitCode !== 0) this.skip();
      }
    });
    after(async () => {
      if (shared) await cfg.close(shared).catch(() => {});
    });

    // ------------------------------------------------------------ lifecycle
    describe('sandbox lifecycle', () => {
      it('has a non-empty string id once created', () => {
        assert.equal(typeof sb().id, 'string');
        assert.ok(sb().id.length > 0);
      });

      it('is running after creation', () => {
        assert.equal(sb().isRunning, true);
      });

      it('closes: isRunning turns false', async () => {
        const tmp = await cfg.create();
        try {
          assert.equal(tmp.isRunning, true);
          await cfg.close(tmp);
          assert.equal(tmp.isRunning, false);
        } finally {
          await cfg.close(tmp).catch(() => {});
        }
      });

      it('works with two-step initialization', async () => {
        const tmp = cfg.uninitialized();
        try {
          assert.equal(tmp.isRunning, false);
          await tmp.initialize();
          assert.equal(tmp.isRunning, true);
          assert.ok(tmp.id);
        } finally {
          await cfg.close(tmp).catch(() => {});
        }
      });
    });

    // ------------------------------------------------------------ execute
    describe('command execution', () => {
      it('runs a simple echo', async () => {
        const r = await sb().execute('echo "hello"');
        assert.equal(r.exitCode, 0);
        assert.equal(r.output.trim(), 'hello');
        assert.equal(r.truncated, false);
      });

      it('captures a non-zero exit code', async () => {
        assert.equal((await sb().execute('exit 42')).exitCode, 42);
      });

      it('captures multiline output', async () => {
        const r = await sb().execute('echo "line1" && echo "line2" && echo "line3"');
        assert.equal(r.exitCode, 0);
        for (const l of ['line1', 'line2', 'line3']) has(r.output, l);
      });

      it('includes stderr in the output', async () => {
        has((await sb().execute('echo "error message" >&2')).output, 'error message');
      });

      it('handles environment variables', async () => {
        const r = await sb().execute('export MY_VAR="test_value" && echo $MY_VAR');
        assert.equal(r.exitCode, 0);
        assert.equal(r.output.trim(), 'test_value');
      });

      it('fails for a command that does not exist', async () => {
        assert.notEqual((await sb().execute('nonexistent_command_12345')).exitCode, 0);
      });
    });

    // ------------------------------------------------------------ file operations
    describe('file operations', () => {
      it('uploads files', async () => {
        const p = P('test-upload.txt');
        const r = await sb().uploadFiles([[p, enc.encode('Hello from test file!')]]);
        assert.deepEqual(r, [{ path: p, error: null }]);
        assert.equal((await sb().execute(`cat ${p}`)).output.trim(), 'Hello from test file!');
      });

      it('downloads files', async () => {
        const p = P('test-download.txt');
        await sb().uploadFiles([[p, enc.encode('Download test content')]]);
        const r = await sb().downloadFiles([p]);
        assert.equal(r.length, 1);
        assert.equal(r[0].error, null);
        assert.equal(dec.decode(r[0].content).trim(), 'Download test content');
      });

      it('reports file_not_found on download', async () => {
        const r = await sb().downloadFiles([P('nonexistent-file-12345.txt')]);
        assert.equal(r.length, 1);
        assert.equal(r[0].content, null);
        assert.equal(r[0].error, 'file_not_found');
      });

      it('reads with read()', async () => {
        const p = P('read-test.txt');
        await sb().uploadFiles([[p, enc.encode('Read test content')]]);
        has((await sb().read(p)).content, 'Read test content');
      });

      it('writes with write()', async () => {
        const p = P('write-test.txt');
        await sb().write(p, 'Written via BaseSandbox');
        assert.equal((await sb().execute(`cat ${p}`)).output.trim(), 'Written via BaseSandbox');
      });

      it('edits with edit()', async () => {
        const p = P('edit-test.txt');
        await sb().write(p, 'Hello World');
        await sb().edit(p, 'Hello World', 'Hello Edited World');
        assert.equal((await sb().execute(`cat ${p}`)).output.trim(), 'Hello Edited World');
      });

      it('uploads several files at once', async () => {
        const ps = [1, 2, 3].map((i) => P(`multi${i}.txt`));
        const r = await sb().uploadFiles(ps.map((p, i) => [p, enc.encode(`Content ${i + 1}`)]));
        assert.equal(r.length, 3);
        assert.ok(r.every((x) => x.error === null));
        const out = (await sb().execute(`cat ${ps.join(' ')}`)).output;
        for (const i of [1, 2, 3]) has(out, `Content ${i}`);
      });
    });

    // ------------------------------------------------------------ write
    describe('write', () => {
      it('writes a new file', async () => {
        const p = P('wt-new.txt');
        const content = 'Hello, sandbox!\nLine 2\nLine 3';
        const r = await sb().write(p, content);
        assert.equal(r.error, undefined);
        assert.equal(r.path, p);
        assert.equal((await sb().execute(`cat ${p}`)).output.trim(), content);
      });

      it('creates parent directories', async () => {
        const p = P('wt-parents/deep/nested/dir/file.txt');
        assert.equal((await sb().write(p, 'Nested file content')).error, undefined);
        assert.equal((await sb().execute(`cat ${p}`)).output.trim(), 'Nested file content');
      });

      it('overwrites an existing file', async () => {
        const p = P('wt-existing.txt');
        await sb().write(p, 'First content');
        assert.equal((await sb().write(p, 'Second content')).error, undefined);
        assert.equal((await sb().execute(`cat ${p}`)).output.trim(), 'Second content');
      });

      it('keeps special characters and escape sequences', async () => {
        const p = P('wt-special.txt');
        const content = 'Special chars: $VAR, `command`, $(subshell)\nTab\there\nBackslash: \\';
        assert.equal((await sb().write(p, content)).error, undefined);
        assert.equal((await sb().execute(`cat ${p}`)).output.trim(), content);
      });

      it('writes an empty file', async () => {
        const p = P('wt-empty.txt');
        assert.equal((await sb().write(p, '')).error, undefined);
        has((await sb().execute(`[ -f ${p} ] && echo 'exists' || echo 'missing'`)).output, 'exists');
      });

      it('writes a file with spaces in its path', async () => {
        const p = P('wt-spaces/dir with spaces/file name.txt');
        assert.equal((await sb().write(p, 'Content in file with spaces')).error, undefined);
        assert.equal((await sb().execute(`cat '${p}'`)).output.trim(), 'Content in file with spaces');
      });

      it('writes unicode content', async () => {
        const p = P('wt-unicode.txt');
        const content = 'Hello \u{1F44B} \u4E16\u754C \u0645\u0631\u062D\u0628\u0627 \u041F\u0440\u0438\u0432\u0435\u0442 \u{1F30D}\nLine with \u00E9mojis \u{1F389}';
        assert.equal((await sb().write(p, content)).error, undefined);
        assert.equal((await sb().execute(`cat ${p}`)).output.trim(), content);
      });

      it('normalizes consecutive slashes', async () => {
        const base = P('wt-slashes');
        assert.equal((await sb().write(`${base}//subdir///file.txt`, 'Content')).error, undefined);
        assert.equal((await sb().execute(`cat ${base}/subdir/file.txt`)).output.trim(), 'Content');
      });

      it('writes 1000 lines', async () => {
        const p = P('wt-long.txt');
        assert.equal((await sb().write(p, rows(1000, (i) => `Line ${i} with some content here`))).error, undefined);
        assert.match((await sb().execute(`wc -l < ${p}`)).output.trim(), /^(999|1000)$/);
      });

      it('writes content of newlines only', async () => {
        const p = P('wt-newlines.txt');
        assert.equal((await sb().write(p, '\n\n\n\n\n')).error, undefined);
        assert.equal((await sb().execute(`wc -l < ${p}`)).output.trim(), '5');
      });
    });

    // ------------------------------------------------------------ read
    describe('read', () => {
      it('reads a file with line numbers', async () => {
        const p = P('rd-basic.txt');
        await sb().write(p, 'Line 1\nLine 2\nLine 3');
        const r = await sb().read(p);
        assert.equal(r.error, undefined);
        for (const l of ['Line 1', 'Line 2', 'Line 3']) has(r.content, l);
        has(r.content, '     1\tLine 1');
      });

      it('returns an error for a missing file', async () => {
        const r = await sb().read(P('rd-nonexistent-xyz.txt'));
        assert.ok(r.error);
        has(r.error.toLowerCase(), 'not found');
      });

      it('reads an empty file without an error', async () => {
        const p = P('rd-empty.txt');
        await sb().write(p, '');
        assert.equal((await sb().read(p)).error, undefined);
      });

      it('reads from an offset', async () => {
        const p = P('rd-offset.txt');
        await sb().write(p, rows(10, (i) => `Row_${i + 1}_content`));
        const r = await sb().read(p, 5);
        has(r.content, 'Row_6_content');
        hasNot(r.content, 'Row_1_content');
      });

      it('reads up to a limit', async () => {
        const p = P('rd-limit.txt');
        await sb().write(p, rows(100, (i) => `Row_${i + 1}_content`));
        const r = await sb().read(p, 0, 5);
        has(r.content, 'Row_1_content');
        has(r.content, 'Row_5_content');
        hasNot(r.content, 'Row_6_content');
      });

      it('reads with an offset and a limit', async () => {
        const p = P('rd-offset-limit.txt');
        await sb().write(p, rows(20, (i) => `Row_${i + 1}_content`));
        const r = await sb().read(p, 10, 5);
        has(r.content, 'Row_11_content');
        has(r.content, 'Row_15_content');
        hasNot(r.content, 'Row_10_content');
        hasNot(r.content, 'Row_16_content');
      });

      it('reads unicode content', async () => {
        const p = P('rd-unicode.txt');
        await sb().write(p, 'Hello \u{1F44B} \u4E16\u754C\n\u041F\u0440\u0438\u0432\u0435\u0442 \u043C\u0438\u0440\n\u0645\u0631\u062D\u0628\u0627');
        const r = await sb().read(p);
        assert.equal(r.error, undefined);
        for (const s of ['\u{1F44B}', '\u4E16\u754C', '\u041F\u0440\u0438\u0432\u0435\u0442']) has(r.content, s);
      });

      it('reads very long lines', async () => {
        const p = P('rd-long-lines.txt');
        await sb().write(p, `Short line\n${'x'.repeat(3000)}\nAnother short line`);
        const r = await sb().read(p);
        assert.equal(r.error, undefined);
        has(r.content, 'Short line');
      });

      it('returns nothing with limit 0', async () => {
        const p = P('rd-zero-limit.txt');
        await sb().write(p, 'Line 1\nLine 2\nLine 3');
        hasNot((await sb().read(p, 0, 0)).content, 'Line 1');
      });

      it('returns no lines past the end', async () => {
        const p = P('rd-offset-beyond.txt');
        await sb().write(p, 'Line 1\nLine 2\nLine 3');
        const r = await sb().read(p, 100, 10);
        for (const l of ['Line 1', 'Line 2', 'Line 3']) hasNot(r.content, l);
      });

      it('returns no lines at an offset equal to the length', async () => {
        const p = P('rd-offset-exact.txt');
        await sb().write(p, rows(5, (i) => `Line ${i + 1}`));
        const r = await sb().read(p, 5, 10);
        hasNot(r.content, 'Line 1');
        hasNot(r.content, 'Line 5');
      });

      it('reads a large file in chunks', async () => {
        const p = P('rd-chunked.txt');
        await sb().write(p, rows(1000, (i) => `Line_${String(i).padStart(4, '0')}_content`));
        const c1 = await sb().read(p, 0, 100);
        has(c1.content, 'Line_0000_content');
        has(c1.content, 'Line_0099_content');
        hasNot(c1.content, 'Line_0100_content');
        const c2 = await sb().read(p, 500, 100);
        has(c2.content, 'Line_0500_content');
        has(c2.content, 'Line_0599_content');
        hasNot(c2.content, 'Line_0499_content');
        const c3 = await sb().read(p, 900, 100);
        has(c3.content, 'Line_0900_content');
        has(c3.content, 'Line_0999_content');
      });
    });

    // ------------------------------------------------------------ edit
    describe('edit', () => {
      const writeAndEdit = async (name, text, ...args) => {
        const p = P(name);
        await sb().write(p, text);
        return { p, r: await sb().edit(p, ...args) };
      };

      it('edits a single occurrence', async () => {
        const { p, r } = await writeAndEdit('ed-single.txt', 'Hello world\nGoodbye world\nHello again', 'Goodbye', 'Farewell');
        assert.equal(r.error, undefined);
        assert.equal(r.occurrences, 1);
        const c = (await sb().read(p)).content;
        has(c, 'Farewell world');
        hasNot(c, 'Goodbye');
      });

      it('refuses several occurrences without replaceAll', async () => {
        const { p, r } = await writeAndEdit('ed-multi-fail.txt', 'apple\nbanana\napple\norange\napple', 'apple', 'pear', false);
        assert.ok(r.error);
        has(r.error.toLowerCase(), 'multiple');
        const c = (await sb().read(p)).content;
        has(c, 'apple');
        hasNot(c, 'pear');
      });

      it('replaces all occurrences with replaceAll', async () => {
        const { p, r } = await writeAndEdit('ed-replace-all.txt', 'apple\nbanana\napple\norange\napple', 'apple', 'pear', true);
        assert.equal(r.error, undefined);
        assert.equal(r.occurrences, 3);
        const out = (await sb().execute(`cat ${p}`)).output;
        hasNot(out, 'apple');
        assert.equal(out.split('pear').length - 1, 3);
      });

      it('reports a string that is not there', async () => {
        const { r } = await writeAndEdit('ed-not-found.txt', 'Hello world', 'nonexistent', 'replacement');
        assert.ok(r.error);
        has(r.error.toLowerCase(), 'not found');
      });

      it('reports a missing file', async () => {
        const r = await sb().edit(P('ed-nonexistent-xyz.txt'), 'old', 'new');
        assert.ok(r.error);
        has(r.error.toLowerCase(), 'not found');
      });

      it('takes special characters and regex metacharacters literally', async () => {
        const p = P('ed-special.txt');
        await sb().write(p, 'Price: $100.00\nPattern: [a-z]*\nPath: /usr/bin');
        assert.equal((await sb().edit(p, '$100.00', '$200.00')).error, undefined);
        assert.equal((await sb().edit(p, '[a-z]*', '[0-9]+')).error, undefined);
        const c = (await sb().read(p)).content;
        has(c, '$200.00');
        has(c, '[0-9]+');
      });

      it('replaces a multiline string', async () => {
        const { p, r } = await writeAndEdit('ed-multiline.txt', 'Line 1\nLine 2\nLine 3', 'Line 1\nLine 2', 'Combined');
        assert.equal(r.error, undefined);
        assert.equal(r.occurrences, 1);
        const c = (await sb().read(p)).content;
        has(c, 'Combined');
        has(c, 'Line 3');
        hasNot(c, 'Line 1');
      });

      it('deletes by replacing with the empty string', async () => {
        const { p, r } = await writeAndEdit('ed-delete.txt', 'Keep this\nDelete this part\nKeep this too', 'Delete this part\n', '');
        assert.equal(r.error, undefined);
        assert.equal(r.occurrences, 1);
        const c = (await sb().read(p)).content;
        has(c, 'Keep this');
        has(c, 'Keep this too');
        hasNot(c, 'Delete this part');
      });

      it('accepts identical old and new strings', async () => {
        const { p, r } = await writeAndEdit('ed-identical.txt', 'Same text', 'Same text', 'Same text');
        assert.equal(r.error, undefined);
        assert.equal(r.occurrences, 1);
        has((await sb().read(p)).content, 'Same text');
      });

      it('edits unicode', async () => {
        const { p, r } = await writeAndEdit('ed-unicode.txt', 'Hello \u{1F44B} world\n\u4E16\u754C is beautiful', '\u{1F44B}', '\u{1F30D}');
        assert.equal(r.error, undefined);
        assert.equal(r.occurrences, 1);
        const c = (await sb().read(p)).content;
        has(c, '\u{1F30D}');
        hasNot(c, '\u{1F44B}');
      });

      it('edits whitespace-only strings', async () => {
        const { p, r } = await writeAndEdit('ed-whitespace.txt', 'Line1    Line2', '    ', ' ');
        assert.equal(r.error, undefined);
        assert.equal(r.occurrences, 1);
        has((await sb().read(p)).content, 'Line1 Line2');
      });

      it('edits very long strings', async () => {
        const { p, r } = await writeAndEdit('ed-long.txt', `Start\n${'x'.repeat(1000)}\nEnd`, 'x'.repeat(1000), 'y'.repeat(1000));
        assert.equal(r.error, undefined);
        assert.equal(r.occurrences, 1);
        const c = (await sb().read(p)).content;
        has(c, 'y'.repeat(100));
        hasNot(c, 'x'.repeat(100));
      });

      it('keeps line endings', async () => {
        const { p, r } = await writeAndEdit('ed-line-endings.txt', 'Line 1\nLine 2\nLine 3\n', 'Line 2', 'Modified Line 2');
        assert.equal(r.error, undefined);
        const c = (await sb().read(p)).content;
        for (const l of ['Line 1', 'Modified Line 2', 'Line 3']) has(c, l);
        assert.equal((await sb().execute(`cat ${p}`)).output, 'Line 1\nModified Line 2\nLine 3\n');
      });

      it('edits a substring within a line', async () => {
        const { p, r } = await writeAndEdit('ed-partial.txt', 'The quick brown fox jumps over the lazy dog', 'brown fox', 'red cat');
        assert.equal(r.error, undefined);
        assert.equal(r.occurrences, 1);
        has((await sb().execute(`cat ${p}`)).output, 'The quick red cat jumps');
      });
    });

    // ------------------------------------------------------------ ls
    describe('ls', () => {
      const lsFiles = async (dir) => {
        const r = await sb().ls(dir);
        assert.equal(r.error, undefined);
        return r.files || [];
      };

      it('returns absolute paths', async () => {
        const base = P('li-absolute');
        await sb().write(`${base}/file.txt`, 'content');
        const files = await lsFiles(base);
        assert.equal(files.length, 1);
        assert.equal(files[0].path, `${base}/file.txt`);
      });

      it('lists files and subdirectories', async () => {
        const base = P('li-basic');
        await sb().write(`${base}/file1.txt`, 'content1');
        await sb().write(`${base}/file2.txt`, 'content2');
        await sb().execute(`mkdir -p '${base}/subdir'`);
        const files = await lsFiles(base);
        assert.equal(files.length, 3);
        const paths = files.map((f) => noSlash(f.path));
        for (const n of ['file1.txt', 'file2.txt', 'subdir']) assert.ok(paths.includes(`${base}/${n}`), n);
        for (const f of files) assert.equal(f.is_dir, noSlash(f.path).endsWith('/subdir'));
      });

      it('returns an empty list for an empty directory', async () => {
        const dir = P('li-empty-dir');
        await sb().execute(`mkdir -p '${dir}'`);
        assert.deepEqual(await lsFiles(dir), []);
      });

      it('returns an empty list for a missing directory', async () => {
        assert.deepEqual(await lsFiles(P('li-does-not-exist-12345')), []);
      });

      it('includes hidden files', async () => {
        const base = P('li-hidden');
        await sb().write(`${base}/.hidden`, 'hidden content');
        await sb().write(`${base}/visible.txt`, 'visible content');
        const paths = (await lsFiles(base)).map((f) => f.path);
        assert.ok(paths.includes(`${base}/.hidden`));
        assert.ok(paths.includes(`${base}/visible.txt`));
      });

      it('lists names with spaces', async () => {
        const base = P('li-spaces');
        await sb().write(`${base}/file with spaces.txt`, 'content');
        await sb().execute(`mkdir -p '${base}/dir with spaces'`);
        const paths = (await lsFiles(base)).map((f) => noSlash(f.path));
        assert.ok(paths.includes(`${base}/file with spaces.txt`));
        assert.ok(paths.includes(`${base}/dir with spaces`));
      });

      it('lists unicode names', async () => {
        const base = P('li-unicode');
        await sb().write(`${base}/\u6D4B\u8BD5\u6587\u4EF6.txt`, 'content');
        await sb().write(`${base}/\u0444\u0430\u0439\u043B.txt`, 'content');
        assert.equal((await lsFiles(base)).length, 2);
      });

      it('lists a directory of 50 files', async () => {
        const base = P('li-large');
        await sb().execute(`mkdir -p '${base}' && cd '${base}' && for i in $(seq 0 49); do echo 'content' > file_$(printf '%03d' $i).txt; done`);
        const files = await lsFiles(base);
        assert.equal(files.length, 50);
        const paths = files.map((f) => f.path);
        assert.ok(paths.includes(`${base}/file_000.txt`));
        assert.ok(paths.includes(`${base}/file_049.txt`));
      });

      it('takes a trailing slash', async () => {
        const base = P('li-trailing');
        await sb().write(`${base}/file.txt`, 'content');
        assert.ok((await lsFiles(`${base}/`)).length >= 1);
      });

      it('lists names with special characters', async () => {
        const base = P('li-special-chars');
        await sb().write(`${base}/file(1).txt`, 'content');
        await sb().write(`${base}/file-3.txt`, 'content');
        const paths = (await lsFiles(base)).map((f) => f.path);
        assert.ok(paths.includes(`${base}/file(1).txt`));
        assert.ok(paths.includes(`${base}/file-3.txt`));
      });
    });

    // ------------------------------------------------------------ grep
    describe('grep', () => {
      const grepOk = async (...args) => {
        const r = await sb().grep(...args);
        assert.equal(r.error, undefined);
        return r.matches;
      };

      it('finds literal matches', async () => {
        const base = P('gr-basic');
        await sb().write(`${base}/file1.txt`, 'Hello world\nGoodbye world');
        await sb().write(`${base}/file2.txt`, 'Hello there\nGoodbye friend');
        const m = await grepOk('Hello', base);
        assert.equal(m.length, 2);
        assert.ok(m.some((x) => x.path.includes('file1.txt')));
        assert.ok(m.some((x) => x.path.includes('file2.txt')));
        for (const x of m) {
          assert.equal(x.line, 1);
          has(x.text, 'Hello');
        }
      });

      it('filters files with a glob', async () => {
        const base = P('gr-glob');
        for (const ext of ['txt', 'py', 'md']) await sb().write(`${base}/test.${ext}`, 'pattern_match');
        const m = await grepOk('pattern_match', base, '*.py');
        assert.equal(m.length, 1);
        has(m[0].path, 'test.py');
      });

      it('returns no matches when there are none', async () => {
        const base = P('gr-no-match');
        await sb().write(`${base}/file.txt`, 'Hello world');
        assert.equal((await grepOk('nonexistent_str', base)).length, 0);
      });

      it('finds several matches in one file', async () => {
        const base = P('gr-multi');
        await sb().write(`${base}/fruits.txt`, 'apple\nbanana\napple\norange\napple');
        const m = await grepOk('apple', base);
        assert.deepEqual(m.map((x) => x.line), [1, 3, 5]);
      });

      it('matches literally, not as a regex', async () => {
        const base = P('gr-literal');
        await sb().write(`${base}/numbers.txt`, 'test123\ntest456\nabcdef');
        const m = await grepOk('test123', base);
        assert.equal(m.length, 1);
        has(m[0].text, 'test123');
      });

      it('finds unicode patterns', async () => {
        const base = P('gr-unicode');
        await sb().write(`${base}/unicode.txt`, 'Hello \u4E16\u754C\n\u041F\u0440\u0438\u0432\u0435\u0442 \u043C\u0438\u0440\n\u6D4B\u8BD5 pattern');
        const m = await grepOk('\u4E16\u754C', base);
        assert.equal(m.length, 1);
        has(m[0].text, '\u4E16\u754C');
      });

      it('is case-sensitive', async () => {
        const base = P('gr-case');
        await sb().write(`${base}/case.txt`, 'Hello\nhello\nHELLO');
        const m = await grepOk('Hello', base);
        assert.equal(m.length, 1);
        has(m[0].text, 'Hello');
      });

      it('takes special characters literally', async () => {
        const base = P('gr-special');
        await sb().write(`${base}/special.txt`, 'Price: $100\nPath: /usr/bin\nPattern: [a-z]*');
        const m1 = await grepOk('$100', base);
        assert.equal(m1.length, 1);
        has(m1[0].text, '$100');
        const m2 = await grepOk('[a-z]*', base);
        assert.equal(m2.length, 1);
        has(m2[0].text, '[a-z]*');
      });

      it('returns no matches in an empty directory', async () => {
        const base = P('gr-empty-dir');
        await sb().execute(`mkdir -p '${base}'`);
        assert.equal((await grepOk('anything', base)).length, 0);
      });

      it('searches nested directories', async () => {
        const base = P('gr-nested');
        for (const f of ['root.txt', 'sub1/level1.txt', 'sub1/sub2/level2.txt']) await sb().write(`${base}/${f}`, 'target_nested here');
        assert.equal((await grepOk('target_nested', base)).length, 3);
      });

      it('reports the right line numbers', async () => {
        const base = P('gr-line-nums');
        await sb().write(`${base}/long.txt`, rows(100, (i) => `Line ${i + 1}`));
        const m = await grepOk('Line 50', base);
        assert.equal(m.length, 1);
        assert.equal(m[0].line, 50);
      });
    });

    // ------------------------------------------------------------ glob
    describe('glob', () => {
      const globFiles = async (pattern, dir) => {
        const r = await sb().glob(pattern, dir);
        assert.equal(r.error, undefined);
        return r.files || [];
      };

      it('matches a wildcard', async () => {
        const base = P('gl-basic');
        for (const f of ['file1.txt', 'file2.txt', 'file3.py']) await sb().write(`${base}/${f}`, 'content');
        const paths = (await globFiles('*.txt', base)).map((f) => f.path);
        assert.equal(paths.length, 2);
        assert.ok(paths.includes('file1.txt') && paths.includes('file2.txt'));
        assert.ok(paths.every((p) => !p.endsWith('.py')));
      });

      it('matches recursively with **', async () => {
        const base = P('gl-recursive');
        for (const f of ['root.txt', 'subdir1/nested1.txt', 'subdir2/nested2.txt']) await sb().write(`${base}/${f}`, 'content');
        const paths = (await globFiles('**/*.txt', base)).map((f) => f.path);
        assert.ok(paths.length >= 2);
        assert.ok(paths.some((p) => p.includes('nested1.txt')));
        assert.ok(paths.some((p) => p.includes('nested2.txt')));
      });

      it('returns an empty array when nothing matches', async () => {
        const base = P('gl-no-match');
        await sb().write(`${base}/file.txt`, 'content');
        assert.deepEqual(await globFiles('*.py', base), []);
      });

      it('includes directories', async () => {
        const base = P('gl-dirs');
        await sb().execute(`mkdir -p '${base}/dir1' '${base}/dir2'`);
        await sb().write(`${base}/file.txt`, 'content');
        const files = await globFiles('*', base);
        assert.equal(files.length, 3);
        assert.equal(files.filter((f) => f.is_dir).length, 2);
        assert.equal(files.filter((f) => !f.is_dir).length, 1);
      });

      it('matches one extension', async () => {
        const base = P('gl-ext');
        for (const ext of ['py', 'txt', 'md']) await sb().write(`${base}/test.${ext}`, 'content');
        const files = await globFiles('*.py', base);
        assert.equal(files.length, 1);
        has(files[0].path, 'test.py');
      });

      it('matches hidden files explicitly', async () => {
        const base = P('gl-hidden');
        for (const f of ['.hidden1', '.hidden2', 'visible.txt']) await sb().write(`${base}/${f}`, 'content');
        const paths = (await globFiles('.*', base)).map((f) => f.path);
        assert.ok(paths.some((p) => p.includes('.hidden1') || p.includes('.hidden2')));
        assert.ok(paths.every((p) => !p.includes('visible')));
      });

      it('matches character classes', async () => {
        const base = P('gl-charclass');
        for (const f of ['file1.txt', 'file2.txt', 'file3.txt', 'fileA.txt']) await sb().write(`${base}/${f}`, 'content');
        const paths = (await globFiles('file[1-2].txt', base)).map((f) => f.path);
        assert.deepEqual([...paths].sort(), ['file1.txt', 'file2.txt']);
      });

      it('matches a single character with ?', async () => {
        const base = P('gl-question');
        for (const f of ['file1.txt', 'file2.txt', 'file10.txt']) await sb().write(`${base}/${f}`, 'content');
        const paths = (await globFiles('file?.txt', base)).map((f) => f.path);
        assert.equal(paths.length, 2);
        assert.ok(!paths.includes('file10.txt'));
      });

      it('matches several extensions separately', async () => {
        const base = P('gl-multi-ext');
        for (const ext of ['txt', 'py', 'md', 'js']) await sb().write(`${base}/file.${ext}`, 'content');
        assert.equal((await globFiles('*.txt', base)).length, 1);
        assert.equal((await globFiles('*.py', base)).length, 1);
      });

      it('matches deeply nested paths', async () => {
        const base = P('gl-deep');
        await sb().write(`${base}/a/b/c/d/deep.txt`, 'content');
        await sb().write(`${base}/a/b/other.txt`, 'content');
        const files = await globFiles('**/deep.txt', base);
        assert.ok(files.length >= 1);
        assert.ok(files.some((f) => f.path.includes('deep.txt')));
      });
    });

    // ------------------------------------------------------------ initial files
    describe('initialFiles', () => {
      const withSandbox = async (initialFiles, fn) => {
        const tmp = await cfg.create({ initialFiles });
        try {
          assert.equal(tmp.isRunning, true);
          await fn(tmp);
        } finally {
          await cfg.close(tmp);
        }
      };

      it('creates a sandbox with initial files', async () => {
        const a = P('init-test.txt');
        const b = P('nested/dir/file.txt');
        await withSandbox({ [a]: 'Hello from initial file!', [b]: 'Nested content' }, async (t) => {
          const r1 = await t.execute(`cat ${a}`);
          assert.equal(r1.exitCode, 0);
          assert.equal(r1.output.trim(), 'Hello from initial file!');
          const r2 = await t.execute(`cat ${b}`);
          assert.equal(r2.exitCode, 0);
          assert.equal(r2.output.trim(), 'Nested content');
        });
      });

      it('creates deeply nested initial files', async () => {
        const a = P('src/components/Button/index.tsx');
        const b = P('src/utils/helpers/string.ts');
        await withSandbox({
          [a]: 'export const Button = () => <button>Click</button>;',
          [b]: 'export const capitalize = (s: string) => s.toUpperCase();',
        }, async (t) => {
          has((await t.execute(`cat ${a}`)).output, 'Button');
          has((await t.execute(`cat ${b}`)).output, 'capitalize');
        });
      });

      it('accepts an empty initialFiles object', async () => {
        await withSandbox({}, async (t) => {
          const r = await t.execute('echo "Works!"');
          assert.equal(r.exitCode, 0);
          has(r.output, 'Works!');
        });
      });

      it('makes initial files readable with read()', async () => {
        const p = P('init-read-test.txt');
        await withSandbox({ [p]: 'Content for read test' }, async (t) => {
          has((await t.read(p)).content, 'Content for read test');
        });
      });

      it('makes initial files downloadable', async () => {
        const p = P('init-download-test.txt');
        await withSandbox({ [p]: 'Content for download test' }, async (t) => {
          const r = await t.downloadFiles([p]);
          assert.equal(r[0].error, null);
          has(dec.decode(r[0].content), 'Content for download test');
        });
      });

      it('runs a script made from initial files', async () => {
        const p = P('init-script.sh');
        await withSandbox({ [p]: '#!/bin/sh\necho "Hello from initialFiles script"' }, async (t) => {
          const r = await t.execute(`sh ${p}`);
          assert.equal(r.exitCode, 0);
          assert.equal(r.output.trim(), 'Hello from initialFiles script');
        });
      });

      it('shows initial files in subdirectories with ls()', async () => {
        const dir = P('init-ls-dir');
        await withSandbox({ [`${dir}/file.txt`]: 'ls test content' }, async (t) => {
          const r = await t.ls(dir);
          assert.equal(r.error, undefined);
          assert.ok((r.files || []).map((e) => noSlash(e.path)).includes(`${dir}/file.txt`));
        });
      });
    });

    // ------------------------------------------------------------ integration
    describe('integration workflows', () => {
      it('writes, reads, edits and reads again', async () => {
        const p = P('intg-workflow.txt');
        assert.equal((await sb().write(p, 'Original content')).error, undefined);
        has((await sb().read(p)).content, 'Original content');
        assert.equal((await sb().edit(p, 'Original', 'Modified')).error, undefined);
        const c = (await sb().read(p)).content;
        has(c, 'Modified content');
        hasNot(c, 'Original');
      });

      it('handles a directory tree with ls, glob and grep', async () => {
        const base = P('intg-complex');
        await sb().write(`${base}/root.txt`, 'root file');
        await sb().write(`${base}/subdir1/file1.txt`, 'file 1');
        await sb().write(`${base}/subdir1/file2.py`, 'file 2');
        await sb().write(`${base}/subdir2/file3.txt`, 'file 3');
        const ls = await sb().ls(base);
        assert.equal(ls.error, undefined);
        const paths = ls.files.map((f) => noSlash(f.path));
        for (const n of ['root.txt', 'subdir1', 'subdir2']) assert.ok(paths.includes(`${base}/${n}`), n);
        const g = await sb().glob('**/*.txt', base);
        assert.equal(g.error, undefined);
        assert.equal(g.files.length, 3);
        const m = await sb().grep('file', base);
        assert.equal(m.error, undefined);
        assert.ok(m.matches.length >= 3);
      });
    });
  });
}
