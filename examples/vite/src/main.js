// main.js - a terminal-like page over one wasmsh session, in a Vite app.
//   ?runtime=standalone   the standalone build (no Python; loads in a few tens of ms)
//   ?allow=host[,host]    hosts the session may fetch (curl, wget, pip), in addition to this page's own
//   ?snapshot=0           keep no memory snapshot for later sessions of the page
import { createSession } from 'wasmsh';
import './style.css';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const runtime = params.get('runtime') || 'pyodide';
const allowedHosts = [location.host, ...(params.get('allow') || '').split(',').filter(Boolean)];

let session = null;
let selected = null;
let runs = 0;

function print(text, cls) {
  const span = document.createElement('span');
  if (cls) span.className = cls;
  span.textContent = text;
  $('output').append(span);
  $('output').scrollTop = $('output').scrollHeight;
}

function setBusy(busy) {
  $('cmd').disabled = busy;
  $('run').disabled = busy;
  $('cancel').disabled = !busy;
  document.body.dataset.busy = busy ? '1' : '';
}

async function refreshFiles() {
  const cwd = await session.cwd();
  $('cwd').textContent = cwd;
  const list = $('files');
  list.replaceChildren();
  for (const e of await session.listDir(cwd)) {
    const li = document.createElement('li');
    li.className = e.type === 'directory' ? 'dir' : 'file';
    li.dataset.name = e.name;
    li.innerHTML = '<span></span><small></small>';
    li.firstChild.textContent = e.type === 'directory' ? `${e.name}/` : e.name;
    li.lastChild.textContent = e.type === 'file' ? String(e.size) : '';
    if (e.name === selected) li.classList.add('selected');
    li.onclick = () => {
      selected = e.type === 'file' ? e.name : null;
      for (const x of list.children) x.classList.toggle('selected', x === li && !!selected);
      $('download').disabled = !selected;
    };
    list.append(li);
  }
  $('download').disabled = !selected;
}

async function runCommand(cmd) {
  print(`$ ${cmd}\n`, 'cmd');
  setBusy(true);
  try {
    const r = await session.run(cmd, {
      onStdout: (t) => print(t),
      onStderr: (t) => print(t, 'err'),
    });
    print(`[exit ${r.exitCode}${r.stopReason ? `, ${r.stopReason}` : ''}, ${r.durationMs.toFixed(1)} ms]\n`, 'status');
    document.body.dataset.lastExit = String(r.exitCode);
    return r;
  } catch (e) {
    print(`${e.name}: ${e.message}\n`, 'err');
    throw e;
  } finally {
    setBusy(false);
    await refreshFiles();
    document.body.dataset.runs = String(++runs);
    $('cmd').focus();
  }
}

$('prompt').onsubmit = (ev) => {
  ev.preventDefault();
  const cmd = $('cmd').value.trim();
  if (!cmd) return;
  $('cmd').value = '';
  runCommand(cmd).catch(() => {});
};
$('cancel').onclick = () => session && session.cancel();

$('upload').onchange = async () => {
  const cwd = await session.cwd();
  for (const f of $('upload').files) {
    await session.writeFile(`${cwd}/${f.name}`, new Uint8Array(await f.arrayBuffer()));
    print(`uploaded ${f.name} (${f.size} bytes)\n`, 'status');
  }
  $('upload').value = '';
  await refreshFiles();
};

$('download').onclick = async () => {
  if (!selected) return;
  const cwd = await session.cwd();
  const data = await session.readFile(`${cwd}/${selected}`);
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([data]));
  a.download = selected;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
};

const t0 = performance.now();
try {
  session = await createSession({ runtime, allowedHosts, budget: { ms: 60000 }, snapshot: params.get('snapshot') !== '0' });
  const ms = performance.now() - t0;
  $('status').textContent = `ready (${runtime}, ${ms.toFixed(0)} ms, cancel by ${session.cancelMode})`;
  $('status').dataset.state = 'ready';
  window.__wasmsh = { session, readyMs: ms, readyAt: performance.now(), runtime, runCommand, createSession };
  setBusy(false);
  await refreshFiles();
  $('cmd').focus();
} catch (e) {
  $('status').textContent = `failed: ${e.message}`;
  $('status').dataset.state = 'error';
  throw e;
}
