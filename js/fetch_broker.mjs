// fetch_broker.mjs - the only way a session reaches the network (Node).
//
// The shell and Python run synchronously inside one wasm call, so a request
// cannot await a promise. The broker does the request in a helper worker
// thread and blocks the calling thread with Atomics.wait (in 50 ms slices,
// checking the session's interrupt buffer and the run's deadline) until the
// reply is posted; receiveMessageOnPort then reads it synchronously. The
// worker starts at the first allowed request (sessions that never fetch
// never pay for it).
//
// Rules (fetch_policy.mjs): the URL is parsed and checked once and its
// normalised href is what the worker fetches; every redirect hop is checked
// again (the worker never follows a redirect: the broker does, here); the
// request body, the response (also after decompression), the time and the
// number of redirects are limited. The worker speaks HTTP with node:http and
// node:https (not fetch) so that the response arrives as the server sent it
// (status text, header case and order, undecoded body: what curl -i shows),
// and so that the name is resolved by a lookup function the broker controls:
// a name resolving to an unspecified address (0.0.0.0, ::) is refused, and
// tests map names under .test to loopback addresses (setTestResolver, which
// accepts nothing else, so it cannot redirect a real name).
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';

import {
  AllowList, FetchError, checkRequest, fetchLimits, isRedirect, redirectedMethod, tooLarge, withHops,
} from './fetch_policy.mjs';

const WORKER_SOURCE = String.raw`
const http = require('node:http');
const https = require('node:https');
const dns = require('node:dns');
const zlib = require('node:zlib');
const { parentPort } = require('node:worker_threads');
const active = new Map();

function lookupWith(map) {
  return (hostname, options, cb) => {
    if (typeof options === 'function') { cb = options; options = {}; }
    const done = (err, list) => {
      if (err) return cb(err);
      const bad = list.find((a) => a.address === '0.0.0.0' || a.address === '::');
      if (bad) {
        const e = new Error('WASMSH_UNSPECIFIED ' + bad.address);
        e.code = 'WASMSH_UNSPECIFIED';
        return cb(e);
      }
      if (options.all) cb(null, list);
      else cb(null, list[0].address, list[0].family);
    };
    const mapped = map && map[hostname.toLowerCase()];
    if (mapped) return done(null, [{ address: mapped, family: mapped.includes(':') ? 6 : 4 }]);
    if (map && hostname.toLowerCase().endsWith('.test')) {
      const e = new Error('getaddrinfo ENOTFOUND ' + hostname);
      e.code = 'ENOTFOUND';
      return done(e);
    }
    dns.lookup(hostname, { all: true }, done);
  };
}

function decoder(encoding) {
  switch ((encoding || '').trim().toLowerCase()) {
  case 'gzip': case 'x-gzip': return zlib.createGunzip();
  case 'deflate': return zlib.createInflate();
  case 'br': return zlib.createBrotliDecompress();
  default: return null;
  }
}

function fail(kind, message, extra) {
  return Object.assign({ ok: false, kind, message }, extra || {});
}

function classify(e, req, t0, received) {
  const code = e && e.code;
  const ms = Date.now() - t0;
  const msg = String(e && e.message || e);
  const base = { ms, received };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || code === 'EAI_FAIL') return fail('resolve', 'could not resolve host ' + req.host, base);
  if (code === 'WASMSH_UNSPECIFIED') return fail('denied', req.host + ' resolves to ' + msg.split(' ')[1] + ', which is never allowed', base);
  if (code === 'ECONNREFUSED') return fail('connect', 'connection refused', base);
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return fail('connect', 'no route to host', base);
  if (code === 'ECONNRESET') return fail(received ? 'recv' : 'empty', received ? 'connection reset by peer' : 'empty reply from server', base);
  if (code === 'EPIPE') return fail('send', 'connection closed while sending', base);
  if (/^(CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_|ERR_TLS_CERT)/.test(code || '')) return fail('tls_cert', msg, base);
  if (/^ERR_SSL|^EPROTO/.test(code || '')) return fail('tls', msg, base);
  if (/^HPE_/.test(code || '')) return fail('bad_reply', 'malformed HTTP response (' + msg + ')', base);
  if (msg === 'socket hang up') return fail('empty', 'empty reply from server', base);
  return fail('failed', msg, base);
}

function handle({ id, req }, reply) {
  const t0 = Date.now();
  const mod = req.scheme === 'https:' ? https : http;
  let received = 0;
  let finished = false;
  let connected = false;
  const timers = [];
  const finish = (msg) => {
    if (finished) return;
    finished = true;
    for (const t of timers) clearTimeout(t);
    active.delete(id);
    reply(msg);
  };
  let request;
  try {
    request = mod.request(req.href, {
      method: req.method, headers: req.headers, agent: false, lookup: lookupWith(req.resolve),
      rejectUnauthorized: !req.insecure, servername: req.host.startsWith('[') ? undefined : req.host,
      insecureHTTPParser: false,
    });
  } catch (e) {
    finish(classify(e, req, t0, 0));
    return;
  }
  const abort = (msg) => { finish(msg); request.destroy(); };
  active.set(id, () => abort(fail('cancelled', 'cancelled', { ms: Date.now() - t0 })));
  timers.push(setTimeout(() => abort(fail('timeout', 'timed out after ' + req.timeoutMs + ' ms', { ms: Date.now() - t0, received, connected })), req.timeoutMs));
  if (req.connectTimeoutMs && req.connectTimeoutMs < req.timeoutMs) {
    timers.push(setTimeout(() => { if (!connected) abort(fail('timeout', 'connection timed out after ' + req.connectTimeoutMs + ' ms', { ms: Date.now() - t0, received: 0, connected: false, connectPhase: true })); }, req.connectTimeoutMs));
  }
  let remote = {};
  request.on('socket', (sock) => {
    const onConnect = () => { connected = true; remote = { remoteIp: sock.remoteAddress, remotePort: sock.remotePort, connectMs: Date.now() - t0 }; };
    sock.once(req.scheme === 'https:' ? 'secureConnect' : 'connect', onConnect);
  });
  request.on('error', (e) => finish(classify(e, req, t0, received)));
  request.on('response', (res) => {
    const parts = [];
    let size = 0;
    const dec = req.decompress && req.method !== 'HEAD' ? decoder(res.headers['content-encoding']) : null;
    const meta = { status: res.statusCode, statusText: res.statusMessage || '', httpVersion: res.httpVersion };
    const rawHeaders = [];
    for (let i = 0; i < res.rawHeaders.length; i += 2) rawHeaders.push([res.rawHeaders[i], res.rawHeaders[i + 1]]);
    const tooBig = () => abort(fail('too_large', 'too large', { ms: Date.now() - t0, received }));
    const collect = (chunk) => {
      size += chunk.length;
      if (size > req.maxResponseBytes) return tooBig();
      parts.push(chunk);
    };
    const done = () => {
      const body = new Uint8Array(size);
      let at = 0;
      for (const p of parts) { body.set(p, at); at += p.length; }
      finish(Object.assign({ ok: true, rawHeaders, body, ms: Date.now() - t0, decoded: !!dec }, meta, remote));
    };
    res.on('data', (chunk) => {
      received += chunk.length;
      if (received > req.maxResponseBytes) return tooBig();
      if (dec) dec.write(chunk); else collect(chunk);
    });
    res.on('error', (e) => finish(classify(e, req, t0, received)));
    res.on('aborted', () => finish(fail('recv', 'the connection was closed before the end of the response', { ms: Date.now() - t0, received })));
    if (dec) {
      dec.on('data', collect);
      dec.on('error', (e) => finish(fail('decode', 'cannot decode the ' + res.headers['content-encoding'] + ' content: ' + e.message, { ms: Date.now() - t0, received })));
      dec.on('end', done);
      res.on('end', () => dec.end());
    } else {
      res.on('end', done);
    }
  });
  if (req.body) request.end(Buffer.from(req.body)); else request.end();
}

parentPort.on('message', (m) => {
  if (m.abort !== undefined) { const a = active.get(m.abort); if (a) a(); return; }
  handle(m, (msg) => {
    try { m.port.postMessage(msg); } catch (e) { m.port.postMessage(fail('failed', String(e && e.message || e))); }
    m.port.close();
    Atomics.store(m.flag, 0, 1);
    Atomics.notify(m.flag, 0);
  });
});
`;

const SLICE_MS = 50;

/** Joins a response's raw headers into an object with lower-case names (as fetch's Headers). */
export function headerObject(rawHeaders) {
  const out = {};
  for (const [k, v] of rawHeaders) {
    const lk = k.toLowerCase();
    out[lk] = lk in out ? `${out[lk]}, ${v}` : v;
  }
  return out;
}

function sameOrigin(a, b) {
  return a.scheme === b.scheme && a.host === b.host && a.port === b.port;
}

export class FetchBroker {
  constructor(allowedHosts = [], limits = {}) {
    this.allowList = new AllowList(allowedHosts);
    this.limits = fetchLimits(limits);
    this.worker = null;
    this.nextId = 1;
    this.testResolver = null;
  }

  allows(url) {
    return this.allowList.allows(url);
  }

  check(url) {
    return this.allowList.check(url);
  }

  /**
   * Test-only: names (all under the reserved .test domain) answered with
   * loopback addresses instead of DNS, and every other .test name unknown.
   * It cannot affect a real name, so it is harmless if ever called outside
   * tests; nothing in the package calls it.
   */
  setTestResolver(map) {
    const out = {};
    for (const [name, ip] of Object.entries(map || {})) {
      const n = name.toLowerCase();
      if (!/^([a-z0-9-]+\.)+test$/.test(n)) throw new Error(`setTestResolver: ${name} is not a name under .test`);
      if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(ip) && ip !== '::1') throw new Error(`setTestResolver: ${ip} is not a loopback address`);
      out[n] = ip;
    }
    this.testResolver = out;
  }

  /**
   * One request, synchronously, following redirects when `follow`:
   * {status, statusText, httpVersion, headers, rawHeaders, body, url, hops,
   * remoteIp, remotePort, ms}. Throws FetchError (kind: denied, bad_url,
   * protocol, resolve, connect, timeout, too_large, request_too_large,
   * redirects, tls, tls_cert, recv, empty, send, bad_reply, decode, cancelled, failed).
   */
  fetchSync(req) {
    const { url, follow = true, interrupt, deadlineAt } = req;
    const limits = this.limits;
    const maxRedirects = Math.min(limits.maxRedirects, req.maxRedirects ?? Infinity);
    let method = (req.method || 'GET').toUpperCase();
    let body = req.body && req.body.length ? req.body : undefined;
    let { parsed, headers } = checkRequest(this.allowList, limits, { url, headers: req.headers, body });
    const first = parsed;
    const hops = [];
    const t0 = Date.now();
    for (;;) {
      // the run's deadline ends the wait just after it, so that the shell sees it passed
      const left = deadlineAt ? deadlineAt - Date.now() + 20 : Infinity;
      const own = Math.min(limits.timeoutMs, req.timeoutMs || Infinity) - (Date.now() - t0);
      const timeoutMs = Math.max(1, Math.min(own, left));
      const reply = this.requestSync({
        href: parsed.href, scheme: parsed.scheme, host: parsed.host, method, headers, body, timeoutMs,
        connectTimeoutMs: req.connectTimeoutMs || 0, maxResponseBytes: limits.maxResponseBytes,
        decompress: !!req.decompress, insecure: !!req.insecure, resolve: this.testResolver,
      }, interrupt);
      if (!reply.ok) throw this.failure(reply, parsed, hops, limits);
      const res = {
        status: reply.status, statusText: reply.statusText, httpVersion: reply.httpVersion,
        rawHeaders: reply.rawHeaders, headers: headerObject(reply.rawHeaders), url: parsed.href,
        remoteIp: reply.remoteIp, remotePort: reply.remotePort, ms: Date.now() - t0, decoded: reply.decoded,
      };
      const location = res.headers.location;
      if (!follow || !isRedirect(res.status) || !location) return { ...res, body: reply.body, hops };
      hops.push(res);
      if (hops.length > maxRedirects) {
        throw new FetchError('redirects', `fetch ${url}: more than ${maxRedirects} redirects`, { hops, max: maxRedirects });
      }
      let next;
      try {
        next = new URL(location, parsed.href).href;
      } catch {
        throw new FetchError('bad_url', `fetch ${url}: redirected to a bad URL (${location})`, { hops });
      }
      let p;
      try {
        p = this.allowList.parse(next);
      } catch (e) {
        e.message = `fetch ${url}: redirected to ${next}: ${e.message.replace(/^fetch \S+: /, '')}`;
        e.details = { ...e.details, hops };
        throw e;
      }
      if (!this.allowList.allowsParsed(p)) {
        throw withHops(this.allowList.denied(next, p, `fetch ${url}: redirected to ${next}, and `), hops);
      }
      const m2 = redirectedMethod(res.status, method);
      if (m2 !== method) body = undefined;
      method = m2;
      if (!sameOrigin(p, parsed) || !sameOrigin(p, first)) {
        headers = Object.fromEntries(Object.entries(headers).filter(([k]) => !/^(authorization|cookie|host)$/i.test(k)));
      }
      parsed = p;
    }
  }

  failure(reply, parsed, hops, limits) {
    const at = `fetch ${parsed.href}: `;
    const d = { url: parsed.href, host: parsed.host, port: parsed.port, ms: reply.ms, received: reply.received, hops,
      connected: !!reply.connected };
    if (reply.kind === 'too_large') return Object.assign(tooLarge(parsed.href, limits.maxResponseBytes), { details: { ...d, limit: limits.maxResponseBytes } });
    return new FetchError(reply.kind, at + reply.message, d);
  }

  requestSync(req, interrupt) {
    if (!this.worker) {
      this.worker = new Worker(WORKER_SOURCE, { eval: true });
      this.worker.unref();
    }
    const id = this.nextId++;
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const { port1, port2 } = new MessageChannel();
    this.worker.postMessage({ id, req, port: port2, flag }, [port2]);
    const giveUpAt = Date.now() + req.timeoutMs + 2000;
    try {
      for (;;) {
        if (Atomics.wait(flag, 0, 0, SLICE_MS) !== 'timed-out' || Atomics.load(flag, 0)) break;
        if (interrupt && Atomics.load(interrupt, 0)) {
          this.worker.postMessage({ abort: id });
          return { ok: false, kind: 'cancelled', message: 'cancelled' };
        }
        if (Date.now() > giveUpAt) {
          this.worker.postMessage({ abort: id });
          return { ok: false, kind: 'timeout', message: `timed out after ${req.timeoutMs} ms`, ms: req.timeoutMs };
        }
      }
      const msg = receiveMessageOnPort(port1);
      return msg ? msg.message : { ok: false, kind: 'failed', message: 'no reply from the fetch worker' };
    } finally {
      port1.close();
    }
  }

  close() {
    if (this.worker) this.worker.terminate();
    this.worker = null;
  }
}
