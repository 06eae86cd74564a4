// fetch_broker.mjs - the only way a session reaches the network.
//
// The shell and Python run synchronously inside one wasm call, so a request
// cannot await a promise. The broker does the request in a helper worker
// thread and blocks the calling thread with Atomics.wait until the reply is
// posted; receiveMessageOnPort then reads it synchronously. The worker starts
// at the first allowed request (sessions that never fetch never pay for it).
//
// Every URL is checked against the session's allowlist before it is fetched,
// and so is every redirect hop:
//   "example.com"       that host exactly (any port)
//   "*.example.com"     any subdomain of example.com (not example.com itself)
//   "example.com:8443"  that host on that port only
// Only http and https are allowed; an empty list means no network at all.
// (The sandbox issue hardens this further: body limits, DNS pinning, ...)
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';

import { HostNotAllowedError, OptionsError, WasmshError } from './errors.mjs';

const MAX_REDIRECTS = 10;
const DEFAULT_TIMEOUT_MS = 30000;

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', async ({ req, port, flag }) => {
  let reply;
  try {
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), req.timeoutMs);
    const res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body,
      redirect: 'manual', signal: ctl.signal });
    const body = new Uint8Array(await res.arrayBuffer());
    clearTimeout(timer);
    const headers = {};
    res.headers.forEach((v, k) => { headers[k] = v; });
    reply = { ok: true, status: res.status, headers, body };
  } catch (e) {
    reply = { ok: false, message: String(e && e.cause && e.cause.message || e && e.message || e) };
  }
  port.postMessage(reply);
  port.close();
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});
`;

function parseRule(rule) {
  if (typeof rule !== 'string' || !rule.trim()) throw new OptionsError(`allowedHosts: invalid entry ${JSON.stringify(rule)}`);
  const r = rule.trim().toLowerCase();
  const m = /^(\*\.)?([a-z0-9.-]+|\[[0-9a-f:]+\])(?::(\d+))?$/.exec(r);
  if (!m) throw new OptionsError(`allowedHosts: invalid entry ${JSON.stringify(rule)} (use host, *.domain or host:port)`);
  return { wildcard: !!m[1], host: m[2], port: m[3] ? Number(m[3]) : null };
}

export class FetchBroker {
  constructor(allowedHosts = []) {
    if (!Array.isArray(allowedHosts)) throw new OptionsError('allowedHosts must be an array of host names');
    this.rules = allowedHosts.map(parseRule);
    this.worker = null;
  }

  /** Whether the URL's host (and port) is allowed. */
  allows(url) {
    let u;
    try {
      u = new URL(url);
    } catch {
      return false;
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return false;
    const host = u.hostname.toLowerCase();
    const port = u.port ? Number(u.port) : (u.protocol === 'https:' ? 443 : 80);
    return this.rules.some((r) => {
      if (r.port !== null && r.port !== port) return false;
      if (r.wildcard) return host.endsWith(`.${r.host}`);
      return host === r.host;
    });
  }

  check(url) {
    let u;
    try {
      u = new URL(url);
    } catch {
      throw new WasmshError(`fetch ${url}: not a valid URL`, 'WASMSH_BAD_URL');
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') {
      throw new WasmshError(`fetch ${url}: only http and https URLs are allowed`, 'WASMSH_BAD_URL');
    }
    if (!this.allows(url)) throw new HostNotAllowedError(url, u.host);
  }

  /** One request, synchronously: {status, headers, body: Uint8Array, url}. Throws WasmshError. */
  fetchSync({ url, method = 'GET', headers = {}, body = undefined, timeoutMs = DEFAULT_TIMEOUT_MS }) {
    let current = url;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      this.check(current);
      const reply = this.requestSync({ url: current, method, headers, body, timeoutMs });
      if (!reply.ok) throw new WasmshError(`fetch ${current}: ${reply.message}`, 'WASMSH_FETCH_FAILED');
      const location = reply.headers.location;
      if (reply.status >= 300 && reply.status < 400 && location) {
        current = new URL(location, current).href;
        if (reply.status === 303 || ((reply.status === 301 || reply.status === 302) && method === 'POST')) {
          method = 'GET';
          body = undefined;
        }
        continue;
      }
      return { status: reply.status, headers: reply.headers, body: reply.body, url: current };
    }
    throw new WasmshError(`fetch ${url}: more than ${MAX_REDIRECTS} redirects`, 'WASMSH_FETCH_FAILED');
  }

  requestSync(req) {
    if (!this.worker) {
      this.worker = new Worker(WORKER_SOURCE, { eval: true });
      this.worker.unref();
    }
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const { port1, port2 } = new MessageChannel();
    this.worker.postMessage({ req, port: port2, flag }, [port2]);
    const waited = Atomics.wait(flag, 0, 0, req.timeoutMs + 5000);
    const msg = receiveMessageOnPort(port1);
    port1.close();
    if (waited === 'timed-out' || !msg) return { ok: false, message: 'timed out' };
    return msg.message;
  }

  close() {
    if (this.worker) this.worker.terminate();
    this.worker = null;
  }
}
