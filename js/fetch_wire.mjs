// fetch_wire.mjs - the wire format between the wasm side (curl and wget in
// src/net/, Python's network paths in src/bridge/net.py) and a session's
// fetch broker (Node: fetch_broker.mjs, browsers: browser/fetch_sync.mjs).
//
// Request: JSON {url, method, headers: {name: value}, body (base64), follow,
//   maxRedirects, timeoutMs, connectTimeoutMs, decompress, insecure}.
// Reply, status 0: a JSON line {status, statusText, httpVersion, headers:
//   [[name, value], ...] (as received), url (the last one), hops: [{status,
//   statusText, httpVersion, headers, url}, ...] (the redirects followed),
//   remoteIp, remotePort, ms, decoded}, "\n", then the body.
// Reply, status -1: JSON {error: kind, message, url, host, port, ms,
//   received, hops, max, limit}; kinds are FetchError's (fetch_policy.mjs).
import { FetchError } from './fetch_policy.mjs';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function fromBase64(s) {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function hopJson(h) {
  return { status: h.status, statusText: h.statusText || '', httpVersion: h.httpVersion || '1.1',
    headers: h.rawHeaders || Object.entries(h.headers || {}), url: h.url };
}

/**
 * One request in the wire format through `broker` (its fetchSync); `extra`
 * adds what the session knows ({interrupt, deadlineAt}). Returns {rc, bytes}.
 */
export function brokerExchange(broker, requestBytes, extra = {}) {
  try {
    const req = JSON.parse(decoder.decode(requestBytes));
    if (typeof req !== 'object' || req === null || typeof req.url !== 'string') {
      throw new FetchError('bad_url', 'fetch: malformed request (no url)');
    }
    const num = (v) => (typeof v === 'number' && v > 0 ? v : undefined);
    const res = broker.fetchSync({
      url: req.url, method: typeof req.method === 'string' ? req.method : 'GET',
      headers: req.headers && typeof req.headers === 'object' ? req.headers : {},
      body: typeof req.body === 'string' && req.body ? fromBase64(req.body) : undefined,
      follow: req.follow !== false, maxRedirects: typeof req.maxRedirects === 'number' ? req.maxRedirects : undefined,
      timeoutMs: num(req.timeoutMs), connectTimeoutMs: num(req.connectTimeoutMs),
      decompress: !!req.decompress, insecure: !!req.insecure, ...extra,
    });
    const head = encoder.encode(`${JSON.stringify({
      ...hopJson(res), hops: (res.hops || []).map(hopJson), remoteIp: res.remoteIp || '',
      remotePort: res.remotePort || 0, ms: res.ms || 0, decoded: !!res.decoded,
    })}\n`);
    const bytes = new Uint8Array(head.length + res.body.length);
    bytes.set(head, 0);
    bytes.set(res.body, head.length);
    return { rc: 0, bytes };
  } catch (e) {
    const d = (e && e.details) || {};
    const out = {
      error: (e && e.kind) || 'failed', message: String((e && e.message) || e), url: d.url || '', host: d.host || '',
      port: d.port || 0, ms: d.ms || 0, received: d.received || 0, hops: (d.hops || []).map(hopJson),
      max: d.max || 0, limit: d.limit || 0, connected: !!d.connected,
    };
    return { rc: -1, bytes: encoder.encode(JSON.stringify(out)) };
  }
}
