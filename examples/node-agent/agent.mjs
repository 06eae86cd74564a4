#!/usr/bin/env node
// agent.mjs - a Deep Agents agent whose shell, python3 and files are a wasmsh
// sandbox in this Node process. Nothing of the machine is reachable from the
// agent's commands: they run in WebAssembly, on an in-memory filesystem.
//
//   node agent.mjs                      the scripted model (no LLM, no key): what CI runs
//   WASMSH_EXAMPLE_MODEL=anthropic:claude-sonnet-4-5 node agent.mjs "your task"
//                                       a real model (npm install @langchain/anthropic first)
import { createDeepAgent } from 'deepagents';
import { fakeModel } from '@langchain/core/testing';
import { AIMessage, HumanMessage } from '@langchain/core/messages';
import { WasmshSandbox } from 'langchain-wasmsh';

const SALES = `region,product,units,price
north,widget,12,2.50
south,widget,7,2.50
north,gadget,3,10.00
east,widget,20,2.25
south,gadget,5,9.50
`;

const TASK = process.argv[2] || 'Which region sold the most, by revenue? Data: /workspace/sales.csv';

// What a model would do for the default task, as a script: look, compute with
// the shell and Python, check, answer.
function scriptedModel() {
  const report = [
    'import csv, collections',
    'rev = collections.Counter()',
    "for r in csv.DictReader(open('/workspace/sales.csv')):",
    "    rev[r['region']] += int(r['units']) * float(r['price'])",
    'for region, total in rev.most_common():',
    "    print(f'{region}\\t{total:.2f}')",
  ].join('\n');
  return fakeModel()
    .respondWithTools([{ name: 'ls', args: { path: '/workspace' } }])
    .respondWithTools([{ name: 'execute', args: { command: "head -n 3 /workspace/sales.csv; echo; cut -d, -f1 /workspace/sales.csv | tail -n +2 | sort | uniq -c" } }])
    .respondWithTools([{ name: 'write_file', args: { file_path: '/workspace/revenue.py', content: `${report}\n` } }])
    .respondWithTools([{ name: 'execute', args: { command: 'python3 /workspace/revenue.py | tee /workspace/revenue.tsv' } }])
    .respondWithTools([{ name: 'grep', args: { pattern: 'north', path: '/workspace', glob: '*.tsv' } }])
    .respond((messages) => {
      // the answer from what the tools returned: the first line of the Python report
      const run = messages.filter((m) => m.getType() === 'tool' && m.name === 'execute').at(-1);
      const [region, total] = String(run.content).split('\n')[0].split('\t');
      return new AIMessage(`${region} sold the most by revenue: ${total}.`);
    });
}

const sandbox = await WasmshSandbox.create({ initialFiles: { '/workspace/sales.csv': SALES }, timeout: 60 });
try {
  const model = process.env.WASMSH_EXAMPLE_MODEL || scriptedModel();
  const agent = createDeepAgent({
    model,
    backend: sandbox,
    systemPrompt: 'You work in a sandbox with a bash shell, GNU-style utilities and python3. Files are under /workspace.',
  });
  const result = await agent.invoke({ messages: [new HumanMessage(TASK)] }, { recursionLimit: 50 });
  for (const m of result.messages) {
    if (m.getType() === 'ai' && m.tool_calls && m.tool_calls.length) {
      for (const c of m.tool_calls) console.log(`tool call: ${c.name} ${JSON.stringify(c.args).slice(0, 100)}`);
    }
  }
  console.log('revenue.tsv:');
  process.stdout.write((await sandbox.execute('cat /workspace/revenue.tsv')).output);
  console.log(`answer: ${result.messages.at(-1).content}`);
} finally {
  await sandbox.close();
}
