// alongside.js - a page that already uses Pyodide attaches wasmsh to its own
// instance: Python (pyodide.runPython) and the shell see the same files.
// The shell runs on this thread here, so give long commands a budget.
import { loadPyodide } from 'pyodide';
import { attachToPyodide } from 'wasmsh';

const $ = (id) => document.getElementById(id);
const print = (text, cls) => {
  const span = document.createElement('span');
  if (cls) span.className = cls;
  span.textContent = text;
  $('output').append(span);
};

const t0 = performance.now();
const pyodide = await loadPyodide({ indexURL: new URL('./node_modules/wasmsh/node_modules/pyodide/', location.href).href });
pyodide.setStdout({ batched: (t) => print(`${t}\n`) });
const shell = await attachToPyodide(pyodide, { cwd: '/home/pyodide', budget: { ms: 10000 } });
$('status').textContent = `ready (${(performance.now() - t0).toFixed(0)} ms): one filesystem for both`;
$('status').dataset.state = 'ready';
for (const el of document.querySelectorAll('input, button')) el.disabled = false;

$('py-form').onsubmit = (ev) => {
  ev.preventDefault();
  print(`>>> ${$('py').value}\n`, 'cmd');
  try {
    const v = pyodide.runPython($('py').value);
    if (v !== undefined) print(`${v}\n`);
  } catch (e) {
    print(`${e.message}\n`, 'err');
  }
};
$('sh-form').onsubmit = async (ev) => {
  ev.preventDefault();
  print(`$ ${$('sh').value}\n`, 'cmd');
  const r = await shell.run($('sh').value);
  print(r.stdout);
  if (r.stderr) print(r.stderr, 'err');
  print(`[exit ${r.exitCode}]\n`, 'status');
};
window.__alongside = { pyodide, shell };
