// fetch_policy.mjs - the allowlist every fetch of a session goes through, in
// Node (fetch_broker.mjs) and in browsers (browser/fetch_sync.mjs).
//
//   "example.com"       that host exactly (any port)
//   "*.example.com"     any subdomain of example.com (not example.com itself)
//   "example.com:8443"  that host on that port only
// Only http and https are allowed; an empty list means no network at all.
import { HostNotAllowedError, OptionsError, WasmshError } from './errors.mjs';

export const MAX_REDIRECTS = 10;
export const DEFAULT_TIMEOUT_MS = 30000;
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

function parseRule(rule) {
  if (typeof rule !== 'string' || !rule.trim()) throw new OptionsError(`allowedHosts: invalid entry ${JSON.stringify(rule)}`);
  const r = rule.trim().toLowerCase();
  const m = /^(\*\.)?([a-z0-9.-]+|\[[0-9a-f:]+\])(?::(\d+))?$/.exec(r);
  if (!m) throw new OptionsError(`allowedHosts: invalid entry ${JSON.stringify(rule)} (use host, *.domain or host:port)`);
  return { wildcard: !!m[1], host: m[2], port: m[3] ? Number(m[3]) : null };
}

export class AllowList {
  constructor(allowedHosts = []) {
    if (!Array.isArray(allowedHosts)) throw new OptionsError('allowedHosts must be an array of host names');
    this.rules = allowedHosts.map(parseRule);
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

  /** Throws a WasmshError that says why, unless the URL may be fetched. */
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
}

/** The limits of one request: {timeoutMs, maxResponseBytes}, checked. */
export function fetchLimits(o = {}) {
  for (const k of Object.keys(o)) {
    if (k !== 'timeoutMs' && k !== 'maxResponseBytes') {
      throw new OptionsError(`fetch: unknown option ${k} (known: timeoutMs, maxResponseBytes)`);
    }
  }
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxResponseBytes = o.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  if (!(timeoutMs > 0)) throw new OptionsError('fetch: timeoutMs must be a number > 0');
  if (!(maxResponseBytes >= 0)) throw new OptionsError('fetch: maxResponseBytes must be a number >= 0');
  return { timeoutMs, maxResponseBytes };
}

export function tooLarge(url, limit) {
  return new WasmshError(`fetch ${url}: the response is larger than the session's limit of ${limit} bytes`,
    'WASMSH_FETCH_TOO_LARGE');
}
