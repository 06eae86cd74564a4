// runner.mjs - the runner: many sessions in one Node process, each in its
// own worker thread (host.mjs, worker.mjs) made from the template
// (template.mjs), with a small pool of warm workers, idle reaping, drain,
// metrics, and the HTTP API of deploy/openapi.yaml.
import crypto from 'node:crypto';
import http from 'node:http';
import os from 'node:os';

import { checkSessionOptions } from '../../session_core.mjs';
import { entryCovered } from '../../fetch_policy.mjs';
import { OptionsError } from '../../errors.mjs';
import {
  HttpError, TokenSet, readBody, readJson, requestIdOf, sendBytes, sendError, sendJson, unauthorized,
} from '../http.mjs';
import { Registry, addProcessMetrics } from '../metrics.mjs';
import { SessionWorker, WorkerCrash } from './host.mjs';
import { buildTemplate, readTemplateDir } from './template.mjs';

const MiB = 1024 * 1024;

/** Settings (readConfig spec): name -> [default, kind]. docs/scalable.md documents each. */
export const RUNNER_SETTINGS = {
  host: ['0.0.0.0', 'string'],
  port: [8081, 'int'],
  name: [os.hostname(), 'string'],
  runnerToken: ['', 'string'],
  runnerTokenFile: ['', 'string'],
  allowNoAuth: [false, 'bool'],
  maxSessions: [16, 'int'],
  warmPool: [2, 'int'],
  maxConcurrentRestores: [1, 'int'],
  heapMb: [256, 'int'],
  youngMb: [16, 'int'],
  stackMb: [4, 'int'],
  wasmMaxMb: [1024, 'int'],
  idleTimeoutMs: [15 * 60000, 'int'],
  maxIdleTimeoutMs: [24 * 3600000, 'int'],
  reapIntervalMs: [5000, 'int'],
  archiveRetentionMs: [3600000, 'int'],
  archiveStoreMb: [256, 'int'],
  maxRequestMb: [64, 'int'],
  maxFileMb: [64, 'int'],
  defaultRunMs: [60000, 'int'],
  maxRunMs: [300000, 'int'],
  maxOutputBytes: [16 * MiB, 'int'],
  maxMemoryBytes: [512 * MiB, 'int'],
  maxSteps: [0, 'int'],
  hardGraceMs: [5000, 'int'],
  hostAllowlist: [[], 'list'],
  drainTimeoutMs: [25000, 'int'],
  templateDir: ['', 'string'],
  runtimeDir: ['', 'string'],
  logLevel: ['info', 'string'],
};

const BUDGET_KEYS = ['steps', 'ms', 'outputBytes', 'memoryBytes'];
const CREATE_KEYS = ['allowedHosts', 'budget', 'env', 'cwd', 'files', 'python', 'fetch', 'idleTimeoutMs', 'exportOnIdle'];
const SESSION_ID = /^[A-Za-z0-9_-]{1,100}(\.[A-Za-z0-9_-]{1,100})?$/;
const TOMBSTONES_MAX = 10000;

const gone = (reason, message) => new HttpError(410, 'WASMSH_SESSION_GONE', message, { reason });
const notFound = (id) => new HttpError(404, 'WASMSH_SESSION_NOT_FOUND', `unknown session ${id}`);
const badOption = (m) => new HttpError(400, 'WASMSH_BAD_OPTION', m);

// ------------------------------------------------------------------ options

function decodeFiles(files) {
  if (files === undefined) return {};
  if (typeof files !== 'object' || files === null || Array.isArray(files)) throw badOption('files must be an object mapping paths to contents');
  const out = {};
  for (const [p, d] of Object.entries(files)) {
    if (typeof d === 'string') out[p] = d;
    else if (d && typeof d.base64 === 'string') out[p] = new Uint8Array(Buffer.from(d.base64, 'base64'));
    else throw badOption(`files[${JSON.stringify(p)}] must be a string or {"base64": "..."}`);
  }
  return out;
}

// ------------------------------------------------------------------ runner

export class Runner {
  constructor(config, log) {
    this.config = config;
    this.log = log;
    const token = config.runnerToken;
    if (!token && !config.allowNoAuth) throw new Error('set WASMSH_RUNNER_TOKEN (or _FILE), or WASMSH_ALLOW_NO_AUTH=true for a private test');
    this.tokens = new TokenSet(token ? [token] : []);
    this.sessions = new Map(); // id -> record
    this.tombstones = new Map(); // id -> {reason, message, tenant, at}
    this.archives = new Map(); // id -> {tar, tenant, at}
    this.archiveBytes = 0;
    this.pool = []; // warm SessionWorkers
    this.refilling = []; // workers being restored for the pool (a create may claim one)
    this.preparing = 0;
    this.creating = 0;
    this.draining = false;
    this.ready = false;
    this.template = null;
    this.limits = {
      resourceLimits: { maxOldGenerationSizeMb: config.heapMb, maxYoungGenerationSizeMb: config.youngMb, stackSizeMb: config.stackMb },
      wasmMaxBytes: config.wasmMaxMb * MiB,
    };
    this.caps = {
      steps: config.maxSteps || Infinity, ms: config.maxRunMs || Infinity,
      outputBytes: config.maxOutputBytes || Infinity, memoryBytes: config.maxMemoryBytes || Infinity,
    };
    this.metrics = this.makeMetrics();
  }

  makeMetrics() {
    const reg = new Registry();
    const m = { reg };
    reg.gauge('wasmsh_runner_sessions', 'Open sessions', () => this.sessions.size);
    reg.gauge('wasmsh_runner_sessions_max', 'Sessions this runner takes', () => this.config.maxSessions);
    reg.gauge('wasmsh_runner_sessions_utilization', 'Open sessions / maximum (the autoscaling metric)',
      () => this.sessions.size / Math.max(1, this.config.maxSessions));
    reg.gauge('wasmsh_runner_warm_workers', 'Pre-restored session workers waiting', () => this.pool.length);
    reg.gauge('wasmsh_runner_busy_sessions', 'Sessions with a call in progress', () => [...this.sessions.values()].filter((r) => r.worker.busy).length);
    reg.gauge('wasmsh_runner_draining', '1 while draining', () => (this.draining ? 1 : 0));
    reg.gauge('wasmsh_runner_ready', '1 when the template is built and the runner takes sessions', () => (this.isReady() ? 1 : 0));
    reg.gauge('wasmsh_runner_wasm_memory_bytes', 'Wasm memory of the open sessions (sum)',
      () => [...this.sessions.values()].reduce((a, r) => a + (r.worker.wasmBytes || 0), 0));
    reg.gauge('wasmsh_runner_archive_store_bytes', 'Bytes of tar archives kept for reaped sessions', () => this.archiveBytes);
    m.created = reg.counter('wasmsh_runner_sessions_created_total', 'Sessions created, by where the worker came from (pool, cold)');
    m.closed = reg.counter('wasmsh_runner_sessions_closed_total', 'Sessions ended, by reason (client, idle, crashed, drained)');
    m.restores = reg.counter('wasmsh_runner_restores_total', 'Session workers restored from the template');
    m.restoreFailures = reg.counter('wasmsh_runner_restore_failures_total', 'Session workers that failed to restore');
    m.restoreSeconds = reg.histogram('wasmsh_runner_restore_seconds', 'Time to restore one worker from the template (snapshot, side module, warm-up)');
    m.createSeconds = reg.histogram('wasmsh_runner_create_seconds', 'Time from a create request to the open session, by from (pool, cold)');
    m.runSeconds = reg.histogram('wasmsh_runner_run_seconds', 'Run latency (request to result)');
    m.runs = reg.counter('wasmsh_runner_runs_total', 'Runs, by outcome (ok, nonzero, budget, error)');
    m.budgetStops = reg.counter('wasmsh_runner_budget_stops_total', 'Runs stopped by a budget, by reason (steps, time, output, memory, cancel, ...)');
    m.denials = reg.counter('wasmsh_runner_denials_total', 'Refusals, by kind (network: a host not allowed; auth; capacity; size)');
    m.crashes = reg.counter('wasmsh_runner_worker_crashes_total', 'Session workers that died, by reason (oom, deadline, error, exit)');
    m.requests = reg.counter('wasmsh_runner_http_requests_total', 'HTTP requests, by route and status');
    m.templateSeconds = reg.gauge('wasmsh_runner_template_build_seconds', 'Time the template took to build');
    addProcessMetrics(reg, 'wasmsh_runner');
    return m;
  }

  // --- template and pool

  async start() {
    const t = await buildTemplate({ runtimeDir: this.config.runtimeDir || undefined, resourceLimits: { ...this.limits.resourceLimits, maxOldGenerationSizeMb: Math.max(512, this.config.heapMb) } });
    this.template = { seed: t.seed, files: readTemplateDir(this.config.templateDir) };
    this.metrics.templateSeconds.set(t.ms / 1000);
    this.log.info('template built', { ms: Math.round(t.ms), snapshotBytes: t.seed.snapshot.length, templateFiles: this.template.files.length });
    this.ready = true;
    this.fillPool();
    this.reaper = setInterval(() => this.reap(), this.config.reapIntervalMs);
    this.reaper.unref();
  }

  isReady() { return this.ready && !this.draining; }

  newWorker() {
    const w = new SessionWorker({
      seed: this.template.seed, templateFiles: this.template.files, ...this.limits,
      onEvent: (m) => { if (m.type === 'denial') this.metrics.denials.inc({ kind: 'network' }); },
    });
    this.preparing++;
    w.warm.then(() => {
      this.metrics.restores.inc();
      this.metrics.restoreSeconds.observe((performance.now() - w.t0) / 1000);
    }, (e) => {
      this.metrics.restoreFailures.inc();
      this.log.warn('a session worker failed to restore', { error: e.message });
    }).finally(() => { this.preparing--; });
    return w;
  }

  /** Keeps `warmPool` workers warm, within maxSessions (open + warm) and the restore concurrency. */
  fillPool() {
    if (!this.ready || this.draining || this.stopping) return;
    const { warmPool, maxSessions, maxConcurrentRestores } = this.config;
    while (this.pool.length + this.preparing < warmPool
      && this.sessions.size + this.creating + this.pool.length + this.preparing < maxSessions + warmPool
      && this.preparing < Math.max(1, maxConcurrentRestores)) {
      const w = this.newWorker();
      this.refilling.push(w);
      const done = () => {
        const i = this.refilling.indexOf(w);
        if (i >= 0) this.refilling.splice(i, 1);
      };
      w.warm.then(() => {
        done();
        if (w.claimed) return;
        if (this.draining || this.stopping || w.crash) { w.terminate(); return; }
        this.pool.push(w);
        w.onDeath = () => {
          const i = this.pool.indexOf(w);
          if (i >= 0) this.pool.splice(i, 1);
          this.fillPool();
        };
      }, done).finally(() => this.fillPool());
    }
  }

  /** fillPool after the answer in progress is sent (starting a Worker costs the main thread a few ms). */
  fillPoolSoon() {
    if (this.fillTimer) return;
    this.fillTimer = setTimeout(() => {
      this.fillTimer = null;
      this.fillPool();
    }, 5);
  }

  /** A warm worker; else the refill furthest along (no second restore started beside it); else a new one. */
  async takeWorker() {
    const w = this.pool.shift();
    if (w) return { worker: w, from: 'pool' };
    const pending = this.refilling.find((x) => !x.claimed);
    if (pending) {
      pending.claimed = true;
      try {
        await pending.warm;
        return { worker: pending, from: 'cold' };
      } catch { /* that restore failed: make one here */ }
    }
    const cold = this.newWorker();
    await cold.warm;
    return { worker: cold, from: 'cold' };
  }

  capacity() {
    const { maxSessions } = this.config;
    const used = this.sessions.size + this.creating;
    return {
      name: this.config.name, sessions: this.sessions.size, creating: this.creating, maxSessions,
      free: this.isReady() ? Math.max(0, maxSessions - used) : 0, warm: this.pool.length,
      preparing: this.preparing, draining: this.draining, ready: this.isReady(),
    };
  }

  // --- sessions

  checkCreate(body) {
    for (const k of Object.keys(body)) {
      if (!CREATE_KEYS.includes(k)) throw badOption(`createSession: unknown option ${k} (known: ${CREATE_KEYS.join(', ')})`);
    }
    const files = decodeFiles(body.files);
    const { idleTimeoutMs, exportOnIdle, ...rest } = body;
    rest.files = files;
    if (rest.budget !== undefined) rest.budget = this.capBudget(rest.budget, true);
    else rest.budget = this.capBudget({}, true);
    const allow = this.config.hostAllowlist;
    if (allow.length && Array.isArray(rest.allowedHosts)) {
      for (const h of rest.allowedHosts) {
        if (!entryCovered(h, allow)) {
          this.metrics.denials.inc({ kind: 'host_option' });
          throw badOption(`allowedHosts: ${h} is not allowed on this runner (its operators allow: ${allow.join(', ')})`);
        }
      }
    }
    try {
      checkSessionOptions({ ...rest, files: {} });
    } catch (e) {
      if (e instanceof OptionsError) throw badOption(e.message);
      throw e;
    }
    let idle = this.config.idleTimeoutMs;
    if (idleTimeoutMs !== undefined) {
      if (!(Number.isFinite(idleTimeoutMs) && idleTimeoutMs > 0)) throw badOption('idleTimeoutMs must be a number > 0');
      idle = Math.min(idleTimeoutMs, this.config.maxIdleTimeoutMs);
    }
    return { options: rest, idleTimeoutMs: idle, exportOnIdle: !!exportOnIdle };
  }

  /**
   * A budget capped by the runner's maxima. null means "unlimited", which
   * is then the maximum; with `withDefaults`, keys left out get the defaults
   * (a session's budget: every later run falls back to it).
   */
  capBudget(b, withDefaults) {
    if (typeof b !== 'object' || b === null || Array.isArray(b)) throw badOption('budget must be an object');
    const out = {};
    for (const k of Object.keys(b)) if (!BUDGET_KEYS.includes(k)) throw badOption(`unknown budget ${k} (known: ${BUDGET_KEYS.join(', ')})`);
    for (const k of BUDGET_KEYS) {
      let v = b[k];
      if (v === undefined) {
        if (!withDefaults) continue;
        v = k === 'ms' ? this.config.defaultRunMs || Infinity : Infinity;
      }
      if (v === null) v = Infinity;
      if (!(typeof v === 'number' && v >= 0)) throw badOption(`budget.${k} must be a number >= 0 or null (unlimited)`);
      v = Math.min(v, this.caps[k]);
      if (v !== Infinity) out[k] = v;
      else if (withDefaults) out[k] = Infinity;
    }
    return out;
  }

  async createSession(body, tenant, wantedId) {
    if (this.draining || this.stopping) throw new HttpError(503, 'WASMSH_UNAVAILABLE', `runner ${this.config.name} is draining: it takes no new sessions`);
    if (!this.ready) throw new HttpError(503, 'WASMSH_UNAVAILABLE', `runner ${this.config.name} is not ready (building its template)`);
    const { options, idleTimeoutMs, exportOnIdle } = this.checkCreate(body);
    if (this.sessions.size + this.creating >= this.config.maxSessions) {
      this.metrics.denials.inc({ kind: 'capacity' });
      const e = new HttpError(429, 'WASMSH_OVER_CAPACITY', `runner ${this.config.name} is full (${this.config.maxSessions} sessions)`);
      e.retryAfter = 1;
      throw e;
    }
    if (wantedId !== undefined && (!SESSION_ID.test(wantedId) || this.sessions.has(wantedId) || this.tombstones.has(wantedId))) {
      throw new HttpError(409, 'WASMSH_SESSION_EXISTS', `session id ${wantedId} is taken or malformed`);
    }
    const id = wantedId ?? crypto.randomBytes(16).toString('base64url');
    const t0 = performance.now();
    this.creating++;
    let worker;
    let from;
    try {
      ({ worker, from } = await this.takeWorker());
      const ready = await worker.open(options);
      const rec = {
        id, tenant, worker, cwd0: ready.cwd, cwd: ready.cwd, createdAt: Date.now(), lastActive: Date.now(), runs: 0,
        idleTimeoutMs, exportOnIdle, running: false, sessionMs: options.budget.ms ?? Infinity,
      };
      this.sessions.set(id, rec);
      worker.onDeath = (crash) => this.onWorkerDeath(rec, crash);
      const ms = performance.now() - t0;
      this.metrics.created.inc({ from });
      this.metrics.createSeconds.observe({ from }, ms / 1000);
      return { ...this.info(rec), restore: { from, ms: Math.round(ms * 100) / 100 } };
    } catch (e) {
      if (worker) worker.terminate();
      if (e.code === 'WASMSH_BAD_OPTION' || (e.remote && e.remote.code === 'WASMSH_BAD_OPTION')) throw badOption(e.message);
      if (e instanceof HttpError) throw e;
      throw new HttpError(503, 'WASMSH_UNAVAILABLE', `could not start a session: ${e.message}`);
    } finally {
      this.creating--;
      this.fillPoolSoon();
    }
  }

  onWorkerDeath(rec, crash) {
    if (this.sessions.get(rec.id) !== rec) return;
    this.sessions.delete(rec.id);
    this.metrics.crashes.inc({ reason: crash.reason });
    this.metrics.closed.inc({ reason: 'crashed' });
    this.bury(rec, 'crashed', `session ${rec.id} crashed: ${crash.message}`);
    this.log.warn('session worker died', { session: rec.id, reason: crash.reason, message: crash.message });
    this.fillPool();
  }

  bury(rec, reason, message) {
    this.tombstones.set(rec.id, { reason, message, tenant: rec.tenant, at: Date.now() });
    while (this.tombstones.size > TOMBSTONES_MAX) this.tombstones.delete(this.tombstones.keys().next().value);
  }

  info(rec) {
    return {
      id: rec.id, cwd: rec.cwd, createdAt: new Date(rec.createdAt).toISOString(),
      lastActiveAt: new Date(rec.lastActive).toISOString(), busy: rec.worker.busy, runs: rec.runs,
      idleTimeoutMs: rec.idleTimeoutMs, runner: this.config.name,
    };
  }

  /** The open session `id` of `tenant`, or the 404/410 that says why not. */
  lookup(id, tenant) {
    const rec = this.sessions.get(id);
    if (rec && rec.tenant === tenant) {
      rec.lastActive = Date.now();
      return rec;
    }
    const t = this.tombstones.get(id);
    if (t && t.tenant === tenant) {
      const kept = this.archives.has(id) ? ' (its files were kept: GET .../archive)' : '';
      throw gone(t.reason, `${t.message}${kept}`);
    }
    throw notFound(id);
  }

  /** A worker call; worker errors become HTTP errors. */
  async call(rec, method, args, transfer) {
    try {
      const r = await rec.worker.call(method, args, transfer);
      if (r.cwd) rec.cwd = r.cwd;
      return r.value;
    } catch (e) {
      throw this.workerError(rec, e);
    } finally {
      rec.lastActive = Date.now();
    }
  }

  workerError(rec, e) {
    if (e instanceof WorkerCrash) {
      if (e.reason === 'closed') return notFound(rec.id);
      return new HttpError(500, 'WASMSH_SESSION_CRASHED', `session ${rec.id} crashed: ${e.message}`, { reason: e.reason });
    }
    const r = e.remote || {};
    if (r.code === 'WASMSH_FS') return new HttpError(400, 'WASMSH_FS', r.message, { op: r.op, path: r.path, errno: r.errno });
    if (r.code === 'WASMSH_BAD_OPTION') return badOption(r.message);
    if (r.code === 'WASMSH_TOO_LARGE') return new HttpError(413, 'WASMSH_TOO_LARGE', r.message);
    if (r.code === 'WASMSH_SESSION_BUSY') return new HttpError(409, 'WASMSH_SESSION_BUSY', r.message);
    if (r.code === 'WASMSH_BAD_ARCHIVE') return new HttpError(400, 'WASMSH_BAD_ARCHIVE', r.message);
    return new HttpError(500, 'WASMSH_INTERNAL', r.message || e.message);
  }

  runBudget(rec, body) {
    const b = this.capBudget(body.budget ?? {}, false);
    if (body.timeoutMs !== undefined) {
      if (!(typeof body.timeoutMs === 'number' && body.timeoutMs >= 0)) throw badOption('run: timeoutMs must be a number >= 0');
      b.ms = Math.min(body.timeoutMs, this.caps.ms);
    }
    return b;
  }

  async run(rec, body, onOut) {
    if (typeof body.script !== 'string') throw badOption('run: script must be a string');
    for (const k of Object.keys(body)) {
      if (!['script', 'stdin', 'stdinBase64', 'timeoutMs', 'budget', 'stream'].includes(k)) throw badOption(`run: unknown option ${k}`);
    }
    if (rec.running) throw new HttpError(409, 'WASMSH_SESSION_BUSY', 'the session is already running a script: wait for the previous run');
    const budget = this.runBudget(rec, body);
    let stdin = new Uint8Array(0);
    if (typeof body.stdinBase64 === 'string') stdin = new Uint8Array(Buffer.from(body.stdinBase64, 'base64'));
    else if (typeof body.stdin === 'string') stdin = new TextEncoder().encode(body.stdin);
    const ms = budget.ms ?? rec.sessionMs;
    const hardMs = Number.isFinite(ms) && ms > 0 ? ms + 1000 : (Number.isFinite(this.caps.ms) ? this.caps.ms + 1000 : undefined);
    rec.running = true;
    const t0 = performance.now();
    try {
      const r = await rec.worker.run(body.script, { stdin, budget, stream: !!onOut, onOut, hardMs });
      rec.cwd = r.cwd;
      rec.runs++;
      const res = r.value;
      const outcome = res.stopReason ? 'budget' : res.exitCode === 0 ? 'ok' : 'nonzero';
      this.metrics.runs.inc({ outcome });
      if (res.stopReason) this.metrics.budgetStops.inc({ reason: res.stopReason });
      res.cwd = r.cwd;
      return res;
    } catch (e) {
      this.metrics.runs.inc({ outcome: 'error' });
      throw this.workerError(rec, e);
    } finally {
      rec.running = false;
      rec.lastActive = Date.now();
      this.metrics.runSeconds.observe((performance.now() - t0) / 1000);
    }
  }

  closeSession(rec, reason) {
    if (this.sessions.get(rec.id) === rec) this.sessions.delete(rec.id);
    this.metrics.closed.inc({ reason });
    rec.worker.terminate();
    if (reason !== 'client') this.bury(rec, reason, `session ${rec.id} was closed by the runner (${reason === 'idle' ? `idle for ${rec.idleTimeoutMs} ms` : reason})`);
    this.fillPoolSoon();
  }

  // --- idle reaping and archives

  async reap() {
    const now = Date.now();
    for (const rec of [...this.sessions.values()]) {
      if (rec.worker.busy || rec.reaping || now - rec.lastActive < rec.idleTimeoutMs) continue;
      rec.reaping = true;
      if (rec.exportOnIdle) {
        try {
          const tar = await rec.worker.call('exportTar', [rec.cwd0]);
          this.keepArchive(rec, tar.value);
        } catch (e) {
          this.log.warn('export before reaping failed', { session: rec.id, error: e.message });
        }
      }
      this.log.info('session reaped', { session: rec.id, idleMs: now - rec.lastActive });
      this.closeSession(rec, 'idle');
    }
    for (const [id, a] of this.archives) {
      if (now - a.at > this.config.archiveRetentionMs) this.dropArchive(id);
    }
    for (const [id, t] of this.tombstones) {
      if (now - t.at > Math.max(this.config.archiveRetentionMs, 3600000)) this.tombstones.delete(id);
    }
  }

  keepArchive(rec, tar) {
    const limit = this.config.archiveStoreMb * MiB;
    if (tar.length > limit) return;
    while (this.archiveBytes + tar.length > limit && this.archives.size) this.dropArchive(this.archives.keys().next().value);
    this.archives.set(rec.id, { tar, tenant: rec.tenant, at: Date.now() });
    this.archiveBytes += tar.length;
  }

  dropArchive(id) {
    const a = this.archives.get(id);
    if (!a) return;
    this.archives.delete(id);
    this.archiveBytes -= a.tar.length;
  }

  // --- drain and stop

  drain() {
    if (!this.draining) this.log.info('draining: no new sessions', { sessions: this.sessions.size });
    this.draining = true;
    for (const w of this.pool.splice(0)) w.terminate();
    return this.capacity();
  }

  /** SIGTERM: drain, let in-flight runs finish (up to drainTimeoutMs), then stop every session. */
  async shutdown() {
    this.drain();
    const until = Date.now() + this.config.drainTimeoutMs;
    while (Date.now() < until && [...this.sessions.values()].some((r) => r.worker.busy)) {
      await new Promise((r) => setTimeout(r, 50));
    }
    this.stopping = true;
    for (const rec of [...this.sessions.values()]) this.closeSession(rec, 'drained');
    clearInterval(this.reaper);
  }

  // --- HTTP

  listen() {
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.server.keepAliveTimeout = 65000;
    this.server.headersTimeout = 66000;
    return new Promise((resolve) => this.server.listen(this.config.port, this.config.host, () => resolve(this.server.address())));
  }

  async handle(req, res) {
    const requestId = requestIdOf(req);
    res.setHeader('x-request-id', requestId);
    const t0 = performance.now();
    const u = new URL(req.url, 'http://runner');
    let route = 'other';
    let status = 200;
    try {
      route = await this.dispatch(req, res, u, requestId);
      status = res.statusCode;
    } catch (e) {
      status = sendError(res, e, requestId, this.log);
    }
    this.metrics.requests.inc({ route, status });
    if (route !== 'metrics' && route !== 'health') {
      this.log.info('request', { requestId, method: req.method, path: u.pathname, status, ms: Math.round((performance.now() - t0) * 100) / 100 });
    }
  }

  auth(req) {
    if (!this.tokens.size) return req.headers['x-wasmsh-tenant'] || '';
    if (this.tokens.match(req.headers.authorization) === null) {
      this.metrics.denials.inc({ kind: 'auth' });
      throw unauthorized();
    }
    const t = req.headers['x-wasmsh-tenant'];
    return typeof t === 'string' && /^[0-9a-f]{1,64}$/.test(t) ? t : '';
  }

  async dispatch(req, res, u, requestId) {
    const p = u.pathname;
    const m = req.method;
    if (p === '/healthz') { sendJson(res, 200, { ok: true }); return 'health'; }
    if (p === '/readyz') { sendJson(res, this.isReady() ? 200 : 503, this.capacity()); return 'health'; }
    if (p === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(this.metrics.reg.render());
      return 'metrics';
    }
    const tenant = this.auth(req);
    const limit = this.config.maxRequestMb * MiB;
    if (p === '/v1/capacity' && m === 'GET') { sendJson(res, 200, this.capacity()); return 'capacity'; }
    if (p === '/admin/drain' && m === 'POST') { sendJson(res, 200, this.drain()); return 'drain'; }
    if (p === '/v1/sessions' && m === 'POST') {
      const body = await readJson(req, limit);
      const wanted = req.headers['x-wasmsh-session-id'];
      const info = await this.createSession(body, tenant, typeof wanted === 'string' ? wanted : undefined);
      this.log.info('session created', { requestId, session: info.id, from: info.restore.from, ms: info.restore.ms });
      sendJson(res, 201, info);
      return 'create';
    }
    const sm = /^\/v1\/sessions\/([^/]+)(?:\/([a-z]+))?$/.exec(p);
    if (!sm) throw new HttpError(404, 'WASMSH_NOT_FOUND', `no route ${m} ${p}`);
    const id = decodeURIComponent(sm[1]);
    const op = sm[2] || '';
    if (op === 'archive' && m === 'GET' && !this.sessions.has(id)) {
      const a = this.archives.get(id);
      if (a && a.tenant === tenant) { sendBytes(res, 200, a.tar, 'application/x-tar'); return 'archive'; }
    }
    const rec = this.lookup(id, tenant);
    const q = (name) => {
      const v = u.searchParams.get(name);
      if (v === null || v === '') throw new HttpError(400, 'WASMSH_BAD_REQUEST', `missing query parameter ${name}`);
      return v;
    };
    const flag = (name) => /^(1|true|yes)$/i.test(u.searchParams.get(name) || '');
    const maxFile = this.config.maxFileMb * MiB;
    switch (`${m} ${op}`) {
      case 'GET ':
        sendJson(res, 200, this.info(rec));
        return 'info';
      case 'DELETE ':
        this.closeSession(rec, 'client');
        res.writeHead(204).end();
        return 'close';
      case 'POST run': {
        const body = await readJson(req, limit);
        if (body.stream) return this.streamRun(rec, body, res);
        sendJson(res, 200, await this.run(rec, body));
        return 'run';
      }
      case 'POST cancel': {
        const running = rec.running;
        if (running) rec.worker.cancel();
        sendJson(res, 200, { running });
        return 'cancel';
      }
      case 'POST reset':
        if (rec.running) throw new HttpError(409, 'WASMSH_SESSION_BUSY', 'the session is running a script');
        await this.call(rec, 'reset', []);
        sendJson(res, 200, { cwd: rec.cwd });
        return 'reset';
      case 'POST args': {
        const body = await readJson(req, limit);
        if (typeof body.arg0 !== 'string' || (body.args !== undefined && !(Array.isArray(body.args) && body.args.every((a) => typeof a === 'string')))) {
          throw badOption('setArgs: arg0 must be a string and args an array of strings');
        }
        await this.call(rec, 'setArgs', [body.arg0, body.args || []]);
        res.writeHead(204).end();
        return 'args';
      }
      case 'GET files': {
        sendBytes(res, 200, await this.call(rec, 'readFile', [q('path'), maxFile]));
        return 'readFile';
      }
      case 'PUT files': {
        const path = q('path');
        const modeText = u.searchParams.get('mode');
        if (modeText !== null && !/^[0-7]{1,4}$/.test(modeText)) throw badOption('mode must be octal digits (e.g. 755)');
        const body = await readBody(req, limit);
        const data = new Uint8Array(body.buffer, body.byteOffset, body.length);
        await this.call(rec, 'writeFile', [path, data, modeText === null ? {} : { mode: parseInt(modeText, 8) }]);
        res.writeHead(204).end();
        return 'writeFile';
      }
      case 'DELETE files':
        await this.call(rec, 'remove', [q('path'), { recursive: flag('recursive') }]);
        res.writeHead(204).end();
        return 'remove';
      case 'GET dir':
        sendJson(res, 200, { entries: await this.call(rec, 'listDir', [u.searchParams.get('path') || '.']) });
        return 'listDir';
      case 'POST dir':
        await this.call(rec, 'mkdir', [q('path'), { recursive: flag('recursive') }]);
        res.writeHead(204).end();
        return 'mkdir';
      case 'GET stat':
        sendJson(res, 200, await this.call(rec, 'stat', [q('path')]));
        return 'stat';
      case 'GET archive': {
        const tar = await this.call(rec, 'exportTar', [u.searchParams.get('path') || rec.cwd0, maxFile]);
        sendBytes(res, 200, tar, 'application/x-tar');
        return 'archive';
      }
      case 'PUT archive': {
        const body = await readBody(req, limit);
        const data = new Uint8Array(body.buffer, body.byteOffset, body.length);
        sendJson(res, 200, await this.call(rec, 'importTar', [u.searchParams.get('path') || rec.cwd0, data]));
        return 'importTar';
      }
      default:
        throw new HttpError(404, 'WASMSH_NOT_FOUND', `no route ${m} ${p}`);
    }
  }

  /** A run answered as NDJSON: output lines as produced, then the result (or an error) line. */
  async streamRun(rec, body, res) {
    let started = false;
    const start = () => {
      if (started) return;
      started = true;
      res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' });
    };
    const line = (o) => { start(); res.write(`${JSON.stringify(o)}\n`); };
    try {
      const result = await this.run(rec, body, (fd, text) => line({ type: 'out', fd, text }));
      line({ type: 'result', result });
    } catch (e) {
      if (!started && e instanceof HttpError && e.status < 500) throw e;
      const err = e instanceof HttpError ? e : new HttpError(500, 'WASMSH_INTERNAL', e.message);
      line({ type: 'error', status: err.status, error: { code: err.code, message: err.message, ...err.extra } });
    }
    res.end();
    return 'run';
  }
}
