#!/usr/bin/env node
// bench.mjs - browser benchmarks (reported, not asserted): time to first
// prompt of examples/web (standalone and Pyodide; a first visit with nothing
// cached, and a reload with the assets in the HTTP cache), a second session on
// the same page (a new worker restoring the first one's snapshot), and round
// trips of `echo hi` and `python3 -c` through the worker. Medians.
// Writes build/browser-test/bench.json.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { OUT, ROOT, launch, openPage } from './harness.mjs';
import { startServer } from './server.mjs';

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (ms) => (ms < 1 ? `${(ms * 1000).toFixed(0)} us` : ms < 100 ? `${ms.toFixed(1)} ms` : `${ms.toFixed(0)} ms`);

async function firstPrompt(context, url) {
  const page = await openPage(context, url);
  const t = await page.evaluate(() => ({ readyAt: window.__wasmsh.readyAt, createMs: window.__wasmsh.readyMs }));
  return { page, ...t };
}

async function roundTrips(page, cmd, n) {
  return page.evaluate(async ([c, k]) => {
    const s = window.__wasmsh.session;
    for (let i = 0; i < 5; i++) await s.run(c);
    const xs = [];
    for (let i = 0; i < k; i++) {
      const t = performance.now();
      await s.run(c);
      xs.push(performance.now() - t);
    }
    return xs;
  }, [cmd, n]);
}

export async function runBenchmarks({ reps = 3 } = {}) {
  const web = path.join(ROOT, 'examples', 'web');
  const fixtures = path.join(ROOT, 'test', 'browser', 'fixtures');
  const cold = await startServer({ root: web, maps: [['/fixtures/', fixtures]] });
  const warm = await startServer({ root: web, cache: true, maps: [['/fixtures/', fixtures]] });
  const browser = await launch();
  const rows = [];
  const data = {};
  try {
    for (const runtime of ['standalone', 'pyodide']) {
      const coldXs = [];
      const warmXs = [];
      let page = null;
      for (let i = 0; i < reps; i++) {
        const c = await firstPrompt(browser.context, `${cold.url}?runtime=${runtime}`);
        coldXs.push(c.readyAt);
        await c.page.close();
        const w = await firstPrompt(browser.context, `${warm.url}?runtime=${runtime}`);
        warmXs.push(w.readyAt);
        if (i < reps - 1) await w.page.close(); else page = w.page;
      }
      data[runtime] = { firstPromptCold: coldXs, firstPromptCached: warmXs };
      rows.push([`time to first prompt, ${runtime} (first visit / assets cached)`, `${fmt(median(coldXs))} / ${fmt(median(warmXs))}`]);
      if (runtime === 'pyodide') {
        // the reference: Pyodide alone (loadPyodide + runPython) on the same server
        const refCold = [];
        const refWarm = [];
        for (let i = 0; i < reps; i++) {
          for (const [srv, xs] of [[cold, refCold], [warm, refWarm]]) {
            const p = await openPage(browser.context, `${srv.url}fixtures/pyodide-alone.html`);
            xs.push(await p.evaluate(() => window.__readyAt));
            await p.close();
          }
        }
        data.pyodideAlone = { cold: refCold, cached: refWarm };
        rows.push(['  reference: Pyodide alone, loadPyodide() in a page (first visit / cached)', `${fmt(median(refCold))} / ${fmt(median(refWarm))}`]);
      }
      const echo = await roundTrips(page, 'echo hi', 200);
      data[runtime].echo = median(echo);
      rows.push([`round trip run('echo hi') through the worker, ${runtime}`, fmt(median(echo))]);
      if (runtime === 'pyodide') {
        const py = await roundTrips(page, "python3 -c 'print(42)'", 100);
        data[runtime].python = median(py);
        rows.push(["round trip run(\"python3 -c 'print(42)'\") through the worker", fmt(median(py))]);
        const second = await page.evaluate(async () => {
          const xs = [];
          for (let i = 0; i < 3; i++) {
            const t = performance.now();
            const s = await window.__wasmsh.createSession({});
            await s.run('echo hi');
            xs.push(performance.now() - t);
            s.close();
          }
          return xs;
        });
        data[runtime].secondSession = second;
        rows.push(['second session on the page (new worker from the snapshot)', fmt(median(second))]);
      }
      await page.close();
    }
  } finally {
    await browser.close();
    cold.server.close();
    warm.server.close();
  }
  const w = [Math.max(...rows.map((r) => r[0].length), 4), Math.max(...rows.map((r) => r[1].length), 6)];
  console.log(`\n| ${'what'.padEnd(w[0])} | ${'wasmsh'.padEnd(w[1])} |`);
  console.log(`|${'-'.repeat(w[0] + 2)}|${'-'.repeat(w[1] + 2)}|`);
  for (const r of rows) console.log(`| ${r[0].padEnd(w[0])} | ${r[1].padEnd(w[1])} |`);
  fs.mkdirSync(OUT, { recursive: true });
  fs.writeFileSync(path.join(OUT, 'bench.json'), `${JSON.stringify(data, null, 2)}\n`);
  console.log(`browser bench: medians of ${reps} page loads; details in ${path.relative(process.cwd(), path.join(OUT, 'bench.json'))}`);
  return data;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await runBenchmarks({ reps: Number(process.env.REPS || 3) });
