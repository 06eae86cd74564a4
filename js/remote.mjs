// remote.mjs - a wasmsh session on a dispatcher (or a runner) over HTTP: the
// browser session's API (every method returns a promise), for platforms that
// run sessions in a runner pool (docs/scalable.md, deploy/openapi.yaml).
//
//   import { createRemoteSession } from 'wasmsh';
//   const s = await createRemoteSession({ url: 'http://wasmsh:8080', token, allowedHosts: ['pypi.org'] });
//   const r = await s.run("python3 -c 'print(6*7)'");   // r.stdout === "42\n"
//   await s.close();
//
// Platform-neutral: in Node the requests go through node:http(s) with a
// keep-alive agent (a round trip costs a fraction of what fetch() does);
// elsewhere through fetch().
import { FsError, OptionsError, SessionBusyError, SessionClosedError, WasmshError } from './errors.mjs';

/** An HTTP error from the server, with its status and code (deploy/openapi.yaml lists them). */
export class RemoteError extends WasmshError {
  constructor(status, body, requestId) {
    const e = (body && body.error) || {};
    super(e.message || `HTTP ${status}`, e.code || `HTTP_${status}`,
      { status, requestId: e.requestId || requestId, reason: e.reason });
  }
}

const CREATE_OPTIONS = ['allowedHosts', 'budget', 'env', 'cwd', 'files', 'python', 'fetch', 'idleTimeoutMs', 'exportOnIdle'];
const CLIENT_OPTIONS = ['url', 'token', 'id', 'requestTimeoutMs', 'headers', 'fetchImpl'];
const RUN_OPTIONS = ['stdin', 'timeoutMs', 'budget', 'onStdout', 'onStderr'];
const DEFAULT_REQUEST_TIMEOUT_MS = 60000;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function toBase64(bytes) {
  if (typeof Buffer === 'function') return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function asBytes(data, where) {
  if (typeof data === 'string') return encoder.encode(data);
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  throw new OptionsError(`${where}: data must be a string, a Uint8Array or an ArrayBuffer`);
}

function fileData(data) {
  return typeof data === 'string' ? data : { base64: toBase64(asBytes(data, 'files')) };
}

function requestId() {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

// ------------------------------------------------------------------ transports

// {status, headers (lower-case names), body: Uint8Array} or, with onLine, the
// body delivered line by line as it arrives.
async function nodeTransport() {
  const http = await import(/* @vite-ignore */ ['node', 'http'].join(':'));
  const https = await import(/* @vite-ignore */ ['node', 'https'].join(':'));
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 256 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 256 }),
  };
  return (req) => new Promise((resolve, reject) => {
    const u = new URL(req.url);
    const mod = u.protocol === 'https:' ? https : http;
    const r = mod.request(u, { method: req.method, headers: req.headers, agent: agents[u.protocol] }, (res) => {
      const parts = [];
      let pending = '';
      res.on('data', (chunk) => {
        if (req.onLine && res.statusCode === 200) {
          pending += chunk.toString('utf8');
          let nl;
          while ((nl = pending.indexOf('\n')) >= 0) {
            const line = pending.slice(0, nl);
            pending = pending.slice(nl + 1);
            if (line) req.onLine(line);
          }
        } else {
          parts.push(chunk);
        }
      });
      res.on('end', () => {
        if (req.onLine && pending) req.onLine(pending);
        const body = Buffer.concat(parts);
        resolve({ status: res.statusCode, headers: res.headers, body: new Uint8Array(body.buffer, body.byteOffset, body.length) });
      });
      res.on('error', reject);
      res.on('aborted', () => reject(new WasmshError(`${req.method} ${u.pathname}: the connection was closed mid-response`, 'WASMSH_REMOTE_IO')));
    });
    r.setTimeout(req.timeoutMs, () => r.destroy(new WasmshError(
      `${req.method} ${u.pathname}: no answer within ${req.timeoutMs} ms`, 'WASMSH_REMOTE_TIMEOUT')));
    r.on('error', (e) => reject(e instanceof WasmshError ? e
      : new WasmshError(`${req.method} ${u.origin}${u.pathname}: ${e.message}`, 'WASMSH_REMOTE_IO', { cause: e })));
    r.end(req.body && req.body.length ? req.body : undefined);
  });
}

function fetchTransport(fetchImpl) {
  return async (req) => {
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), req.timeoutMs);
    try {
      let res;
      try {
        res = await fetchImpl(req.url, { method: req.method, headers: req.headers, body: req.body && req.body.length ? req.body : undefined, signal: ctl.signal });
      } catch (e) {
        const what = ctl.signal.aborted ? `no answer within ${req.timeoutMs} ms` : (e && e.message) || String(e);
        throw new WasmshError(`${req.method} ${req.url}: ${what}`, ctl.signal.aborted ? 'WASMSH_REMOTE_TIMEOUT' : 'WASMSH_REMOTE_IO', { cause: e });
      }
      const headers = {};
      res.headers.forEach((v, k) => { headers[k] = v; });
      if (req.onLine && res.status === 200 && res.body && res.body.getReader) {
        const reader = res.body.getReader();
        const dec = new TextDecoder();
        let pending = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          pending += dec.decode(value, { stream: true });
          let nl;
          while ((nl = pending.indexOf('\n')) >= 0) {
            const line = pending.slice(0, nl);
            pending = pending.slice(nl + 1);
            if (line) req.onLine(line);
          }
        }
        if (pending) req.onLine(pending);
        return { status: res.status, headers, body: new Uint8Array(0) };
      }
      return { status: res.status, headers, body: new Uint8Array(await res.arrayBuffer()) };
    } finally {
      clearTimeout(timer);
    }
  };
}

let defaultTransport = null;
function getDefaultTransport() {
  if (!defaultTransport) {
    const isNode = typeof process === 'object' && process.versions && process.versions.node;
    defaultTransport = isNode ? nodeTransport() : Promise.resolve(fetchTransport(globalThis.fetch.bind(globalThis)));
  }
  return defaultTransport;
}

// ------------------------------------------------------------------ client

class Client {
  constructor(o, transport) {
    this.base = o.url.replace(/\/+$/, '');
    this.token = o.token;
    this.timeoutMs = o.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.headers = { ...(o.headers || {}) };
    this.transport = transport;
  }

  /** Sends a request; a non-2xx answer throws the matching error. */
  async call(method, path, { query, json, body, contentType, timeoutMs, onLine } = {}) {
    let url = this.base + path;
    if (query) {
      const q = Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== false);
      if (q.length) url += `?${q.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&')}`;
    }
    const headers = { ...this.headers };
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'x-request-id')) headers['x-request-id'] = requestId();
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let payload = body;
    if (json !== undefined) {
      payload = encoder.encode(JSON.stringify(json));
      headers['content-type'] = 'application/json';
    } else if (body !== undefined) {
      headers['content-type'] = contentType || 'application/octet-stream';
    }
    if (payload && typeof Buffer === 'function' && !this.usesFetch) headers['content-length'] = String(payload.length);
    const res = await this.transport({ method, url, headers, body: payload, timeoutMs: timeoutMs ?? this.timeoutMs, onLine });
    if (res.status >= 200 && res.status < 300) return res;
    let parsed = null;
    try {
      parsed = JSON.parse(decoder.decode(res.body));
    } catch { /* not JSON (a proxy's page) */ }
    throw errorFrom(res.status, parsed, headers['x-request-id'], decoder.decode(res.body).slice(0, 200));
  }

  async callJson(method, path, opts) {
    const res = await this.call(method, path, opts);
    return res.body.length ? JSON.parse(decoder.decode(res.body)) : null;
  }
}

function errorFrom(status, body, reqId, text) {
  const e = body && body.error;
  if (e && e.code === 'WASMSH_FS') {
    const err = new FsError(e.op || 'fs', e.path || '', e.errno || 'EIO');
    err.status = status;
    return err;
  }
  if (e && e.code === 'WASMSH_BAD_OPTION') {
    const err = new OptionsError(e.message);
    err.status = status;
    return err;
  }
  if (e && e.code === 'WASMSH_SESSION_BUSY') {
    const err = new SessionBusyError();
    err.status = status;
    return err;
  }
  return new RemoteError(status, e ? body : { error: { message: `HTTP ${status}${text ? `: ${text}` : ''}` } }, reqId);
}

class RemoteSession {
  constructor(client, info) {
    this.client = client;
    this.id = info.id;
    this.url = client.base;
    this.lastCwd = info.cwd;
    // how the server made it: {from: 'pool'|'cold', ms} (create only)
    this.restore = info.restore || null;
    this.closed = false;
    this.path = `/v1/sessions/${encodeURIComponent(info.id)}`;
  }

  check() {
    if (this.closed) throw new SessionClosedError();
  }

  async run(script, runOptions = {}) {
    this.check();
    if (typeof script !== 'string') throw new OptionsError('run: script must be a string');
    const ro = runOptions || {};
    for (const k of Object.keys(ro)) {
      if (!RUN_OPTIONS.includes(k)) throw new OptionsError(`run: unknown option ${k} (known: ${RUN_OPTIONS.join(', ')})`);
    }
    for (const k of ['onStdout', 'onStderr']) {
      if (ro[k] !== undefined && typeof ro[k] !== 'function') throw new OptionsError(`run: ${k} must be a function`);
    }
    const req = { script };
    if (ro.stdin !== undefined && ro.stdin !== null) {
      if (typeof ro.stdin === 'string') req.stdin = ro.stdin;
      else req.stdinBase64 = toBase64(asBytes(ro.stdin, 'run: stdin'));
    }
    if (ro.timeoutMs !== undefined) req.timeoutMs = ro.timeoutMs;
    if (ro.budget !== undefined) req.budget = ro.budget;
    const budgetMs = Math.max(Number(ro.timeoutMs) || 0, Number(ro.budget && ro.budget.ms) || 0);
    const timeoutMs = this.client.timeoutMs + (Number.isFinite(budgetMs) ? budgetMs : 0);
    const stream = !!(ro.onStdout || ro.onStderr);
    let result;
    if (stream) {
      req.stream = true;
      let failure = null;
      let callbackError = null;
      await this.client.call('POST', `${this.path}/run`, {
        json: req, timeoutMs,
        onLine: (line) => {
          const m = JSON.parse(line);
          if (m.type === 'out') {
            const cb = m.fd === 2 ? ro.onStderr : ro.onStdout;
            try {
              if (cb) cb(m.text);
            } catch (e) {
              callbackError = callbackError || e;
            }
          } else if (m.type === 'result') {
            result = m.result;
          } else if (m.type === 'error') {
            failure = errorFrom(m.status || 500, { error: m.error }, m.error && m.error.requestId);
          }
        },
      });
      if (failure) throw failure;
      if (callbackError) throw callbackError;
      if (!result) throw new WasmshError('run: the stream ended without a result (the runner went away?)', 'WASMSH_REMOTE_IO');
    } else {
      result = await this.client.callJson('POST', `${this.path}/run`, { json: req, timeoutMs });
    }
    if (result.cwd !== undefined) {
      this.lastCwd = result.cwd;
      delete result.cwd;
    }
    return result;
  }

  async writeFile(p, data, { mode } = {}) {
    this.check();
    const bytes = asBytes(data, 'writeFile');
    await this.client.call('PUT', `${this.path}/files`, {
      query: { path: p, mode: mode === undefined ? undefined : (mode & 0o7777).toString(8) }, body: bytes,
    });
  }

  async readFile(p, { encoding } = {}) {
    this.check();
    if (encoding && encoding !== 'utf8' && encoding !== 'utf-8') {
      throw new OptionsError(`readFile: unsupported encoding ${encoding} (use 'utf8' or none)`);
    }
    const res = await this.client.call('GET', `${this.path}/files`, { query: { path: p } });
    return encoding ? decoder.decode(res.body) : res.body;
  }

  async listDir(p = '.') {
    this.check();
    return (await this.client.callJson('GET', `${this.path}/dir`, { query: { path: p } })).entries;
  }

  async stat(p) {
    this.check();
    return this.client.callJson('GET', `${this.path}/stat`, { query: { path: p } });
  }

  async remove(p, { recursive = false } = {}) {
    this.check();
    await this.client.call('DELETE', `${this.path}/files`, { query: { path: p, recursive: recursive || undefined } });
  }

  async mkdir(p, { recursive = false } = {}) {
    this.check();
    await this.client.call('POST', `${this.path}/dir`, { query: { path: p, recursive: recursive || undefined } });
  }

  async setArgs(arg0, args = []) {
    this.check();
    await this.client.call('POST', `${this.path}/args`, { json: { arg0: String(arg0), args: args.map(String) } });
  }

  async cwd() {
    this.check();
    const info = await this.info();
    return info.cwd;
  }

  async reset() {
    this.check();
    const r = await this.client.callJson('POST', `${this.path}/reset`, {});
    this.lastCwd = r.cwd;
  }

  async cancel() {
    if (this.closed) return;
    await this.client.call('POST', `${this.path}/cancel`, {});
  }

  async exportTar(p) {
    this.check();
    return (await this.client.call('GET', `${this.path}/archive`, { query: { path: p } })).body;
  }

  async importTar(data, p) {
    this.check();
    return this.client.callJson('PUT', `${this.path}/archive`, {
      query: { path: p }, body: asBytes(data, 'importTar'), contentType: 'application/x-tar',
    });
  }

  async info() {
    this.check();
    const info = await this.client.callJson('GET', this.path, {});
    this.lastCwd = info.cwd;
    return info;
  }

  async close() {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.client.call('DELETE', this.path, {});
    } catch (e) {
      // already gone on the server: closing is done either way
      if (!(e instanceof RemoteError && (e.status === 404 || e.status === 410))) throw e;
    }
  }
}

/**
 * Creates a session on a wasmsh dispatcher (or a runner), or attaches to an
 * existing one with `id`. The options are createSession's (without
 * interruptBuffer and runtimeDir) plus url, token, id, idleTimeoutMs,
 * exportOnIdle, requestTimeoutMs, headers, fetchImpl.
 */
export async function createRemoteSession(options) {
  if (!options || typeof options !== 'object') throw new OptionsError('createRemoteSession: options must be an object with a url');
  for (const k of Object.keys(options)) {
    if (!CREATE_OPTIONS.includes(k) && !CLIENT_OPTIONS.includes(k)) {
      throw new OptionsError(`createRemoteSession: unknown option ${k} (known: ${[...CLIENT_OPTIONS, ...CREATE_OPTIONS].join(', ')})`);
    }
  }
  if (typeof options.url !== 'string' || !/^https?:\/\//.test(options.url)) {
    throw new OptionsError('createRemoteSession: url must be an http:// or https:// URL');
  }
  if (options.token !== undefined && typeof options.token !== 'string') throw new OptionsError('createRemoteSession: token must be a string');
  if (options.fetchImpl !== undefined && typeof options.fetchImpl !== 'function') throw new OptionsError('createRemoteSession: fetchImpl must be a function');
  const transport = options.fetchImpl ? fetchTransport(options.fetchImpl) : await getDefaultTransport();
  const client = new Client(options, transport);
  client.usesFetch = !!options.fetchImpl || !(typeof process === 'object' && process.versions && process.versions.node);
  if (options.id !== undefined) {
    if (typeof options.id !== 'string' || !options.id) throw new OptionsError('createRemoteSession: id must be a session id');
    const info = await client.callJson('GET', `/v1/sessions/${encodeURIComponent(options.id)}`, {});
    return new RemoteSession(client, info);
  }
  const req = {};
  for (const k of CREATE_OPTIONS) {
    if (options[k] === undefined) continue;
    if (k === 'files') {
      if (typeof options.files !== 'object' || options.files === null) {
        throw new OptionsError('createSession: files must be an object mapping paths to contents');
      }
      req.files = Object.fromEntries(Object.entries(options.files).map(([p, d]) => [p, fileData(d)]));
    } else {
      req[k] = options[k];
    }
  }
  const info = await client.callJson('POST', '/v1/sessions', { json: req });
  return new RemoteSession(client, info);
}
