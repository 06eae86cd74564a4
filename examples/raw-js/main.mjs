#!/usr/bin/env node
// main.mjs - wasmsh from plain JavaScript, no LLM and no agent framework:
// 1. the session API of the `wasmsh` package (run, files, budgets, streaming),
// 2. WasmshSandbox as a library for a tool loop of your own: the tool calls a
//    model would make, as JSON, dispatched to the sandbox's methods.
import { createSession } from 'wasmsh';
import { WasmshSandbox } from 'langchain-wasmsh';

// ---------------------------------------------------------------- 1. a session
const s = await createSession({ cwd: '/workspace', files: { 'words.txt': 'pear\napple\nfig\napple\n' } });

const r = await s.run("sort words.txt | uniq -c | sort -rn | head -n 1");
console.log(`most common: ${r.stdout.trim()} (exit ${r.exitCode})`);

// python3 in the same filesystem and pipeline
const py = await s.run("python3 -c 'import json,sys; print(json.dumps(sorted(set(sys.stdin.read().split()))))' < words.txt");
console.log(`python3: ${py.stdout.trim()}`);

// output as it is produced
const chunks = [];
await s.run('for i in 1 2 3; do echo "step $i"; done', { onStdout: (t) => chunks.push(t) });
console.log(`streamed ${chunks.join('').split('\n').filter(Boolean).length} lines`);

// a budget stop is a result, not an exception
const slow = await s.run('while :; do :; done', { timeoutMs: 200 });
console.log(`budget: exit ${slow.exitCode}, stopReason ${slow.stopReason}`);

// files from the host side
s.writeFile('/workspace/data/n.txt', '3\n1\n2\n');
const sum = await s.run("paste -sd+ data/n.txt | python3 -c 'print(eval(input()))'");
console.log(`sum: ${sum.stdout.trim()}; listDir: ${s.listDir('/workspace').map((e) => e.name).join(',')}`);
s.close();

// ---------------------------------------------------------------- 2. your own tool loop
const sandbox = await WasmshSandbox.create({ timeout: 10, maxOutputBytes: 2000 });
const tools = {
  execute: ({ command }) => sandbox.execute(command),
  write_file: ({ file_path, content }) => sandbox.write(file_path, content),
  read_file: ({ file_path, offset, limit }) => sandbox.read(file_path, offset, limit),
  edit_file: ({ file_path, old_string, new_string }) => sandbox.edit(file_path, old_string, new_string),
  ls: ({ path }) => sandbox.ls(path),
  glob: ({ pattern, path }) => sandbox.glob(pattern, path),
  grep: ({ pattern, path, glob }) => sandbox.grep(pattern, path, glob),
};
// what a model might ask for, one call at a time
const calls = [
  { name: 'write_file', args: { file_path: '/workspace/app.py', content: 'def add(a, b):\n    return a - b\n' } },
  { name: 'execute', args: { command: "cd /workspace && python3 -c 'from app import add; print(add(2, 3))'" } },
  { name: 'grep', args: { pattern: 'return', path: '/workspace', glob: '*.py' } },
  { name: 'edit_file', args: { file_path: '/workspace/app.py', old_string: 'a - b', new_string: 'a + b' } },
  { name: 'execute', args: { command: "cd /workspace && python3 -c 'from app import add; print(add(2, 3))'" } },
  { name: 'glob', args: { pattern: '**/*.py', path: '/workspace' } },
  { name: 'execute', args: { command: 'seq 1 100000' } },
];
for (const call of calls) {
  const result = await tools[call.name](call.args);
  const shown = call.name === 'execute'
    ? `exit ${result.exitCode}${result.truncated ? ', truncated' : ''}: ${result.output.trim().split('\n').slice(0, 2).join(' | ')}`
    : JSON.stringify(result.matches ?? result.files?.map((f) => f.path) ?? result.occurrences ?? result.path ?? result);
  console.log(`${call.name}: ${shown}`);
}
await sandbox.close();
