// main.js - a Deep Agents agent that runs in the page: its sandbox is a wasmsh
// session (the shell, its utilities and python3 in Pyodide, in a Web Worker),
// its model a scripted stand-in (langchain's fakeModel: no LLM, no key). Swap
// in a real chat model to make it a real agent; the sandbox does not change.
import { createDeepAgent } from 'deepagents';
import { fakeModel } from '@langchain/core/testing';
import { AIMessage, HumanMessage } from '@langchain/core/messages';
import { WasmshSandbox } from 'langchain-wasmsh';
import './style.css';

const $ = (id) => document.getElementById(id);
const POEM = 'the sea the sky\nthe wind on the sea\nsky and sea and sand\n';

function status(state, text) {
  $('status').dataset.state = state;
  $('status').textContent = text;
}

function step(name, detail, result) {
  const li = document.createElement('li');
  li.innerHTML = '<b></b> <code></code><pre></pre>';
  li.children[0].textContent = name;
  li.children[1].textContent = detail;
  li.children[2].textContent = result;
  li.dataset.tool = name;
  $('steps').append(li);
}

const textOf = (m) => (typeof m.content === 'string' ? m.content
  : m.content.map((b) => (typeof b === 'string' ? b : b.text ?? '')).join(''));

// What a model would do for the task: look, count with a pipeline, check with Python, answer.
function scriptedModel() {
  return fakeModel()
    .respondWithTools([{ name: 'ls', args: { path: '/workspace' } }])
    .respondWithTools([{ name: 'read_file', args: { file_path: '/workspace/poem.txt' } }])
    .respondWithTools([{ name: 'execute', args: { command: "tr -s ' ' '\\n' < /workspace/poem.txt | sort | uniq -c | sort -rn | head -n 3" } }])
    .respondWithTools([{ name: 'write_file', args: { file_path: '/workspace/count.py', content: "import collections\nwords = open('/workspace/poem.txt').read().split()\nprint(len(words), collections.Counter(words).most_common(3))\n" } }])
    .respondWithTools([{ name: 'execute', args: { command: 'python3 /workspace/count.py' } }])
    .respondWithTools([{ name: 'grep', args: { pattern: 'sand', path: '/workspace', glob: '*.txt' } }])
    .respond((messages) => {
      const run = messages.filter((m) => m.getType() === 'tool' && m.name === 'execute').at(-1);
      return new AIMessage(`Python says: ${textOf(run).split('\n')[0]}`);
    });
}

let sandbox;
try {
  const t0 = performance.now();
  sandbox = await WasmshSandbox.create({ runtime: 'pyodide', initialFiles: { '/workspace/poem.txt': POEM }, timeout: 30 });
  status('ready', `ready (sandbox ${sandbox.id}, ${Math.round(performance.now() - t0)} ms)`);
  $('prompt').disabled = false;
  $('go').disabled = false;
} catch (e) {
  status('failed', `failed: ${e.message}`);
  throw e;
}

$('task').onsubmit = async (ev) => {
  ev.preventDefault();
  $('go').disabled = true;
  $('steps').replaceChildren();
  $('answer').textContent = '';
  document.body.dataset.done = '';
  try {
    const agent = createDeepAgent({ model: scriptedModel(), backend: sandbox });
    const result = await agent.invoke({ messages: [new HumanMessage($('prompt').value)] }, { recursionLimit: 40 });
    const calls = new Map();
    for (const m of result.messages) {
      if (m.getType() === 'ai') for (const c of m.tool_calls || []) calls.set(c.id, c);
      if (m.getType() === 'tool') {
        const c = calls.get(m.tool_call_id);
        step(m.name, JSON.stringify(c ? c.args : {}), textOf(m));
      }
    }
    $('answer').textContent = textOf(result.messages.at(-1));
    document.body.dataset.done = '1';
  } catch (e) {
    $('answer').textContent = `error: ${e.message}`;
    document.body.dataset.done = 'error';
  } finally {
    $('go').disabled = false;
  }
};
