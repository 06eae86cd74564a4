#!/usr/bin/env node
// run.mjs [FILES...] - runs the mocha suites of test/js (all *.test.mjs when
// no file is given) and ends with the line "js: N passed, N failed" that the
// Makefile's suite convention and CI read.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Mocha from 'mocha';

const here = path.dirname(fileURLToPath(import.meta.url));
const files = process.argv.slice(2).length ? process.argv.slice(2)
  : fs.readdirSync(here).filter((f) => f.endsWith('.test.mjs')).sort().map((f) => path.join(here, f));
const mocha = new Mocha({ timeout: 120000, reporter: process.env.MOCHA_REPORTER || 'spec', grep: process.env.MOCHA_GREP });
for (const f of files) mocha.addFile(path.resolve(f));
await mocha.loadFilesAsync();
const runner = mocha.run((failures) => {
  const { passes = 0, pending = 0 } = runner.stats || {};
  console.log(`js: ${passes} passed, ${failures} failed${pending ? `, ${pending} skipped` : ''}`);
  process.exitCode = failures ? 1 : 0;
  // worker threads of the fetch broker are unref'd; Pyodide instances hold no handles
});
