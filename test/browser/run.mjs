#!/usr/bin/env node
// run.mjs [--bench] [FILES...] - the browser suites (test/browser/*.test.mjs)
// in headless Chromium, then (with --bench) the browser benchmarks. Ends with
// "browser: N passed, N failed" as every suite of the Makefile does.
//
// Needs Debian's chromium (apt-get install chromium) and the built package
// (make npm-package) and Vite app (make test-browser does both). Without
// chromium it says so and exits 0, except in CI (CI=true), where it fails.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import Mocha from 'mocha';

import { CHROMIUM, OUT } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const bench = args.includes('--bench');
const files = args.filter((a) => !a.startsWith('--'));

if (!fs.existsSync(CHROMIUM)) {
  const msg = `browser: skipped: ${CHROMIUM} not found (apt-get install chromium; CI installs it)`;
  if (process.env.CI) {
    console.log(`${msg}\nbrowser: 0 passed, 1 failed`);
    process.exit(1);
  }
  console.log(msg);
  process.exit(0);
}

fs.mkdirSync(OUT, { recursive: true });
const list = files.length ? files
  : fs.readdirSync(here).filter((f) => f.endsWith('.test.mjs')).sort().map((f) => path.join(here, f));
const mocha = new Mocha({ timeout: 240000, reporter: process.env.MOCHA_REPORTER || 'spec' });
for (const f of list) mocha.addFile(path.resolve(f));
await mocha.loadFilesAsync();
const failures = await new Promise((resolve) => {
  const runner = mocha.run((n) => {
    const { passes = 0 } = runner.stats || {};
    console.log(`browser: ${passes} passed, ${n} failed`);
    console.log(`browser: screenshots in ${path.relative(process.cwd(), path.join(OUT, 'screenshots'))}/`);
    resolve(n);
  });
});
if (bench && !failures) {
  const { runBenchmarks } = await import('./bench.mjs');
  // two page loads per figure here (the suite should stay within a few minutes); bench.mjs alone: 3
  await runBenchmarks({ reps: Number(process.env.BENCH_REPS || 2) });
}
process.exit(failures ? 1 : 0);
