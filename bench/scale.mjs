#!/usr/bin/env node
// scale.mjs - the load benchmark of scalable mode (make bench-scale): one
// dispatcher and RUNNERS runners as local processes on loopback, driven
// through createRemoteSession. Reports session creates per second, restore
// latency (a warm worker taken from the pool, and a cold worker restored
// from the template), `echo hi` and `python3 -c` round trips through the
// dispatcher at concurrency 1, 8 and 32, and RSS per session; then a table
// beside wasmsh-rs's published figures.
//
//   node bench/scale.mjs [--runners=2] [--sessions=32] [--iterations=40] [--warm=4] [--warmup=3000] [--json]
import fs from 'node:fs';

import { createRemoteSession } from '../js/index.mjs';
import { Fleet, freePort } from '../test/scale/fleet.mjs';

const args = Object.fromEntries(process.argv.slice(2).map((a) => {
  const m = /^--([a-z]+)(?:=(.*))?$/.exec(a);
  if (!m) throw new Error(`unknown argument ${a}`);
  return [m[1], m[2] ?? 'true'];
}));
const RUNNERS = Number(args.runners || 2);
const SESSIONS = Number(args.sessions || 32);
const ITER = Number(args.iterations || 40);
const WARM = Number(args.warm || 4);
const WARMUP = Number(args.warmup ?? 3000);
const CONCURRENCY = [1, 8, 32].filter((c) => c <= SESSIONS);

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const f = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '-');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function rssOf(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

async function capacity(fleet, r) {
  return (await fetch(`${r.url}/v1/capacity`, { headers: { authorization: `Bearer ${fleet.runnerToken}` } })).json();
}

async function waitWarm(fleet, want) {
  for (let i = 0; i < 1200; i++) {
    const caps = await Promise.all(fleet.runners.map((r) => capacity(fleet, r)));
    if (caps.every((c) => c.warm >= want && c.preparing === 0)) return;
    await sleep(250);
  }
  throw new Error('the warm pools did not fill');
}

async function rounds(list, script, concurrency, iterations) {
  const lat = [];
  const inner = [];
  const t0 = performance.now();
  await Promise.all(list.slice(0, concurrency).map(async (s) => {
    for (let i = 0; i < iterations; i++) {
      const a = performance.now();
      const r = await s.run(script);
      lat.push(performance.now() - a);
      inner.push(r.durationMs);
      if (r.exitCode !== 0) throw new Error(`${script}: exit ${r.exitCode}: ${r.stderr}`);
    }
  }));
  const secs = (performance.now() - t0) / 1000;
  return { p50: pct(lat, 50), p95: pct(lat, 95), perSec: lat.length / secs, n: lat.length, innerP50: pct(inner, 50) };
}

async function main() {
  const fleet = new Fleet({ tokens: ['bench'] });
  const out = { config: { runners: RUNNERS, sessions: SESSIONS, iterations: ITER, warm: WARM, warmup: WARMUP } };
  try {
    const port = await freePort();
    for (let i = 0; i < RUNNERS; i++) {
      fleet.startRunner({ port: port + 1 + i, name: `runner${i + 1}`, env: {
        WASMSH_MAX_SESSIONS: String(SESSIONS + 8), WASMSH_WARM_POOL: String(WARM), WASMSH_MAX_CONCURRENT_RESTORES: '1',
        WASMSH_LOG_LEVEL: 'warn',
      } });
    }
    const d = fleet.startDispatcher({ port, env: { WASMSH_RUNNERS: fleet.runners.map((r) => r.url).join(','), WASMSH_LOG_LEVEL: 'warn' } });
    const tStart = performance.now();
    await Promise.all(fleet.runners.map((r) => fleet.ready(r, { timeoutMs: 600000 })));
    await fleet.ready(d);
    out.templateSeconds = (performance.now() - tStart) / 1000;
    await waitWarm(fleet, WARM);
    const rssBase = fleet.runners.map((r) => rssOf(r.pid));

    // creates: the first RUNNERS*WARM come from the warm pools, the rest are cold restores
    const opts = { url: d.url, token: 'bench' };
    const sessions = [];
    const createMs = [];
    const restore = { pool: [], cold: [] };
    const burst = RUNNERS * WARM;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: Math.min(burst, SESSIONS) }, async () => {
      const a = performance.now();
      const s = await createRemoteSession(opts);
      createMs.push(performance.now() - a);
      sessions.push(s);
    }));
    const burstSecs = (performance.now() - t0) / 1000;
    // then cold: one create at a time per runner, so that each restore is measured alone
    const t1 = performance.now();
    const coldN = SESSIONS - sessions.length;
    await Promise.all(Array.from({ length: Math.min(RUNNERS, coldN) }, async (_, w) => {
      for (let i = w; i < coldN; i += RUNNERS) {
        const s = await createRemoteSession(opts);
        sessions.push(s);
      }
    }));
    const coldSecs = (performance.now() - t1) / 1000;
    out.creates = { burst: Math.min(burst, SESSIONS), burstPerSec: Math.min(burst, SESSIONS) / burstSecs,
      cold: coldN, coldPerSec: coldN ? coldN / coldSecs : NaN, clientMsP50: pct(createMs, 50), clientMsP95: pct(createMs, 95) };
    // restore latency as the runners measured it (request to open session)
    for (const s of sessions) if (s.restore) restore[s.restore.from].push(s.restore.ms);
    out.restore = {
      poolP50: pct(restore.pool, 50), poolP95: pct(restore.pool, 95), poolN: restore.pool.length,
      coldP50: pct(restore.cold, 50), coldP95: pct(restore.cold, 95), coldN: restore.cold.length,
    };

    // warm up each session's first python3 (it compiles the driver), let the
    // pools refill and the machine settle, then the round trips
    for (const s of sessions) await s.run('python3 -c pass');
    await waitWarm(fleet, WARM);
    await sleep(2000);
    const rssAfter = fleet.runners.map((r) => rssOf(r.pid));
    out.rss = {
      baseMB: rssBase.map((b) => b / 1048576),
      perSessionMB: (rssAfter.reduce((a, b) => a + b, 0) - rssBase.reduce((a, b) => a + b, 0)) / sessions.length / 1048576,
    };
    // a fresh fleet's first runs, while V8 has not yet compiled the request
    // path of the client, the dispatcher and the runner (a service is past
    // this within its first seconds)
    out.coldEcho = await rounds(sessions, 'echo hi', 1, 100);
    // then warm the fleet: WARMUP runs spread over every session, the way a
    // running service is warm, before the measured round trips
    await Promise.all(sessions.slice(0, 8).map(async (_, w) => {
      for (let i = w; i < WARMUP; i += 8) {
        const s = sessions[i % sessions.length];
        await s.run(i % 4 === 3 ? "python3 -c 'print(6*7)'" : 'echo hi');
      }
    }));
    out.echo = {};
    out.python = {};
    for (const c of CONCURRENCY) {
      const it = Math.max(5, Math.round(ITER * (c === 1 ? 10 : 1)));
      out.echo[c] = await rounds(sessions, 'echo hi', c, it);
      out.python[c] = await rounds(sessions, "python3 -c 'print(6*7)'", c, Math.max(5, Math.round(it / 2)));
    }
    // a restore alone: one create at a time, each with the pools full and the machine settled
    const single = [];
    for (let i = 0; i < 10; i++) {
      await waitWarm(fleet, WARM);
      await sleep(300);
      const s = await createRemoteSession(opts);
      if (s.restore && s.restore.from === 'pool') single.push(s.restore.ms);
      await s.close();
    }
    out.restore.singleP50 = pct(single, 50);
    out.restore.singleP95 = pct(single, 95);
    out.restore.singleN = single.length;
    out.load = fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    await Promise.all(sessions.map((s) => s.close()));
  } finally {
    await fleet.stopAll();
  }
  return out;
}

const r = await main();
if (args.json) {
  console.log(JSON.stringify(r, null, 2));
} else {
  const lines = [];
  lines.push(`scalable mode: 1 dispatcher + ${RUNNERS} runners on loopback, ${SESSIONS} sessions, load average ${r.load} (2 cores, shared); round trips after a warm-up of ${WARMUP} runs`);
  lines.push('');
  lines.push('| measure | wasmsh (this run) | wasmsh-rs (published) |');
  lines.push('|---|---|---|');
  lines.push(`| session creates/s, from the warm pools (${r.creates.burst} at once) | ${f(r.creates.burstPerSec, 1)}/s | - |`);
  lines.push(`| session creates/s, cold (pools empty, ${r.creates.cold} sessions, one at a time per runner) | ${f(r.creates.coldPerSec, 1)}/s | - |`);
  lines.push(`| restore from the warm pool, one at a time (runner side) p50 / p95 | ${f(r.restore.singleP50)} / ${f(r.restore.singleP95)} ms | ~6 ms (warm template) |`);
  lines.push(`| restore from the warm pool, ${r.creates.burst} at once (runner side) p50 / p95 | ${f(r.restore.poolP50)} / ${f(r.restore.poolP95)} ms | - |`);
  lines.push(`| restore, cold worker from the template p50 / p95 | ${f(r.restore.coldP50, 0)} / ${f(r.restore.coldP95, 0)} ms | - |`);
  lines.push(`| \`echo hi\` round trip via the dispatcher, c=1, a fresh fleet's first ${r.coldEcho.n} runs: p50 / p95 | ${f(r.coldEcho.p50)} / ${f(r.coldEcho.p95)} ms | - |`);
  for (const c of CONCURRENCY) {
    lines.push(`| \`echo hi\` round trip via the dispatcher, c=${c}: p50 / p95 (req/s) | ${f(r.echo[c].p50)} / ${f(r.echo[c].p95)} ms (${f(r.echo[c].perSec, 0)}/s) | ${c === 1 ? '~1.5 ms (warm bash command)' : '-'} |`);
  }
  for (const c of CONCURRENCY) {
    lines.push(`| \`python3 -c\` round trip via the dispatcher, c=${c}: p50 / p95 (req/s) | ${f(r.python[c].p50)} / ${f(r.python[c].p95)} ms (${f(r.python[c].perSec, 0)}/s) | ${c === 1 ? '~3 ms' : '-'} |`);
  }
  lines.push(`| the same inside the session (the run itself, c=1 p50): \`echo hi\` / \`python3 -c\` | ${f(r.echo[1].innerP50, 3)} / ${f(r.python[1].innerP50, 3)} ms | - |`);
  lines.push(`| RSS per session (runner processes, ${SESSIONS} sessions) | ${f(r.rss.perSessionMB, 1)} MB | ~80 MB |`);
  console.log(lines.join('\n'));
}
