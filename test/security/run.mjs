#!/usr/bin/env node
// run.mjs [FILTER] - the red-team suite: attacks on a wasmsh session, each
// checked twice: the attack fails safely (its own expectations), and the
// session still works afterwards (a file written before the attack is
// intact, the shell and python3 answer). Ends with the line
// "security: N passed, N failed" (the Makefile's suite convention).
//
// Cases live in test/security/cases/*.mjs: `export const options` (the
// session options of that file) and `export const cases`, each
//   {id, class, script, budget?, stdin?, expect?, check?(r), noHealth?}
// or, for attacks through the JavaScript API, {id, class, js: async (ctx) => {...}}.
// `expect`: {exit: N | 'nonzero', reason: 'time' | null | ..., stdout, stderr,
// output: RegExp that must match, not: RegExp that must not match the output,
// maxMs}. Every run's output is also checked for traces of the host.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { createSession, setWarmPool } from '../../js/session.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CANARY = '/workspace/.canary';
const HEALTH = `cat ${CANARY}; echo alive; python3 -c 'print(6*7)'`;
// what would show that something of the host was reached
// (wasmsh's own id, whoami, uname and hostname answer for the sandbox's user
// and machine: uid 1000, "wasmsh")
const HOST_TRACES = new RegExp([
  `uid=${process.getuid ? process.getuid() : 0}\\(`, 'uid=\\d+\\((?!user\\))', 'root:x:0:', '/work/', 'node_modules', 'ESCAPED',
  escapeRe(os.hostname()), escapeRe(os.release()), escapeRe(os.userInfo().username === 'user' ? 'x^' : `(${os.userInfo().username})`),
  escapeRe(process.cwd()), escapeRe(process.execPath),
].join('|'));

function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function checkExpect(c, r) {
  const e = c.expect || {};
  const problems = [];
  if (e.exit === 'nonzero') {
    if (r.exitCode === 0) problems.push('exit status 0, expected a failure');
  } else if (Array.isArray(e.exit)) {
    if (!e.exit.includes(r.exitCode)) problems.push(`exit ${r.exitCode}, expected one of ${e.exit}`);
  } else if (e.exit !== undefined && r.exitCode !== e.exit) {
    problems.push(`exit ${r.exitCode}, expected ${e.exit}`);
  }
  if (e.reason !== undefined && r.stopReason !== e.reason) problems.push(`stopReason ${r.stopReason}, expected ${e.reason}`);
  for (const k of ['stdout', 'stderr', 'output']) {
    if (e[k] && !e[k].test(r[k])) problems.push(`${k} does not match ${e[k]}`);
  }
  if (e.not && e.not.test(r.output)) problems.push(`output matches ${e.not}`);
  if (e.maxMs && r.durationMs > e.maxMs) problems.push(`took ${Math.round(r.durationMs)} ms (at most ${e.maxMs})`);
  if (HOST_TRACES.test(r.output) && !c.allowHostTraces) problems.push('the output shows something of the host');
  if (c.check) {
    const msg = c.check(r);
    if (msg) problems.push(msg);
  }
  if (problems.length) {
    const tail = r.output.length > 600 ? `...${r.output.slice(-600)}` : r.output;
    problems.push(`output: ${JSON.stringify(tail)}`);
  }
  return problems;
}

async function health(session) {
  const h = await session.run(HEALTH, { budget: { ms: 60000 } });
  if (h.stdout !== 'canary\nalive\n42\n' || h.exitCode !== 0) {
    return [`the session does not answer normally afterwards: ${JSON.stringify(h.output.slice(-400))} (exit ${h.exitCode})`];
  }
  return [];
}

// Each case starts as the first: a fresh shell (a fork bomb leaves its `:`
// function behind), an empty /workspace but for the canary, an empty /tmp.
function cleanSlate(session) {
  session.reset();
  for (const dir of ['/workspace', '/tmp']) {
    for (const e of session.listDir(dir)) {
      const p = `${dir}/${e.name}`;
      if (p !== CANARY) session.remove(p, { recursive: true });
    }
  }
}

async function runCase(session, c, ctx) {
  cleanSlate(session);
  if (c.js) {
    await c.js({ ...ctx, session });
    return [];
  }
  const r = await session.run(c.script, { budget: { ms: 10000, ...(c.budget || {}) }, stdin: c.stdin });
  return checkExpect(c, r);
}

async function main() {
  const filter = process.argv[2] || '';
  await setWarmPool(1);
  const files = fs.readdirSync(path.join(HERE, 'cases')).filter((f) => f.endsWith('.mjs')).sort();
  let passed = 0;
  let failed = 0;
  const perClass = {};
  for (const f of files) {
    const mod = await import(pathToFileURL(path.join(HERE, 'cases', f)).href);
    const cases = mod.cases.filter((c) => !filter || c.id.includes(filter));
    if (!cases.length) continue;
    const options = { ...(mod.options || {}) };
    options.files = { ...(options.files || {}), [CANARY]: 'canary\n' };
    let session = await createSession(options);
    const ctx = { createSession, options, newSession: async (o = options) => createSession(o) };
    for (const c of cases) {
      let problems;
      const t0 = Date.now();
      try {
        problems = await runCase(session, c, ctx);
        if (!c.noHealth) problems.push(...await health(session));
      } catch (e) {
        problems = [`threw ${e && e.stack ? e.stack.split('\n').slice(0, 4).join(' | ') : e}`];
      }
      const cls = c.class || f.replace(/\.mjs$/, '');
      perClass[cls] = perClass[cls] || { passed: 0, failed: 0 };
      if (problems.length) {
        failed++;
        perClass[cls].failed++;
        console.log(`FAIL ${c.id}\n  - ${problems.join('\n  - ')}`);
        if (session.closed) session = await createSession(options);
      } else {
        passed++;
        perClass[cls].passed++;
        if (process.env.VERBOSE) console.log(`ok   ${c.id} (${Date.now() - t0} ms)`);
      }
    }
    session.close();
  }
  for (const [cls, n] of Object.entries(perClass).sort()) {
    console.log(`  ${cls}: ${n.passed} passed, ${n.failed} failed`);
  }
  console.log(`security: ${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

await main();
