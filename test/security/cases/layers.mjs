// Each containment layer on its own (docs/security.md): layer 2 with layer 1
// out of the way, layer 3 with both out of the way, and the session API's
// own checks (budgets, options, fail-closed containment).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { guardImports, JsBridgeClosed } from '../../../js/js_guard.mjs';
import { nodePermissionFlags } from '../../../js/node_permissions.mjs';
import { Session } from '../../../js/session_core.mjs';

export const options = {};

const C = 'layers';
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

// A fake instance's imports: one of each kind the guard tells apart.
function fakeImports() {
  const calls = [];
  const f = (name, sig, ret) => { const fn = (...a) => { calls.push(name); return ret; }; fn.sig = sig; return fn; };
  const env = {
    JsProxy_GetAttr_js: f('JsProxy_GetAttr_js', 'eei', 'ATTR'),
    JsvObject_SetAttr: f('JsvObject_SetAttr', 'ieee', 0),
    raw_call_js: f('raw_call_js', 've', undefined),
    _emscripten_system: f('_emscripten_system', 'ip', 0),
    __syscall_openat: f('__syscall_openat', 'iipip', 3),
    __syscall_connect: f('__syscall_connect', 'iippiii', 0),
    _dlopen_js: f('_dlopen_js', 'pp', 1234),
    proc_exit: f('proc_exit', 'vi', undefined),
    emscripten_get_now: f('emscripten_get_now', 'd', 5),
  };
  return { imports: { env, wasi_snapshot_preview1: env }, calls };
}

function nodeProbe(code, flags) {
  const r = spawnSync(process.execPath, [...flags, '--input-type=module', '-e', code], { encoding: 'utf8', cwd: REPO, timeout: 120000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

export const cases = [
  { id: 'layer2/unlocked-passes-through', class: C, js: async () => {
    const { imports, calls } = fakeImports();
    const g = guardImports(imports, { error: 'ERR' });
    if (imports.env.JsProxy_GetAttr_js({}, 0) !== 'ATTR' || !calls.includes('JsProxy_GetAttr_js')) throw new Error('an unlocked guard changed a call');
    if (g.locked) throw new Error('a new guard is locked');
  } },
  { id: 'layer2/locked-refuses-bridge', class: C, js: async () => {
    const { imports, calls } = fakeImports();
    const g = guardImports(imports, { error: 'ERR' });
    const denied = [];
    g.setPythonError = (n) => denied.push(n);
    g.locked = true;
    const results = [
      imports.env.JsProxy_GetAttr_js({}, 0), imports.env.JsvObject_SetAttr({}, {}, {}),
      imports.env._emscripten_system(0), imports.env.__syscall_connect(3, 0, 0, 0, 0, 0), imports.env._dlopen_js(0),
    ];
    if (JSON.stringify(results) !== JSON.stringify(['ERR', -1, -1, -2, 0])) throw new Error(`error values ${JSON.stringify(results)}`);
    for (const n of ['JsProxy_GetAttr_js', 'JsvObject_SetAttr', '_emscripten_system', '__syscall_connect', '_dlopen_js']) {
      if (calls.includes(n)) throw new Error(`${n} reached the host while locked`);
    }
    if (!denied.includes('JsProxy_GetAttr_js')) throw new Error('no Python error for a refused bridge call');
    if (imports.env.__syscall_openat(0, 0, 0, 0) !== 3 || imports.env.emscripten_get_now() !== 5) throw new Error('the OS layer was refused');
  } },
  { id: 'layer2/locked-void-and-exit-throw', class: C, js: async () => {
    const { imports, calls } = fakeImports();
    const g = guardImports(imports, {});
    g.locked = true;
    for (const n of ['raw_call_js', 'proc_exit']) {
      let e = null;
      try { imports.env[n](0); } catch (x) { e = x; }
      if (!(e instanceof JsBridgeClosed) || calls.includes(n)) throw new Error(`${n}: expected JsBridgeClosed and no call`);
    }
  } },
  { id: 'layer2/heap-ceiling', class: C, js: async () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1000 });
    const resize = (req) => { try { memory.grow(Math.ceil((req - memory.buffer.byteLength) / 65536)); return 1; } catch { return 0; } };
    resize.sig = 'ip';
    const env = { memory, emscripten_resize_heap: resize };
    const g = guardImports({ env }, {});
    g.heapLimit = 10 * 65536;
    let refused = 0;
    g.onHeapExceeded = () => refused++;
    if (!env.emscripten_resize_heap(5 * 65536)) throw new Error('growth under the limit refused');
    if (env.emscripten_resize_heap(20 * 65536) || refused !== 1) throw new Error('growth past the limit allowed');
    let threw = false;
    try { memory.grow(50); } catch { threw = true; }
    if (!threw || memory.buffer.byteLength > 10 * 65536) throw new Error(`memory grew to ${memory.buffer.byteLength}`);
  } },
  { id: 'layer2/in-session-violation-recorded', class: C, js: async ({ session }) => {
    const r = await session.run("python3 - <<'EOF'\nseen = set()\ndef walk(c):\n    for s in type.__subclasses__(c):\n        if s not in seen: seen.add(s); walk(s)\nwalk(BaseException)\nfor c in seen:\n    if c.__name__ == 'JsException' and c.__module__ == 'pyodide.ffi':\n        try: c('Error', 'x')\n        except PermissionError: print('refused')\nEOF");
    if (!/refused/.test(r.stdout)) throw new Error(`no refusal: ${r.output}`);
    if (!r.sandboxViolations || !r.sandboxViolations.includes('JsException_new_helper')) {
      throw new Error(`the result does not list the violation: ${JSON.stringify(r.sandboxViolations)}`);
    }
  } },
  { id: 'layer3/no-child-process', class: C, js: async () => {
    const r = nodeProbe("import cp from 'node:child_process'; try { cp.execSync('id'); console.log('ESCAPED'); } catch (e) { console.log('refused', e.code); }",
      ['--no-warnings', ...nodePermissionFlags()]);
    if (!/refused ERR_ACCESS_DENIED/.test(r.out)) throw new Error(`child_process: ${r.out}`);
  } },
  { id: 'layer3/no-fs-outside', class: C, js: async () => {
    const r = nodeProbe("import fs from 'node:fs'; for (const p of ['/etc/passwd', '/root', '/tmp']) { try { fs.readdirSync(p); console.log('ESCAPED', p); } catch (e) { console.log('refused', e.code); } } try { fs.writeFileSync('/tmp/wasmsh-layer3', 'x'); console.log('ESCAPED write'); } catch (e) { console.log('refused', e.code); }",
      ['--no-warnings', ...nodePermissionFlags()]);
    if (/ESCAPED/.test(r.out) || (r.out.match(/refused ERR_ACCESS_DENIED/g) || []).length !== 4) throw new Error(`fs: ${r.out}`);
  } },
  { id: 'layer3/session-works-under-permissions', class: C, js: async () => {
    const code = "import { createSession, setWarmPool } from './js/session.mjs'; await setWarmPool(0); const s = await createSession(); " +
      "const r = await s.run(\"echo hi | tr a-z A-Z; python3 -c 'import os; print(6*7, flush=True); os.system(\\\"id\\\")'\"); console.log(JSON.stringify(r.stdout)); s.close();";
    const r = nodeProbe(code, ['--no-warnings', ...nodePermissionFlags()]);
    if (!r.out.includes('"HI\\n42\\n"')) throw new Error(`under the permission model: ${r.out.slice(-400)}`);
  } },
  { id: 'layer3/cli-flag', class: C, js: async () => {
    const r = spawnSync(process.execPath, ['js/cli/wasmsh.mjs', '--node-permissions', '-c', "echo in; python3 -c 'print(1)'; cat /etc/passwd 2>&1 | head -c 0"],
      { encoding: 'utf8', cwd: REPO, timeout: 120000 });
    if (r.status !== 0 || r.stdout !== 'in\n1\n') throw new Error(`wasmsh --node-permissions: ${r.status} ${r.stdout} ${r.stderr}`);
  } },
  { id: 'api/fail-closed-without-guard', class: C, js: async ({ session }) => {
    const engine = { ...session.engine, guard: null, owner: null, kind: 'pyodide' };
    let threw = null;
    try {
      new Session(engine, { ...session.opts, files: {} }, null); // eslint-disable-line no-new
    } catch (e) {
      threw = e;
    }
    if (!threw || !/cannot be closed to Python code/.test(threw.message)) throw new Error(`an unguarded engine was accepted: ${threw}`);
  } },
  { id: 'api/bad-budgets', class: C, js: async ({ session }) => {
    for (const budget of [{ ms: -1 }, { heapBytes: 'lots' }, { nope: 1 }, { files: NaN }]) {
      let threw = null;
      try { await session.run('echo x', { budget }); } catch (e) { threw = e; }
      if (!threw || threw.name !== 'OptionsError') throw new Error(`budget ${JSON.stringify(budget)} accepted`);
    }
  } },
  { id: 'api/closed', class: C, js: async ({ createSession }) => {
    const s = await createSession();
    await s.run('echo a');
    s.close();
    let closed = null;
    try { await s.run('echo c'); } catch (e) { closed = e; }
    let fsClosed = null;
    try { s.readFile('/workspace/.canary'); } catch (e) { fsClosed = e; }
    if (!closed || closed.name !== 'SessionClosedError' || !fsClosed || fsClosed.name !== 'SessionClosedError') {
      throw new Error(`closed: ${closed}, ${fsClosed}`);
    }
  } },
  { id: 'api/script-nul-and-huge', class: C, js: async ({ session }) => {
    const r = await session.run('echo "a\0b"; echo after');
    if (!/after/.test(r.stdout)) throw new Error(`a NUL in the script: ${r.output}`);
    const big = await session.run(`x='${'y'.repeat(4 << 20)}'; echo \${#x}`);
    if (big.stdout !== `${4 << 20}\n`) throw new Error(`a 4 MiB script: ${big.output.slice(0, 200)}`);
  } },
];
