#!/usr/bin/env node
// sandbox.mjs - what the sandbox costs (docs/security.md, "Costs").
//
//  1. The deadline inside Python: the same python3 command with the
//     interrupt check on (every run) and off (the session's check removed for
//     the measurement), for three loop shapes.
//  2. Everything else of containment on Python code (the C audit hook, the
//     membrane, the JS guard): the same code in a contained session and in a
//     plain Pyodide instance (loadPyodide, nothing of wasmsh), run through
//     runPython in both so that only the interpreter's own state differs.
//  3. The per-command work: `python3 -c pass` (the driver, with the
//     membrane's put-back after each command).
//
//   node bench/sandbox.mjs [--quick]
import { createSession, setWarmPool } from '../js/session.mjs';

const QUICK = process.argv.includes('--quick');
const N = QUICK ? 3 : 11;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// CPU time of this process (user + system), in ms: on a loaded machine the
// wall clock mostly measures the other processes.
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

async function timeIt(n, fn) {
  const xs = [];
  for (let i = 0; i < n; i++) {
    const t = cpuMs();
    await fn();
    xs.push(cpuMs() - t);
  }
  return median(xs);
}

const LOOPS = [
  ['for-range 3M', 'for i in range(3000000): pass'],
  ['while + arithmetic 2M', 'i = 0\nwhile i < 2000000: i += 1'],
  ['function calls 1M', 'def f(x): return x + 1\nfor i in range(1000000): f(i)'],
];
const AUDITED = ['open/close 20k (an audit event each)',
  "for i in range(20000): open('/tmp/bench-x', 'w').close()"];

function pct(a, b) {
  return `${(((a - b) / b) * 100).toFixed(1)} %`;
}

async function main() {
  await setWarmPool(0);
  const s = await createSession({ budget: { ms: 600000 } });
  const py = s.pyodide;
  const rows = [];
  const cmd = (code) => `python3 - <<'PYEOF'\n${code}\nPYEOF`;
  for (const [, code] of LOOPS) await s.run(cmd(code)); // warm
  // on and off alternate, so that the machine's load drifts into both alike;
  // a poll costs one call into the side module (uc_should_stop: the clock,
  // the cancel flag) every ~50 eval-breaker ticks
  for (const [name, code] of LOOPS) {
    const on = [];
    const off = [];
    for (let i = 0; i < N; i++) {
      on.push(await timeIt(1, () => s.run(cmd(code))));
      py.setInterruptBuffer(undefined);
      off.push(await timeIt(1, () => s.run(cmd(code))));
      s.engine.installInterruptCheck();
    }
    // the fastest of each: the machine's load only ever adds time
    const a = Math.min(...on);
    const b = Math.min(...off);
    rows.push([`deadline check: ${name} (fastest of ${N})`, a, b, pct(a, b)]);
  }

  const { loadPyodide } = await import('pyodide');
  const plain = await loadPyodide({ stdout: () => {}, stderr: () => {} });
  py.setInterruptBuffer(undefined);
  for (const [name, code] of [...LOOPS, AUDITED]) {
    plain.runPython(code);
    s.pyodide.runPython(code);
    const base = [];
    const contained = [];
    for (let i = 0; i < N; i++) {
      base.push(await timeIt(1, () => plain.runPython(code)));
      contained.push(await timeIt(1, () => s.pyodide.runPython(code)));
    }
    const a = Math.min(...contained);
    const b = Math.min(...base);
    rows.push([`containment, no deadline check: ${name} (fastest of ${N})`, a, b, pct(a, b)]);
  }
  s.engine.installInterruptCheck();
  const wall = [];
  for (let i = 0; i < (QUICK ? 50 : 200); i++) {
    const t = performance.now();
    await s.run("python3 -c 'pass'");
    wall.push(performance.now() - t);
  }
  const perCommand = median(wall);
  rows.push(["python3 -c 'pass' (driver + put-back; wall clock, median)", perCommand, null, '']);

  const w = Math.max(...rows.map((r) => r[0].length));
  console.log(`| ${'measure (CPU time)'.padEnd(w)} | wasmsh ms | reference ms | overhead |`);
  console.log(`|${'-'.repeat(w + 2)}|-----------|--------------|----------|`);
  for (const [name, a, b, o] of rows) {
    console.log(`| ${name.padEnd(w)} | ${a.toFixed(1).padStart(9)} | ${(b === null ? '-' : b.toFixed(1)).padStart(12)} | ${o.padStart(8)} |`);
  }
  s.close();
}

await main();
