// fleet.mjs - starts runners and dispatchers as local processes on loopback
// for the scale tests and the load benchmark, and always stops them: every
// child is killed by stopAll(), and on this process's exit (even a crash).
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RUNNER_MAIN = path.join(ROOT, 'js/scale/runner/main.mjs');
export const DISPATCHER_MAIN = path.join(ROOT, 'js/scale/dispatcher/main.mjs');

const children = new Set();
process.on('exit', () => { for (const c of children) { try { c.kill('SIGKILL'); } catch { /* gone */ } } });
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => { for (const c of children) { try { c.kill('SIGKILL'); } catch { /* gone */ } } process.exit(130); });
}

/** A free TCP port on `host` (also free on the other loopback addresses we use, checked by binding). */
export async function freePort(hosts = ['127.0.0.1']) {
  for (let tries = 0; tries < 50; tries++) {
    const port = 20000 + Math.floor(Math.random() * 30000);
    let ok = true;
    for (const h of hosts) {
      // eslint-disable-next-line no-await-in-loop
      ok = ok && await new Promise((resolve) => {
        const s = net.createServer();
        s.once('error', () => resolve(false));
        s.listen(port, h, () => s.close(() => resolve(true)));
      });
    }
    if (ok) return port;
  }
  throw new Error('no free port');
}

class Proc {
  constructor(name, main, env, logFile, { uid, gid, cleanEnv } = {}) {
    this.name = name;
    this.logFile = logFile;
    this.log = fs.openSync(logFile, 'a');
    const base = cleanEnv ? { PATH: process.env.PATH } : process.env;
    this.child = spawn(process.execPath, [main], {
      env: { ...base, ...env }, stdio: ['ignore', this.log, this.log], uid, gid, cwd: '/',
    });
    children.add(this.child);
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => {
      children.delete(this.child);
      fs.closeSync(this.log);
      resolve({ code, signal });
    }));
  }

  get pid() { return this.child.pid; }

  get alive() { return this.child.exitCode === null && this.child.signalCode === null; }

  kill(signal = 'SIGTERM') {
    if (this.alive) this.child.kill(signal);
    return this.exited;
  }

  logText() { return fs.readFileSync(this.logFile, 'utf8'); }
}

async function waitFor(url, { timeoutMs = 180000, okStatus = [200], proc } = {}) {
  const until = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < until) {
    if (proc && !proc.alive) throw new Error(`${proc.name} exited while starting; its log:\n${proc.logText().slice(-2000)}`);
    try {
      // eslint-disable-next-line no-await-in-loop
      const r = await fetch(url);
      if (okStatus.includes(r.status)) return;
      last = `HTTP ${r.status}`;
    } catch (e) {
      last = e.message;
    }
    // eslint-disable-next-line no-await-in-loop
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} not ready within ${timeoutMs} ms (${last})`);
}

export class Fleet {
  constructor({ dir, runnerToken = 'runner-secret', tokens = ['client-a', 'client-b'] } = {}) {
    this.dir = dir || fs.mkdtempSync(path.join(process.env.TMPDIR || '/tmp', 'wasmsh-scale-'));
    this.runnerToken = runnerToken;
    this.tokens = tokens;
    this.runners = [];
    this.dispatchers = [];
  }

  /** Starts a runner on host:port with WASMSH_* settings `env`. */
  startRunner({ host = '127.0.0.1', port, name, env = {}, main = RUNNER_MAIN, proc = {} }) {
    const p = new Proc(name, main, {
      WASMSH_HOST: host, WASMSH_PORT: String(port), WASMSH_NAME: name, WASMSH_RUNNER_TOKEN: this.runnerToken,
      WASMSH_LOG_LEVEL: 'info', ...env,
    }, path.join(this.dir, `${name}.log`), proc);
    p.url = `http://${host}:${port}`;
    this.runners.push(p);
    return p;
  }

  startDispatcher({ port, name = 'dispatcher', env = {}, main = DISPATCHER_MAIN, proc = {} }) {
    const p = new Proc(name, main, {
      WASMSH_HOST: '127.0.0.1', WASMSH_PORT: String(port), WASMSH_TOKENS: this.tokens.join(','),
      WASMSH_RUNNER_TOKEN: this.runnerToken, WASMSH_POLL_INTERVAL_MS: '200', WASMSH_LOG_LEVEL: 'info', ...env,
    }, path.join(this.dir, `${name}.log`), proc);
    p.url = `http://127.0.0.1:${port}`;
    this.dispatchers.push(p);
    return p;
  }

  ready(p, opts) { return waitFor(`${p.url}/readyz`, { proc: p, ...opts }); }

  async stopAll() {
    const all = [...this.runners, ...this.dispatchers];
    await Promise.all(all.map((p) => p.kill('SIGKILL')));
    if (this.dns) this.dns.close();
  }

  /**
   * A tiny DNS server on UDP loopback answering A queries for `name` with
   * `addresses` (the dispatcher's DNS discovery in the tests, as a
   * Kubernetes headless service answers).
   */
  async startDns(name, addresses) {
    const sock = dgram.createSocket('udp4');
    sock.on('message', (msg, rinfo) => sock.send(dnsAnswer(msg, name, addresses), rinfo.port, rinfo.address));
    await new Promise((resolve) => sock.bind(0, '127.0.0.1', resolve));
    this.dns = sock;
    return `127.0.0.1:${sock.address().port}`;
  }
}

function dnsAnswer(q, name, addresses) {
  const id = q.readUInt16BE(0);
  // the question: labels up to the zero byte, then type and class
  let at = 12;
  const labels = [];
  while (q[at]) { labels.push(q.subarray(at + 1, at + 1 + q[at]).toString()); at += q[at] + 1; }
  const qEnd = at + 5;
  const qtype = q.readUInt16BE(at + 1);
  const match = labels.join('.').toLowerCase() === name.toLowerCase();
  const answers = match && qtype === 1 ? addresses : [];
  const head = Buffer.alloc(12);
  head.writeUInt16BE(id, 0);
  head.writeUInt16BE(match ? 0x8180 : 0x8183, 2); // response, RD+RA; NXDOMAIN when the name is not ours
  head.writeUInt16BE(1, 4);
  head.writeUInt16BE(answers.length, 6);
  const parts = [head, q.subarray(12, qEnd)];
  for (const a of answers) {
    const rr = Buffer.alloc(16);
    rr.writeUInt16BE(0xc00c, 0); // name: pointer to the question
    rr.writeUInt16BE(1, 2);
    rr.writeUInt16BE(1, 4);
    rr.writeUInt32BE(5, 6);
    rr.writeUInt16BE(4, 10);
    a.split('.').forEach((o, i) => rr.writeUInt8(Number(o), 12 + i));
    parts.push(rr);
  }
  return Buffer.concat(parts);
}
