#!/usr/bin/env node
// run.mjs [FILES...] - the scale suites (mocha): a dispatcher and runners as
// local processes; ends with "scale: N passed, N failed".
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Mocha from 'mocha';

const here = path.dirname(fileURLToPath(import.meta.url));
const files = process.argv.slice(2).length ? process.argv.slice(2)
  : fs.readdirSync(here).filter((f) => f.endsWith('.test.mjs')).sort().map((f) => path.join(here, f));
const mocha = new Mocha({ timeout: 120000, reporter: process.env.MOCHA_REPORTER || 'spec' });
for (const f of files) mocha.addFile(path.resolve(f));
await mocha.loadFilesAsync();
const runner = mocha.run((failures) => {
  const { passes = 0, pending = 0 } = runner.stats || {};
  console.log(`scale: ${passes} passed, ${failures} failed${pending ? `, ${pending} skipped` : ''}`);
  process.exitCode = failures ? 1 : 0;
  // fleet.mjs kills every child process on exit
  setTimeout(() => process.exit(process.exitCode), 500).unref();
});
