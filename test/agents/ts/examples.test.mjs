// examples.test.mjs - the JS examples run as their READMEs say (node, in
// their folder, the packages found through node_modules links: make
// agents-ts-links), and print what their READMEs show; the npm tarballs of
// wasmsh and langchain-wasmsh install beside deepagents and run.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function runExample(dir, script) {
  return new Promise((resolve) => {
    execFile(process.execPath, [script], { cwd: path.join(root, dir), timeout: 180000, env: { ...process.env, WASMSH_EXAMPLE_MODEL: '' } },
      (err, stdout, stderr) => resolve({ code: err ? err.code ?? 1 : 0, stdout, stderr }));
  });
}

/** The first fenced block without a language in a README: the output it shows. */
function readmeOutput(dir) {
  const lines = fs.readFileSync(path.join(root, dir, 'README.md'), 'utf8').split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith('```')) continue;
    const lang = lines[i].slice(3).trim();
    const start = i + 1;
    while (++i < lines.length && !lines[i].startsWith('```'));
    blocks.push({ lang, text: `${lines.slice(start, i).join('\n')}\n` });
  }
  return blocks.find((b) => !b.lang).text;
}

describe('JS examples', () => {
  it('examples/raw-js prints what its README shows', async () => {
    const r = await runExample('examples/raw-js', 'main.mjs');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, readmeOutput('examples/raw-js'));
  });

  it('examples/node-agent runs its scripted agent to the answer', async () => {
    const r = await runExample('examples/node-agent', 'agent.mjs');
    assert.equal(r.code, 0, r.stderr);
    const shown = readmeOutput('examples/node-agent');
    // the README shortens the tool calls; the file and the answer are exact
    for (const line of shown.split('\n').filter(Boolean)) {
      if (line.startsWith('tool call: ')) assert.ok(r.stdout.includes(line.split(' {')[0]), line);
      else assert.ok(r.stdout.split('\n').includes(line), `${line} in\n${r.stdout}`);
    }
  });
});

describe('the npm tarballs', () => {
  it('install (deepagents from npm\'s cache or the registry) and run a sandbox', async function () {
    const tgz = (n) => path.join(root, 'build', 'npm', `${n}-0.1.0.tgz`);
    if (!fs.existsSync(tgz('langchain-wasmsh'))) this.skip(); // make test-agents-ts packs it
    const dir = fs.mkdtempSync(path.join(root, 'build', 'npm-install-'));
    try {
      const run = (cmd, args) => new Promise((resolve) => {
        execFile(cmd, args, { cwd: dir, timeout: 180000 }, (err, stdout, stderr) => resolve({ code: err ? err.code ?? 1 : 0, stdout, stderr }));
      });
      fs.writeFileSync(path.join(dir, 'package.json'), '{"name": "t", "private": true, "type": "module"}\n');
      const inst = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tgz('wasmsh'), tgz('langchain-wasmsh'),
        'deepagents@1.14.1', '@langchain/core@1.4.0']);
      assert.equal(inst.code, 0, inst.stderr);
      fs.writeFileSync(path.join(dir, 't.mjs'), [
        "import { WasmshSandbox } from 'langchain-wasmsh';",
        "const sb = await WasmshSandbox.create({ initialFiles: { '/workspace/a.txt': 'x\\ny\\n' } });",
        "const r = await sb.execute('wc -l < /workspace/a.txt');",
        "console.log(r.output.trim(), (await sb.ls('/workspace')).files.map((f) => f.path).join());",
        'await sb.close();',
      ].join('\n'));
      const r = await run(process.execPath, ['t.mjs']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, '2 /workspace/a.txt\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
