// fetch_broker.mjs - the only way a session reaches the network.
//
// The shell and Python run synchronously inside one wasm call, so a request
// cannot await a promise. The broker does the request in a helper worker
// thread and blocks the calling thread with Atomics.wait until the reply is
// posted; receiveMessageOnPort then reads it synchronously. The worker starts
// at the first allowed request (sessions that never fetch never pay for it).
//
// Every URL is checked against the session's allowlist (fetch_policy.mjs)
// before it is fetched, and so is every redirect hop: the worker fetches with
// redirect: 'manual' and the broker follows Location itself.
// (The sandbox issue hardens this further: DNS pinning, header rules, ...)
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';

import { WasmshError } from './errors.mjs';
import { AllowList, MAX_REDIRECTS, fetchLimits, tooLarge } from './fetch_policy.mjs';

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', async ({ req, port, flag }) => {
  let reply;
  try {
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), req.timeoutMs);
    const res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body,
      redirect: 'manual', signal: ctl.signal });
    const parts = [];
    let size = 0;
    if (res.body) {
      for await (const chunk of res.body) {
        size += chunk.length;
        if (size > req.maxResponseBytes) { ctl.abort(); throw new Error('WASMSH_TOO_LARGE'); }
        parts.push(chunk);
      }
    }
    const body = new Uint8Array(size);
    let at = 0;
    for (const p of parts) { body.set(p, at); at += p.length; }
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

export class FetchBroker {
  constructor(allowedHosts = [], limits = {}) {
    this.allowList = new AllowList(allowedHosts);
    this.limits = fetchLimits(limits);
    this.worker = null;
  }

  allows(url) {
    return this.allowList.allows(url);
  }

  check(url) {
    this.allowList.check(url);
  }

  /** One request, synchronously: {status, headers, body: Uint8Array, url}. Throws WasmshError. */
  fetchSync({ url, method = 'GET', headers = {}, body = undefined, follow = true }) {
    const { timeoutMs, maxResponseBytes } = this.limits;
    let current = url;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      this.check(current);
      const reply = this.requestSync({ url: current, method, headers, body, timeoutMs, maxResponseBytes });
      if (!reply.ok && reply.message === 'WASMSH_TOO_LARGE') throw tooLarge(current, maxResponseBytes);
      if (!reply.ok) throw new WasmshError(`fetch ${current}: ${reply.message}`, 'WASMSH_FETCH_FAILED');
      const location = reply.headers.location;
      if (follow && reply.status >= 300 && reply.status < 400 && location) {
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
