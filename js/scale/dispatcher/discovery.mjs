// discovery.mjs - the dispatcher's view of its runners: where they are (a
// static list of URLs, or every address of a DNS name: a Kubernetes headless
// service) and how loaded they are (each runner's /v1/capacity, polled).
//
// A runner's key is its address (host:port) in base64url; session ids start
// with it, so any dispatcher, restarted or not, routes a session to its
// runner without shared state. Only keys of runners found by discovery are
// routed (an id cannot point the dispatcher at another host).
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';

export const keyOf = (hostPort) => Buffer.from(hostPort).toString('base64url');

export class Runner {
  constructor(url) {
    this.url = url.replace(/\/+$/, '');
    const u = new URL(this.url);
    this.hostPort = u.host;
    this.key = keyOf(u.host);
    this.state = 'unknown'; // up, draining, down, unknown
    this.capacity = null;
    this.failures = 0;
    this.inflightCreates = 0;
    this.lastError = null;
    const Agent = u.protocol === 'https:' ? https.Agent : http.Agent;
    this.agent = new Agent({ keepAlive: true, maxSockets: 256, keepAliveMsecs: 10000 });
    this.transport = u.protocol === 'https:' ? https : http;
  }

  /** Free session slots as the dispatcher sees them now. */
  free() {
    if (this.state !== 'up' || !this.capacity) return 0;
    return Math.max(0, this.capacity.free - this.inflightCreates);
  }

  /** Warm (pre-restored) workers not yet claimed by a create in flight. */
  warmFree() {
    if (this.state !== 'up' || !this.capacity) return 0;
    return Math.max(0, (this.capacity.warm || 0) - this.inflightCreates);
  }

  view() {
    return { key: this.key, url: this.url, state: this.state, capacity: this.capacity, lastError: this.lastError };
  }
}

/** Resolves a DNS name to all its addresses (A and AAAA; /etc/hosts when DNS has none). */
async function resolveAll(name, resolver) {
  const out = new Set();
  const r = resolver || dns.promises;
  const [v4, v6] = await Promise.allSettled([r.resolve4(name), r.resolve6(name)]);
  if (v4.status === 'fulfilled') v4.value.forEach((a) => out.add(a));
  if (v6.status === 'fulfilled') v6.value.forEach((a) => out.add(`[${a}]`));
  if (!out.size && !resolver) {
    try {
      for (const a of await dns.promises.lookup(name, { all: true })) out.add(a.family === 6 ? `[${a.address}]` : a.address);
    } catch { /* none */ }
  }
  return [...out];
}

export class Discovery {
  /**
   * @param {object} c
   * @param {string[]} c.runners         static runner URLs
   * @param {string} c.runnerDns         or a DNS name with one address per runner
   * @param {number} c.runnerPort        the runners' port (DNS discovery)
   * @param {string} c.runnerScheme      http or https (DNS discovery)
   * @param {string} c.runnerDnsServer   a DNS server host:port instead of the system's (tests)
   * @param {string} c.runnerToken       sent to the runners
   * @param {number} c.pollIntervalMs, c.discoveryIntervalMs, c.downAfterFailures
   */
  constructor(c, log, metrics) {
    this.c = c;
    this.log = log;
    this.metrics = metrics;
    this.runners = new Map(); // key -> Runner
    this.resolver = null;
    if (c.runnerDnsServer) {
      this.resolver = new dns.promises.Resolver({ timeout: 1000, tries: 2 });
      this.resolver.setServers([c.runnerDnsServer]);
    }
    for (const url of c.runners || []) this.add(url);
  }

  add(url) {
    const r = new Runner(url);
    if (!this.runners.has(r.key)) {
      this.runners.set(r.key, r);
      this.log.info('runner added', { runner: r.url });
    }
    return this.runners.get(r.key);
  }

  async start() {
    await this.discover();
    await this.pollAll();
    this.pollTimer = setInterval(() => this.pollAll(), this.c.pollIntervalMs);
    this.pollTimer.unref();
    if (this.c.runnerDns) {
      this.dnsTimer = setInterval(() => this.discover(), this.c.discoveryIntervalMs);
      this.dnsTimer.unref();
    }
  }

  stop() {
    clearInterval(this.pollTimer);
    clearInterval(this.dnsTimer);
    for (const r of this.runners.values()) r.agent.destroy();
  }

  async discover() {
    if (!this.c.runnerDns) return;
    let addrs;
    try {
      addrs = await resolveAll(this.c.runnerDns, this.resolver);
    } catch (e) {
      this.log.warn('runner discovery failed', { name: this.c.runnerDns, error: e.message });
      return;
    }
    if (!addrs.length) {
      this.log.warn('runner discovery found no address', { name: this.c.runnerDns });
      return; // keep the last known set: a DNS hiccup must not drop every session
    }
    const seen = new Set();
    for (const a of addrs) seen.add(this.add(`${this.c.runnerScheme}://${a}:${this.c.runnerPort}`).key);
    for (const [key, r] of this.runners) {
      if (!seen.has(key)) {
        this.runners.delete(key);
        r.agent.destroy();
        this.log.info('runner removed (no longer in DNS)', { runner: r.url });
      }
    }
  }

  pollAll() {
    return Promise.all([...this.runners.values()].map((r) => this.poll(r)));
  }

  poll(r) {
    return new Promise((resolve) => {
      const req = r.transport.request(`${r.url}/v1/capacity`, {
        agent: r.agent, headers: { authorization: `Bearer ${this.c.runnerToken}` }, timeout: 2000,
      }, (res) => {
        const parts = [];
        res.on('data', (d) => parts.push(d));
        res.on('end', () => {
          try {
            if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`);
            this.up(r, JSON.parse(Buffer.concat(parts).toString('utf8')));
          } catch (e) {
            this.failed(r, e.message);
          }
          resolve();
        });
        res.on('error', (e) => { this.failed(r, e.message); resolve(); });
      });
      req.on('timeout', () => req.destroy(new Error('no answer within 2000 ms')));
      req.on('error', (e) => { this.failed(r, e.code || e.message); resolve(); });
      req.end();
    });
  }

  up(r, capacity) {
    const before = r.state;
    r.capacity = capacity;
    r.failures = 0;
    r.lastError = null;
    r.state = capacity.draining ? 'draining' : capacity.ready ? 'up' : 'unknown';
    if (before !== r.state) this.log.info('runner state', { runner: r.url, state: r.state });
  }

  failed(r, why) {
    r.failures++;
    r.lastError = why;
    if (r.failures >= this.c.downAfterFailures && r.state !== 'down') {
      r.state = 'down';
      this.log.warn('runner down', { runner: r.url, error: why });
    }
  }

  /**
   * Runners that can take a session: those with a warm worker first (a
   * create there takes milliseconds, elsewhere a cold restore), then by most
   * free slots; ties in random order.
   */
  candidates() {
    const list = [...this.runners.values()].filter((r) => r.free() > 0);
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [list[i], list[j]] = [list[j], list[i]];
    }
    return list.sort((a, b) => (b.warmFree() > 0) - (a.warmFree() > 0) || b.free() - a.free());
  }

  get(key) { return this.runners.get(key); }

  upCount() { return [...this.runners.values()].filter((r) => r.state === 'up').length; }
}
