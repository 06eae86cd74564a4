// dispatcher.mjs - the HTTP front of a runner pool: authenticates clients,
// places each new session on the runner with the most free capacity, and
// forwards every later call for a session to the runner its id names
// (discovery.mjs). It keeps no session state, so any number of dispatchers
// can run, and a restarted one routes as before.
import crypto from 'node:crypto';
import http from 'node:http';

import {
  HttpError, TokenSet, readBody, requestIdOf, sendError, sendJson, unauthorized,
} from '../http.mjs';
import { Registry, addProcessMetrics } from '../metrics.mjs';
import { Discovery } from './discovery.mjs';

const MiB = 1024 * 1024;

export const DISPATCHER_SETTINGS = {
  host: ['0.0.0.0', 'string'],
  port: [8080, 'int'],
  tokens: [[], 'list'],
  tokensFile: ['', 'string'],
  runnerToken: ['', 'string'],
  runnerTokenFile: ['', 'string'],
  allowNoAuth: [false, 'bool'],
  runners: [[], 'list'],
  runnerDns: ['', 'string'],
  runnerPort: [8081, 'int'],
  runnerScheme: ['http', 'string'],
  runnerDnsServer: ['', 'string'],
  discoveryIntervalMs: [5000, 'int'],
  pollIntervalMs: [1000, 'int'],
  downAfterFailures: [2, 'int'],
  maxRequestMb: [64, 'int'],
  maxResponseMb: [64, 'int'],
  requestTimeoutMs: [60000, 'int'],
  runTimeoutMs: [330000, 'int'],
  createAttempts: [3, 'int'],
  drainTimeoutMs: [25000, 'int'],
  logLevel: ['info', 'string'],
};

const SESSION_PATH = /^\/v1\/sessions\/([A-Za-z0-9_-]{1,200})\.([A-Za-z0-9_-]{1,100})(\/[a-z]+)?$/;
const FORWARDED_REQUEST_HEADERS = ['content-type', 'accept'];
const FORWARDED_RESPONSE_HEADERS = ['content-type', 'content-length', 'retry-after', 'cache-control'];

const unavailable = (m) => new HttpError(503, 'WASMSH_UNAVAILABLE', m);

export class Dispatcher {
  constructor(config, log) {
    this.config = config;
    this.log = log;
    if (!config.tokens.length && !config.allowNoAuth) throw new Error('set WASMSH_TOKENS (or WASMSH_TOKENS_FILE), or WASMSH_ALLOW_NO_AUTH=true for a private test');
    if (!config.runnerToken && !config.allowNoAuth) throw new Error('set WASMSH_RUNNER_TOKEN (or _FILE): the token the runners expect');
    if (!config.runners.length && !config.runnerDns) throw new Error('set WASMSH_RUNNERS (URLs) or WASMSH_RUNNER_DNS (a name with one address per runner)');
    this.tokens = new TokenSet(config.tokens);
    this.inflight = 0;
    this.stopping = false;
    this.metrics = this.makeMetrics();
    this.discovery = new Discovery(config, log, this.metrics);
  }

  makeMetrics() {
    const reg = new Registry();
    const m = { reg };
    m.requests = reg.counter('wasmsh_dispatcher_requests_total', 'Requests, by route and status');
    m.seconds = reg.histogram('wasmsh_dispatcher_request_seconds', 'Request latency through the dispatcher, by route');
    m.upstreamErrors = reg.counter('wasmsh_dispatcher_upstream_errors_total', 'Failed calls to runners, by kind (connect, reset, timeout, too_large)');
    m.placements = reg.counter('wasmsh_dispatcher_placements_total', 'Sessions placed, by runner');
    m.denials = reg.counter('wasmsh_dispatcher_denials_total', 'Refused requests, by kind (auth, size, capacity)');
    reg.gauge('wasmsh_dispatcher_runners', 'Runners by state', () => {
      const by = { up: 0, draining: 0, down: 0, unknown: 0 };
      for (const r of this.discovery.runners.values()) by[r.state]++;
      return Object.entries(by).map(([state, n]) => [{ state }, n]);
    });
    reg.gauge('wasmsh_dispatcher_sessions', 'Open sessions on all runners (as last polled)',
      () => [...this.discovery.runners.values()].reduce((a, r) => a + (r.capacity && r.state !== 'down' ? r.capacity.sessions : 0), 0));
    reg.gauge('wasmsh_dispatcher_free_sessions', 'Free session slots on all runners (as last polled)',
      () => [...this.discovery.runners.values()].reduce((a, r) => a + r.free(), 0));
    reg.gauge('wasmsh_dispatcher_inflight_requests', 'Requests in progress', () => this.inflight);
    addProcessMetrics(reg, 'wasmsh_dispatcher');
    return m;
  }

  async start() {
    await this.discovery.start();
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.server.keepAliveTimeout = 65000;
    this.server.headersTimeout = 66000;
    return new Promise((resolve) => this.server.listen(this.config.port, this.config.host, () => resolve(this.server.address())));
  }

  async stop() {
    this.stopping = true;
    this.server.close();
    const until = Date.now() + this.config.drainTimeoutMs;
    while (this.inflight > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    this.server.closeAllConnections?.();
    this.discovery.stop();
  }

  async handle(req, res) {
    const requestId = requestIdOf(req);
    res.setHeader('x-request-id', requestId);
    const t0 = performance.now();
    const ctx = { requestId, route: 'other', runner: undefined, session: undefined };
    this.inflight++;
    let status;
    try {
      await this.route(req, res, ctx);
      status = res.statusCode;
    } catch (e) {
      status = sendError(res, e, requestId, this.log);
    } finally {
      this.inflight--;
    }
    const seconds = (performance.now() - t0) / 1000;
    this.metrics.requests.inc({ route: ctx.route, status });
    if (ctx.route !== 'health' && ctx.route !== 'metrics') {
      this.metrics.seconds.observe({ route: ctx.route }, seconds);
      this.log.info('request', {
        requestId, method: req.method, path: req.url.split('?')[0], status, ms: Math.round(seconds * 1e5) / 100,
        runner: ctx.runner, session: ctx.session,
      });
    }
  }

  auth(req) {
    if (!this.tokens.size) return 'anonymous0';
    const tenant = this.tokens.match(req.headers.authorization);
    if (tenant === null) {
      this.metrics.denials.inc({ kind: 'auth' });
      throw unauthorized();
    }
    return tenant;
  }

  async route(req, res, ctx) {
    const path = req.url.split('?')[0];
    if (path === '/healthz') { ctx.route = 'health'; sendJson(res, 200, { ok: true }); return; }
    if (path === '/readyz') {
      ctx.route = 'health';
      const up = this.discovery.upCount();
      sendJson(res, up > 0 && !this.stopping ? 200 : 503, { runnersUp: up, stopping: this.stopping });
      return;
    }
    if (path === '/metrics') {
      ctx.route = 'metrics';
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(this.metrics.reg.render());
      return;
    }
    const tenant = this.auth(req);
    if (path === '/v1/runners' && req.method === 'GET') {
      ctx.route = 'runners';
      sendJson(res, 200, { runners: [...this.discovery.runners.values()].map((r) => r.view()) });
      return;
    }
    const body = await this.body(req);
    if (path === '/v1/sessions' && req.method === 'POST') {
      ctx.route = 'create';
      await this.create(req, res, ctx, tenant, body);
      return;
    }
    const m = SESSION_PATH.exec(path);
    if (!m) {
      if (/^\/v1\/sessions\/[^/]+/.test(path)) throw new HttpError(404, 'WASMSH_SESSION_NOT_FOUND', `unknown session ${path.split('/')[3]}`);
      throw new HttpError(404, 'WASMSH_NOT_FOUND', `no route ${req.method} ${path}`);
    }
    const [, key, , op] = m;
    ctx.route = op ? op.slice(1) : req.method === 'DELETE' ? 'close' : 'info';
    ctx.session = `${m[1]}.${m[2]}`;
    const runner = this.discovery.get(key);
    if (!runner) {
      throw new HttpError(404, 'WASMSH_SESSION_NOT_FOUND',
        `unknown session ${ctx.session}: the runner it was created on is not among this dispatcher's runners (it stopped, or the id is wrong)`);
    }
    ctx.runner = runner.url;
    const timeoutMs = ctx.route === 'run' ? this.config.runTimeoutMs : this.config.requestTimeoutMs;
    await this.forward(req, res, runner, { tenant, body, timeoutMs, requestId: ctx.requestId, op: op || '' });
  }

  async body(req) {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'DELETE') {
      req.resume();
      return null;
    }
    try {
      return await readBody(req, this.config.maxRequestMb * MiB);
    } catch (e) {
      if (e instanceof HttpError && e.status === 413) this.metrics.denials.inc({ kind: 'size' });
      throw e;
    }
  }

  async create(req, res, ctx, tenant, body) {
    if (this.stopping) throw unavailable('the dispatcher is stopping');
    const tried = new Set();
    let last = null;
    for (let attempt = 0; attempt < this.config.createAttempts; attempt++) {
      const runner = this.discovery.candidates().find((r) => !tried.has(r.key));
      if (!runner) break;
      tried.add(runner.key);
      const id = `${runner.key}.${crypto.randomBytes(16).toString('base64url')}`;
      runner.inflightCreates++;
      let answer;
      try {
        answer = await this.upstream(req, runner, {
          path: '/v1/sessions', tenant, body, timeoutMs: this.config.requestTimeoutMs, requestId: ctx.requestId,
          extraHeaders: { 'x-wasmsh-session-id': id },
        });
      } catch (e) {
        last = e;
        this.discovery.failed(runner, e.message);
        runner.state = 'down';
        continue;
      } finally {
        runner.inflightCreates--;
      }
      if (answer.status === 429 || answer.status === 503) {
        // full or draining after all: the next poll corrects its capacity
        if (runner.capacity) runner.capacity = { ...runner.capacity, free: 0 };
        last = answer;
        answer.res.resume();
        continue;
      }
      ctx.runner = runner.url;
      ctx.session = id;
      if (answer.status === 201) this.metrics.placements.inc({ runner: runner.hostPort });
      if (answer.status === 201 && runner.capacity) {
        const c = runner.capacity;
        runner.capacity = { ...c, free: Math.max(0, c.free - 1), warm: Math.max(0, (c.warm || 0) - 1) };
      }
      await this.pipe(answer, res, runner);
      return;
    }
    this.metrics.denials.inc({ kind: 'capacity' });
    if (this.discovery.upCount() === 0) {
      throw unavailable(`no runner is up (${this.discovery.runners.size} known${last && last.message ? `; last error: ${last.message}` : ''})`);
    }
    const e = new HttpError(429, 'WASMSH_OVER_CAPACITY', 'every runner is full: try again later');
    e.retryAfter = 1;
    throw e;
  }

  async forward(req, res, runner, opts) {
    let answer;
    try {
      answer = await this.upstream(req, runner, { path: req.url, tenant: opts.tenant, body: opts.body, timeoutMs: opts.timeoutMs, requestId: opts.requestId });
    } catch (e) {
      throw e instanceof HttpError ? e : this.upstreamError(runner, e);
    }
    // a closed session frees its slot now, not at the next poll
    if (req.method === 'DELETE' && opts.op === '' && answer.status === 204 && runner.capacity) {
      runner.capacity = { ...runner.capacity, free: Math.min(runner.capacity.maxSessions, runner.capacity.free + 1) };
    }
    await this.pipe(answer, res, runner);
  }

  upstreamError(runner, e) {
    if (e.code === 'WASMSH_UPSTREAM_TIMEOUT') {
      this.metrics.upstreamErrors.inc({ kind: 'timeout' });
      return new HttpError(504, 'WASMSH_UPSTREAM_TIMEOUT', `runner ${runner.hostPort} did not answer in time`);
    }
    const kind = e.code === 'ECONNREFUSED' ? 'connect' : 'reset';
    this.metrics.upstreamErrors.inc({ kind });
    this.discovery.failed(runner, e.code || e.message);
    return new HttpError(502, 'WASMSH_RUNNER_UNAVAILABLE',
      `runner ${runner.hostPort} is unreachable (${e.code || e.message}): the session is lost if the runner stopped`);
  }

  /** Sends the request to a runner; resolves to {status, headers, res} once the answer's head is in. */
  upstream(req, runner, { path, tenant, body, timeoutMs, requestId, extraHeaders = {} }) {
    return new Promise((resolve, reject) => {
      const headers = { 'x-request-id': requestId, 'x-wasmsh-tenant': tenant, ...extraHeaders };
      if (this.config.runnerToken) headers.authorization = `Bearer ${this.config.runnerToken}`;
      for (const h of FORWARDED_REQUEST_HEADERS) if (req.headers[h]) headers[h] = req.headers[h];
      if (body) headers['content-length'] = body.length;
      const up = runner.transport.request(`${runner.url}${path}`, { method: req.method, headers, agent: runner.agent }, (r) => {
        resolve({ status: r.statusCode, headers: r.headers, res: r, up });
      });
      up.setTimeout(timeoutMs, () => {
        const e = new Error('timeout');
        e.code = 'WASMSH_UPSTREAM_TIMEOUT';
        up.destroy(e);
      });
      up.on('error', reject);
      up.end(body || undefined);
    });
  }

  /** Streams the runner's answer to the client, within maxResponseMb. */
  pipe(answer, res, runner) {
    const limit = this.config.maxResponseMb * MiB;
    const declared = Number(answer.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      answer.res.resume();
      this.metrics.upstreamErrors.inc({ kind: 'too_large' });
      throw new HttpError(413, 'WASMSH_TOO_LARGE', `the answer (${declared} bytes) is larger than the dispatcher's limit of ${limit} bytes`);
    }
    const headers = {};
    for (const h of FORWARDED_RESPONSE_HEADERS) if (answer.headers[h] !== undefined) headers[h] = answer.headers[h];
    res.writeHead(answer.status, headers);
    // the client went away: so does the call to the runner
    res.on('close', () => { if (!res.writableFinished) answer.up.destroy(); });
    const streamed = String(answer.headers['content-type'] || '').startsWith('application/x-ndjson');
    return new Promise((resolve) => {
      let size = 0;
      answer.res.on('data', (chunk) => {
        size += chunk.length;
        if (size > limit) {
          this.metrics.upstreamErrors.inc({ kind: 'too_large' });
          answer.up.destroy();
          res.destroy();
          resolve();
          return;
        }
        res.write(chunk);
      });
      answer.res.on('end', () => { res.end(); resolve(); });
      answer.res.on('error', () => { res.destroy(); resolve(); });
      answer.res.on('aborted', () => {
        // the runner died mid-answer: a streamed run ends with an error line, anything else is cut
        this.discovery.failed(runner, 'connection reset mid-answer');
        this.metrics.upstreamErrors.inc({ kind: 'reset' });
        if (streamed && !res.destroyed) {
          const error = { code: 'WASMSH_RUNNER_UNAVAILABLE', message: `runner ${runner.hostPort} went away during the run: the session is lost` };
          res.end(`${JSON.stringify({ type: 'error', status: 502, error })}\n`);
        } else {
          res.destroy();
        }
        resolve();
      });
    });
  }
}
