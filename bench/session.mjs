#!/usr/bin/env node
// session.mjs - benchmarks of the Pyodide runtime (make bench runs it with
// --expose-gc). Medians; Pyodide's own figure beside ours where one applies.
// Prints one table, then where the time and memory of a further session go.
//
//   node --expose-gc bench/session.mjs            everything
//   node --expose-gc bench/session.mjs --quick    fewer repetitions
//   node bench/session.mjs --cold [N]             only the cold starts, N pairs
//   node bench/session.mjs --child first|pyodide  (internal: cold start in a fresh process)
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SESSION = path.join(HERE, '..', 'js', 'session.mjs');
const CORE = path.join(HERE, '..', 'js', 'session_core.mjs');
const QUICK = process.argv.includes('--quick');

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function timeIt(n, fn) {
  const xs = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    xs.push(performance.now() - t);
  }
  return median(xs);
}

async function child(kind) {
  const t0 = performance.now();
  if (kind === 'pyodide') {
    const { loadPyodide } = await import('pyodide');
    const py = await loadPyodide();
    py.runPython('1+1');
  } else {
    const { createSession, setWarmPool } = await import(SESSION);
    await setWarmPool(0);
    const s = await createSession();
    await s.run('echo hi');
  }
  const cpu = process.cpuUsage();
  process.stdout.write(JSON.stringify({ ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 }));
}

// Alternates the two kinds so that both see the same machine load.
function coldStarts(runs) {
  const xs = { first: [], pyodide: [], firstCpu: [], pyodideCpu: [] };
  for (let i = 0; i < runs; i++) {
    for (const kind of ['pyodide', 'first']) {
      const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', kind], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`cold start ${kind} failed: ${r.stderr}`);
      const { ms, cpuMs } = JSON.parse(r.stdout);
      xs[kind].push(ms);
      xs[`${kind}Cpu`].push(cpuMs);
    }
  }
  // paired: each pair ran back to back under the same load
  xs.diff = xs.first.map((x, i) => x - xs.pyodide[i]);
  return xs;
}

function coldReport(colds) {
  return `cold starts, wall ms: first session ${colds.first.map((x) => x.toFixed(0)).join(' ')}; ` +
    `loadPyodide ${colds.pyodide.map((x) => x.toFixed(0)).join(' ')}; paired difference median ` +
    `${median(colds.diff).toFixed(0)} ms; CPU ms (all threads) median ${median(colds.firstCpu).toFixed(0)} vs ` +
    `${median(colds.pyodideCpu).toFixed(0)}`;
}

const fmt = (ms) => (ms < 1 ? `${(ms * 1000).toFixed(0)} us` : ms < 100 ? `${ms.toFixed(1)} ms` : `${ms.toFixed(0)} ms`);
const mb = (b) => `${(b / 1e6).toFixed(1)} MB`;
const gc = () => { if (global.gc) { global.gc(); global.gc(); } };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function settle(runtimeStats) {
  for (let i = 0; i < 1200; i++) {
    const st = await runtimeStats();
    if (st.pending === 0 && st.pooled >= st.warmPool) return;
    await sleep(25);
  }
}

async function main() {
  const rows = [];
  const notes = [];
  const add = (what, ms, ref, target) => rows.push([what, typeof ms === 'string' ? ms : fmt(ms), ref === null ? '-' : (typeof ref === 'string' ? ref : fmt(ref)), target]);
  const { createSession, setWarmPool, runtimeStats, loadRuntime } = await import(SESSION);
  const { preparePyodideEngine, Session, checkSessionOptions } = await import(CORE);
  await setWarmPool(0); // measured explicitly below
  const s = await createSession();
  const py = s.pyodide;

  await s.run('echo warm');
  add("run('echo hi')", await timeIt(QUICK ? 100 : 300, () => s.run('echo hi')), null, '0.05 ms');

  for (let i = 0; i < 20; i++) await s.run("python3 -c 'print(42)'");
  py.setStdout({ batched: () => {} });
  const ref = await timeIt(200, () => py.runPython('print(42)'));
  s.engine.routeStandardStreams();
  add("run(\"python3 -c 'print(42)'\")", await timeIt(QUICK ? 100 : 300, () => s.run("python3 -c 'print(42)'")), ref, '0.5 ms');
  add("run(\"python3 -c 'pass'\") (driver overhead)", await timeIt(QUICK ? 100 : 300, () => s.run("python3 -c 'pass'")), null, '-');

  const pipe = 'seq 100000 | tr 0-9 a-j | wc -l';
  const pr = await s.run(pipe);
  if (pr.stdout.trim() !== '100000') throw new Error(`pipeline gave ${pr.stdout}`);
  const pyPipe = "n=0\nfor i in range(1,100001):\n  n += 1 if str(i).translate(str.maketrans('0123456789','abcdefghij')) else 0\nn";
  add(`3-stage pipeline, 100k lines (${pipe})`, await timeIt(5, () => s.run(pipe)),
    await timeIt(5, () => py.runPython(pyPipe)), '-');

  // The cost of the deadline/cancel check inside Python (interrupt buffer):
  // the same loop with the check on (a session run) and off (runPython with
  // no buffer set).
  const loop = 'python3 -c "for i in range(3000000): pass"';
  const withCheck = await timeIt(3, () => s.run(loop));
  py.setInterruptBuffer(undefined);
  const without = await timeIt(3, () => py.runPython('for i in range(3000000): pass'));
  s.engine.installInterruptCheck();
  add('python loop 3M iterations (interrupt check on / off)', withCheck, without, 'overhead, see docs');

  // --- further sessions: from the warm pool, and with the pool empty
  const keep = [];
  const fromPool = [];
  await setWarmPool(1);
  for (let i = 0; i < (QUICK ? 3 : 5); i++) {
    await settle(runtimeStats);
    gc();
    const t = performance.now();
    const x = await createSession();
    await x.run('echo hi');
    fromPool.push(performance.now() - t);
    if ((await runtimeStats()).lastTake !== 'pool') notes.push('a "from the pool" sample did not come from the pool');
    keep.push(x);
  }
  await settle(runtimeStats);
  add('further session, from the warm pool (createSession + echo hi)', median(fromPool), null, '50 ms');
  await setWarmPool(0);
  const empty = [];
  for (let i = 0; i < (QUICK ? 3 : 5); i++) {
    gc();
    const t = performance.now();
    const x = await createSession();
    await x.run('echo hi');
    empty.push(performance.now() - t);
    keep.push(x);
  }
  // Pyodide's own snapshot restore, without what pyodide_loader.mjs adds
  const rt = await loadRuntime();
  const { loadPyodide } = await import('pyodide');
  const plain = [];
  for (let i = 0; i < (QUICK ? 3 : 5); i++) {
    gc();
    const t = performance.now();
    const p = await loadPyodide({ stdout: () => {}, stderr: () => {}, _loadSnapshot: rt.factory.snapshot });
    plain.push(performance.now() - t);
    keep.push({ close() {}, p });
  }
  add('further session, pool empty (snapshot restore + side module)', median(empty), median(plain), '50 ms');

  // where the time of the pool-empty path goes
  const phases = { restore: [], prepare: [], shell: [] };
  for (let i = 0; i < (QUICK ? 3 : 5); i++) {
    gc();
    let t = performance.now();
    const p = await rt.factory.create();
    phases.restore.push(performance.now() - t);
    t = performance.now();
    const eng = preparePyodideEngine(p, { sideModule: await rt.sideModule, wheels: rt.wheels });
    phases.prepare.push(performance.now() - t);
    t = performance.now();
    const x = new Session(eng, checkSessionOptions({}), { close() {}, fetchSync() { throw new Error('no'); } });
    await x.run('echo hi');
    phases.shell.push(performance.now() - t);
    keep.push(x);
  }

  // --- cold start: a fresh process, first session vs Pyodide's loadPyodide
  const colds = coldStarts(QUICK ? 3 : 5);
  add('first session in a fresh process (vs loadPyodide cold), medians',
    median(colds.first), median(colds.pyodide), 'Pyodide + 150 ms');
  notes.push(coldReport(colds));

  // --- memory per extra session (no pool: each session's own instance only)
  for (const x of keep) x.close();
  keep.length = 0;
  gc();
  await sleep(200);
  gc();
  const deltas = { rss: [], heap: [], ab: [], ext: [] };
  let before = process.memoryUsage();
  const mem = [];
  for (let i = 0; i < 5; i++) {
    const x = await createSession();
    await x.run("echo hi; python3 -c 'print(1)'");
    keep.push(x);
    gc();
    await sleep(100);
    gc();
    const now = process.memoryUsage();
    deltas.rss.push(now.rss - before.rss);
    deltas.heap.push(now.heapUsed - before.heapUsed);
    deltas.ab.push(now.arrayBuffers - before.arrayBuffers);
    deltas.ext.push(now.external - before.external);
    mem.push(x.M.HEAPU8.length);
    before = now;
  }
  rows.push(['RSS per extra session (median of 5)', mb(median(deltas.rss)), '-', '40 MB']);

  const w = [0, 1, 2, 3].map((c) => Math.max(...rows.map((r) => r[c].length), ['what', 'wasmsh', 'pyodide', 'target'][c].length));
  const line = (r) => `| ${r.map((x, i) => x.padEnd(w[i])).join(' | ')} |`;
  console.log(line(['what', 'wasmsh', 'pyodide', 'target']));
  console.log(`|${w.map((n) => '-'.repeat(n + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
  const st = await runtimeStats();
  console.log('');
  console.log(`pool empty, by phase (medians): Pyodide restore ${fmt(median(phases.restore))}, ` +
    `side module + wheels ${fmt(median(phases.prepare))}, shell + first run ${fmt(median(phases.shell))}`);
  console.log(`memory per extra session (medians): RSS ${mb(median(deltas.rss))} = wasm memory ${mb(median(mem))} ` +
    `(of it ${mb(st.sparseZeroBytes)} zero pages never touched) + JS heap ${mb(median(deltas.heap))} ` +
    `+ other external ${mb(median(deltas.ext) - median(mem))} (array buffers ${mb(median(deltas.ab))}) + V8/native rest`);
  console.log(`snapshot ${mb(st.snapshotBytes)}; instances: ${st.fullLoads} full load(s), ${st.restores} restores ` +
    `(${st.moduleReused} from the compiled module, ${st.sparseRestores} sparse), ${st.sharedStdlib} shared stdlib zips`);
  for (const n of notes) console.log(n);
  for (const x of keep) x.close();
  s.close();
}

if (process.argv[2] === '--child') await child(process.argv[3]);
else if (process.argv[2] === '--cold') console.log(coldReport(coldStarts(Number(process.argv[3] || 7))));
else await main();
