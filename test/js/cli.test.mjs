// The wasmsh CLI (js/cli/wasmsh.mjs) as a user runs it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'js', 'cli', 'wasmsh.mjs');

function cli(args, input) {
  const r = spawnSync(process.execPath, [CLI, ...args], { input: input ?? '', encoding: 'utf8', timeout: 60000 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

describe('wasmsh CLI', function () {
  this.timeout(120000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wasmsh-cli-'));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('-c SCRIPT NAME ARGS, python3 in a pipeline, stdin and the exit status', () => {
    const r = cli(['-c', 'echo "$0:$1"; python3 -c "print(6*7)" | tr 4 x; cat; exit 3', 'name', 'arg'], 'in\n');
    assert.equal(r.stdout, 'name:arg\nx2\nin\n');
    assert.equal(r.status, 3);
  });

  it('FILE ARGS from the host; a script on stdin; --no-python', () => {
    const f = path.join(tmp, 's.sh');
    fs.writeFileSync(f, 'echo "file $1 $#"\n');
    assert.equal(cli([f, 'A', 'B']).stdout, 'file A 2\n');
    const r = cli(['--no-python'], 'echo piped; python3 -c 1; echo $?\n');
    assert.equal(r.stdout, 'piped\n127\n');
  });

  it('--copy-in, --copy-out, --cwd; host files are otherwise unreachable', () => {
    const inDir = path.join(tmp, 'in');
    fs.mkdirSync(inDir);
    fs.writeFileSync(path.join(inDir, 'data.txt'), 'hello\n');
    const out = path.join(tmp, 'out');
    const r = cli(['--cwd', '/work', '--copy-in', `${inDir}:/work/in`, '--copy-out', `/work/result:${out}`,
      '-c', `pwd; cat in/data.txt; mkdir result; python3 -c 'print("made")' > result/r.txt; cat ${inDir}/data.txt 2>/dev/null || echo unreachable`]);
    assert.equal(r.stdout, '/work\nhello\nunreachable\n');
    assert.equal(fs.readFileSync(path.join(out, 'r.txt'), 'utf8'), 'made\n');
  });

  it('--budget-ms stops a runaway script; --allow-host is checked; bad options are errors', () => {
    const r = cli(['--budget-ms', '200', '-c', 'while :; do :; done']);
    assert.equal(r.status, 124);
    assert.match(r.stderr, /time limit exceeded/);
    const bad = cli(['--frob']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--frob: invalid option/);
    const host = cli(['--allow-host', 'bad host!', '-c', 'true']);
    assert.notEqual(host.status, 0);
    assert.match(host.stderr, /allowedHosts: invalid entry/);
  });
});
