// agent.test.mjs - an end-to-end Deep Agents run on WasmshSandbox: a
// createDeepAgent agent driven by langchain's scripted fake chat model (no
// LLM) that calls every tool deepagents 1.14 gives an agent with a sandbox
// backend (write_file, ls, read_file, edit_file, glob, grep, execute, delete,
// task; task's general-purpose subagent runs a command of its own), some of
// them in one turn (concurrent tool calls). Each tool's result is checked in the
// messages the model was given and in the sandbox's files.
import assert from 'node:assert/strict';

import { createDeepAgent } from 'deepagents';
import { fakeModel } from '@langchain/core/testing';
import { AIMessage, HumanMessage } from '@langchain/core/messages';

import { WasmshSandbox } from './helpers.mjs';

// a message's text (content is a string or a list of blocks)
const textOf = (m) => (typeof m.content === 'string' ? m.content
  : m.content.map((b) => (typeof b === 'string' ? b : b.text ?? JSON.stringify(b))).join(''));

describe('createDeepAgent on WasmshSandbox (scripted model)', function () {
  let sandbox;
  before(async () => {
    sandbox = await WasmshSandbox.create({ initialFiles: { '/workspace/data.csv': 'b,2\na,1\nc,3\n' } });
  });
  after(() => sandbox.close());

  it('calls every tool, and each one works', async () => {
    const toolsSeen = (messages) => messages.filter((m) => m.getType() === 'tool');
    const model = fakeModel()
      .respondWithTools([{ name: 'write_file', args: { file_path: '/workspace/notes.md', content: 'hello\nworld\n' } }])
      .respondWithTools([
        { name: 'ls', args: { path: '/workspace' } },
        { name: 'read_file', args: { file_path: '/workspace/notes.md' } },
      ])
      .respondWithTools([{ name: 'edit_file', args: { file_path: '/workspace/notes.md', old_string: 'world', new_string: 'wasmsh' } }])
      .respondWithTools([
        { name: 'glob', args: { pattern: '**/*.md', path: '/workspace' } },
        { name: 'grep', args: { pattern: 'wasmsh', path: '/workspace' } },
      ])
      .respondWithTools([{ name: 'execute', args: { command: "sort /workspace/data.csv | cut -d, -f1 | tr '\\n' ' '; python3 -c 'print(6*7)'" } }])
      .respondWithTools([{ name: 'task', args: { description: 'Count the lines of /workspace/data.csv', subagent_type: 'general-purpose' } }])
      // the subagent's turns
      .respondWithTools([{ name: 'execute', args: { command: 'wc -l < /workspace/data.csv' } }])
      .respond((messages) => new AIMessage(`subagent saw: ${textOf(toolsSeen(messages).at(-1)).split('\n')[0]}`))
      // back in the main agent
      .respondWithTools([{ name: 'delete', args: { file_path: '/workspace/data.csv' } }])
      .respond(new AIMessage('All done.'));

    const agent = createDeepAgent({ model, backend: sandbox });
    const result = await agent.invoke({ messages: [new HumanMessage('Work on /workspace.')] }, { recursionLimit: 60 });

    const byName = {};
    for (const m of toolsSeen(result.messages)) byName[m.name] = textOf(m);
    const names = Object.keys(byName).sort();
    assert.deepEqual(names, ['delete', 'edit_file', 'execute', 'glob', 'grep', 'ls', 'read_file', 'task', 'write_file']);

    assert.match(byName.write_file, /notes\.md/);
    assert.match(byName.ls, /\/workspace\/notes\.md/);
    assert.match(byName.ls, /\/workspace\/data\.csv/);
    assert.match(byName.read_file, /hello/);
    assert.match(byName.edit_file, /notes\.md/);
    assert.match(byName.glob, /notes\.md/);
    assert.match(byName.grep, /notes\.md/);
    assert.match(byName.execute, /^a b c 42\n/);
    assert.match(byName.execute, /Command succeeded with exit code 0/);
    assert.equal(byName.task, 'subagent saw: 3');
    assert.match(byName.delete, /data\.csv/);
    assert.equal(result.messages.at(-1).content, 'All done.');

    // the files the tools left behind
    assert.equal((await sandbox.execute('cat /workspace/notes.md')).output, 'hello\nwasmsh\n');
    assert.equal((await sandbox.execute('test -e /workspace/data.csv; echo $?')).output, '1\n');
    assert.equal(model.callCount, 10);
  });
});
