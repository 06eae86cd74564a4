// examples.test.mjs - the JS examples run as their READMEs say (node, in
// their folder, the packages found through node_modules links: make
// agents-ts-links), and print what their READMEs show.
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
