#!/usr/bin/env node
// session.mjs - benchmarks of the Pyodide runtime (make bench runs it with
// --expose-gc). Medians of one run, against in-process Pyodide where that
// applies. Prints one table; targets from the Pyodide runtime issue.
//
//   node --expose-gc bench/session.mjs            all lines
//   node bench/session.mjs --child first|pyodide  (internal: cold start in a fresh process)
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SESSION = path.join(HERE, '..', 'js', 'session.mjs');

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
    const { createSession } = await import(SESSION);
    const s = await createSession();
    await s.run('echo hi');
  }
  process.stdout.write(String(performance.now() - t0));
}

function coldStart(kind, runs) {
  const xs = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', kind], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`cold start ${kind} failed: ${r.stderr}`);
    xs.push(Number(r.stdout));
  }
  return median(xs);
}

const fmt = (ms) => (ms < 1 ? `${(ms * 1000).toFixed(0)} us` : ms < 100 ? `${ms.toFixed(2)} ms` : `${ms.toFixed(0)} ms`);

async function main() {
  const rows = [];
  const add = (what, ms, ref, target) => rows.push([what, fmt(ms), ref === null ? '-' : fmt(ref), target]);
  const { createSession, prewarm } = await import(SESSION);
  const s = await createSession();
  const py = s.pyodide;

  await s.run('echo warm');
  add("run('echo hi')", await timeIt(300, () => s.run('echo hi')), null, '0.05 ms');

  await s.run("python3 -c 'print(42)'");
  py.setStdout({ batched: () => {} });
  const ref = await timeIt(200, () => py.runPython('print(42)'));
  add("run(\"python3 -c 'print(42)'\")", await timeIt(200, () => s.run("python3 -c 'print(42)'")), ref, '0.5 ms (wasmsh-rs ~3 ms)');

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
  s.installInterruptCheck();
  add('python loop 3M iterations (interrupt check on / off)', withCheck, without, 'overhead, see docs');

  const cold = coldStart('first', 3);
  const coldPy = coldStart('pyodide', 3);
  add('first session in a fresh process (vs loadPyodide cold)', cold, coldPy, 'Pyodide + 150 ms');

  const further = [];
  const rss = [];
  const keep = [];
  if (global.gc) global.gc();
  let before = process.memoryUsage().rss;
  for (let i = 0; i < 4; i++) {
    const t = performance.now();
    const x = await createSession();
    await x.run('echo hi');
    further.push(performance.now() - t);
    keep.push(x);
    if (global.gc) global.gc();
    const now = process.memoryUsage().rss;
    rss.push((now - before) / 1e6);
    before = now;
  }
  add('each further session (memory snapshot)', median(further), null, '50 ms');

  await prewarm(1);
  const t = performance.now();
  const pooled = await createSession();
  await pooled.run('echo hi');
  add('further session from a prewarm() pool', performance.now() - t, null, '50 ms');
  keep.push(pooled);

  rows.push(['RSS per extra session', `${median(rss).toFixed(0)} MB`, '-', '40 MB']);

  const w = [0, 1, 2, 3].map((c) => Math.max(...rows.map((r) => r[c].length), ['what', 'wasmsh', 'pyodide', 'target'][c].length));
  const line = (r) => `| ${r.map((x, i) => x.padEnd(w[i])).join(' | ')} |`;
  console.log(line(['what', 'wasmsh', 'pyodide', 'target']));
  console.log(`|${w.map((n) => '-'.repeat(n + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
  for (const x of keep) x.close();
  s.close();
}

if (process.argv[2] === '--child') await child(process.argv[3]);
else await main();
