#!/usr/bin/env node
// run.mjs [FILES...] - the mocha suites of langchain-wasmsh (TypeScript/JS
// side): all *.test.mjs here when no file is given. Ends with the line
// "agents-ts: N passed, N failed" that the Makefile's suite convention and CI read.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Mocha from 'mocha';

const here = path.dirname(fileURLToPath(import.meta.url));
const files = process.argv.slice(2).length ? process.argv.slice(2)
  : fs.readdirSync(here).filter((f) => f.endsWith('.test.mjs')).sort().map((f) => path.join(here, f));
const mocha = new Mocha({ timeout: 120000, reporter: process.env.MOCHA_REPORTER || 'spec' });
if (process.env.MOCHA_GREP) mocha.grep(process.env.MOCHA_GREP);
for (const f of files) mocha.addFile(path.resolve(f));
await mocha.loadFilesAsync();
const runner = mocha.run((failures) => {
  const { passes = 0, pending = 0 } = runner.stats || {};
  console.log(`agents-ts: ${passes} passed, ${failures} failed${pending ? `, ${pending} skipped` : ''}`);
  process.exitCode = failures ? 1 : 0;
});
