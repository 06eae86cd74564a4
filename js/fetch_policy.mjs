// fetch_policy.mjs - the allowlist and the limits every fetch of a session
// goes through, in Node (fetch_broker.mjs) and in browsers
// (browser/fetch_sync.mjs). docs/network.md is the user's description.
//
// Entries (compared after lowercasing, IDNA and trailing-dot removal, like
// the hosts of URLs):
//   "example.com"          that host, on the scheme's default port (80, 443)
//   "example.com:8443"     that host on that port only
//   "example.com:*"        that host on any port
//   "*.example.com"        any subdomain of example.com, NOT example.com itself
//                          (list both to allow both); never an IP literal
//   "https://example.com"  a scheme in front restricts the entry to it
//   "127.0.0.1", "[::1]"   IP literals match only when listed (canonical form)
// Only http and https; an empty list means no network at all.
//
// A URL is parsed once, here, by the WHATWG URL parser (the one undici,
// node:http and browsers use), and the broker then fetches the normalised
// href it produced, never the caller's string: what is checked is what is
// fetched. On top of the parser's own normalisation (IDNA, %-decoding of
// the host, decimal/octal/hex IPv4 forms to dotted quads, IPv6 compression)
// the checks refuse what a careful client would: backslashes and control
// characters in the authority, userinfo (credentials travel in a header the
// broker builds, see split()), empty labels.
import { HostNotAllowedError, OptionsError, WasmshError } from './errors.mjs';

export const DEFAULT_LIMITS = Object.freeze({
  timeoutMs: 30000,
  maxResponseBytes: 64 * 1024 * 1024,
  maxRequestBytes: 16 * 1024 * 1024,
  maxRedirects: 10,
});
export const MAX_REDIRECTS = DEFAULT_LIMITS.maxRedirects;
export const DEFAULT_TIMEOUT_MS = DEFAULT_LIMITS.timeoutMs;
export const DEFAULT_MAX_RESPONSE_BYTES = DEFAULT_LIMITS.maxResponseBytes;
const MAX_URL_LENGTH = 16384;

/** A fetch failure with a kind the commands map to their own exit codes (see docs/network.md). */
export class FetchError extends WasmshError {
  constructor(kind, message, details = {}) {
    super(message, kind === 'denied' ? 'WASMSH_HOST_NOT_ALLOWED' : `WASMSH_FETCH_${kind.toUpperCase()}`, details);
    this.kind = kind;
    this.details = details;
  }
}

/** Adds the redirects followed so far to a fetch error's details. */
export function withHops(e, hops) {
  e.details = { ...(e.details || {}), hops };
  return e;
}

function defaultPort(scheme) {
  return scheme === 'https:' ? 443 : 80;
}

function isIPv4(h) {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(h);
}

function isIP(h) {
  return isIPv4(h) || h.startsWith('[');
}

// The host as the URL parser normalises it, without a trailing dot; null if
// it is not a valid host.
function normaliseHost(raw) {
  let u;
  try {
    u = new URL(`http://${raw}/`);
  } catch {
    return null;
  }
  if (u.username || u.password || u.port || u.pathname !== '/') return null;
  let h = u.hostname;
  if (h.endsWith('.') && !isIP(h)) h = h.slice(0, -1);
  if (!h || h.split('.').some((l) => !l) && !isIP(h)) return null;
  return h;
}

function badRule(rule, why) {
  return new OptionsError(`allowedHosts: invalid entry ${JSON.stringify(rule)} (${why}; ` +
    'use host, *.domain, host:port, host:*, [IPv6] or http(s)://host)');
}

function parseRule(rule) {
  if (typeof rule !== 'string' || !rule.trim()) throw badRule(rule, 'not a host name');
  let r = rule.trim().toLowerCase();
  let scheme = null;
  const sm = /^(https?):\/\/(.*)$/.exec(r);
  if (sm) {
    scheme = `${sm[1]}:`;
    r = sm[2].replace(/\/$/, '');
  }
  let wildcard = false;
  if (r.startsWith('*.')) {
    wildcard = true;
    r = r.slice(2);
  }
  let port = 'default';
  let host = r;
  const v6 = /^\[([^\]]+)\](?::(\d+|\*))?$/.exec(r);
  if (v6) {
    host = `[${v6[1]}]`;
    if (v6[2]) port = v6[2];
  } else if ((r.match(/:/g) || []).length > 1) {
    host = `[${r}]`; // a bare IPv6 address: no port possible
  } else {
    const m = /^([^:]*)(?::(\d+|\*))?$/.exec(r);
    if (!m) throw badRule(rule, 'bad port');
    host = m[1];
    if (m[2]) port = m[2];
  }
  if (!host || /[\s/\\@?#%]/.test(host) || host.includes('*')) throw badRule(rule, 'not a host name');
  const norm = normaliseHost(host);
  if (!norm) throw badRule(rule, 'not a host name');
  if (wildcard && isIP(norm)) throw badRule(rule, 'a wildcard cannot apply to an IP address');
  if (port !== 'default' && port !== '*') {
    port = Number(port);
    if (!(port >= 1 && port <= 65535)) throw badRule(rule, 'bad port');
  }
  return { rule, wildcard, host: norm, port, scheme };
}

function ruleMatches(r, { scheme, host, port }) {
  if (r.scheme && r.scheme !== scheme) return false;
  if (r.port === 'default' ? port !== defaultPort(scheme) : r.port !== '*' && r.port !== port) return false;
  if (r.wildcard) return !isIP(host) && host.endsWith(`.${r.host}`);
  return host === r.host;
}

function badUrl(url, message) {
  return new FetchError('bad_url', `fetch ${url}: ${message}`, { url });
}

export class AllowList {
  constructor(allowedHosts = []) {
    if (!Array.isArray(allowedHosts)) throw new OptionsError('allowedHosts must be an array of host names');
    this.rules = allowedHosts.map(parseRule);
  }

  get empty() {
    return this.rules.length === 0;
  }

  /**
   * Parses and normalises a URL: {href (what to fetch), scheme, host, port,
   * hostPort, username, password}. Throws FetchError 'bad_url' or
   * 'protocol' for URLs no request may be made to.
   */
  parse(url) {
    if (typeof url !== 'string') throw badUrl(String(url), 'not a URL');
    if (url.length > MAX_URL_LENGTH) throw badUrl(url.slice(0, 80) + '...', `URL longer than ${MAX_URL_LENGTH} characters`);
    // eslint-disable-next-line no-control-regex
    if (/[\x00-\x20\x7f]/.test(url)) throw badUrl(url, 'control characters or spaces in the URL');
    const sm = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(url);
    if (!sm) throw badUrl(url, 'no scheme (http:// or https://)');
    const scheme = `${sm[1].toLowerCase()}:`;
    if (scheme !== 'http:' && scheme !== 'https:') {
      throw new FetchError('protocol', `fetch ${url}: only http and https URLs are allowed`, { url, scheme: sm[1] });
    }
    const rest = url.slice(sm[0].length);
    if (!rest.startsWith('//')) throw badUrl(url, 'the URL must start with http:// or https://');
    const authority = rest.slice(2).split(/[/?#]/, 1)[0];
    if (authority.includes('\\')) throw badUrl(url, 'backslash in the host part of the URL');
    let u;
    try {
      u = new URL(url);
    } catch {
      throw badUrl(url, 'not a valid URL');
    }
    let host = u.hostname;
    if (host.endsWith('.') && !isIP(host)) host = host.slice(0, -1);
    if (!host || (!isIP(host) && host.split('.').some((l) => !l))) throw badUrl(url, 'empty label in the host name');
    const port = u.port ? Number(u.port) : defaultPort(scheme);
    const username = decodeURIComponent(u.username);
    const password = decodeURIComponent(u.password);
    u.username = '';
    u.password = '';
    u.hostname = host;
    u.hash = '';
    const hostPort = u.port ? `${host}:${u.port}` : host;
    return { href: u.href, scheme, host, port, hostPort, username, password };
  }

  /** Whether a parsed URL ({scheme, host, port}) is allowed. */
  allowsParsed(p) {
    return this.rules.some((r) => ruleMatches(r, p));
  }

  /** Whether the URL may be fetched (no exception). */
  allows(url) {
    try {
      return this.allowsParsed(this.parse(url));
    } catch {
      return false;
    }
  }

  /** Whether a Host header value names an allowed host on the URL's scheme. */
  allowsHostHeader(value, scheme) {
    try {
      return this.allows(`${scheme}//${String(value).trim()}/`);
    } catch {
      return false;
    }
  }

  /** The parsed URL (see parse), or throws FetchError ('denied', 'bad_url', 'protocol'). */
  check(url) {
    const p = this.parse(url);
    if (!this.allowsParsed(p)) throw this.denied(url, p);
    return p;
  }

  /** The error for a host not in the list; `prefix` replaces "fetch URL: " in the message. */
  denied(url, p, prefix = null) {
    const list = this.rules.length ? `allowedHosts is [${this.rules.map((r) => r.rule).join(', ')}]`
      : 'allowedHosts is empty: no network';
    const e = new HostNotAllowedError(url, p.hostPort);
    e.message = `${prefix ?? `fetch ${url}: `}host ${p.hostPort} is not in this session's allowedHosts ` +
      `(pass it in createSession({allowedHosts: [...]}) or --allow-host; ${list})`;
    e.kind = 'denied';
    e.details = { url, host: p.host, port: p.port };
    return e;
  }
}

/**
 * Whether an allowedHosts entry allows nothing that `allowlist` (entries
 * too, e.g. an operator's) does not: for a runner that lets sessions choose
 * their hosts within its own list. Same rules as matching URLs (no port =
 * the default ports only, *.d = subdomains only); bad entries are not covered.
 */
export function entryCovered(entry, allowlist) {
  let e;
  try {
    e = parseRule(entry);
  } catch {
    return false;
  }
  return allowlist.some((raw) => {
    let r;
    try {
      r = parseRule(raw);
    } catch {
      return false;
    }
    if (r.scheme && r.scheme !== e.scheme) return false;
    if (r.port !== '*' && r.port !== e.port) return false;
    if (!r.wildcard) return !e.wildcard && e.host === r.host;
    return e.host.endsWith(`.${r.host}`) || (e.wildcard && e.host === r.host);
  });
}

/** The limits of a session's requests, checked: see DEFAULT_LIMITS. */
export function fetchLimits(o = {}) {
  const known = Object.keys(DEFAULT_LIMITS);
  for (const k of Object.keys(o)) {
    if (!known.includes(k)) throw new OptionsError(`fetch: unknown option ${k} (known: ${known.join(', ')})`);
  }
  const out = { ...DEFAULT_LIMITS, ...o };
  if (!(out.timeoutMs > 0)) throw new OptionsError('fetch: timeoutMs must be a number > 0');
  for (const k of ['maxResponseBytes', 'maxRequestBytes', 'maxRedirects']) {
    if (!(out[k] >= 0)) throw new OptionsError(`fetch: ${k} must be a number >= 0`);
  }
  return out;
}

export function tooLarge(url, limit) {
  return new FetchError('too_large', `fetch ${url}: the response is larger than the session's limit of ${limit} bytes`,
    { url, limit });
}

/**
 * The part of a request both brokers check the same way: the URL, the body
 * size, the Host header. Returns {parsed, headers} with credentials from the
 * URL turned into an Authorization header (if none was given).
 */
export function checkRequest(allowList, limits, { url, headers = {}, body }) {
  const parsed = allowList.check(url);
  if (body && body.length > limits.maxRequestBytes) {
    throw new FetchError('request_too_large', `fetch ${url}: the request body (${body.length} bytes) is larger than ` +
      `the session's limit of ${limits.maxRequestBytes} bytes`, { url });
  }
  const out = {};
  for (const [k, v] of Object.entries(headers || {})) {
    const lk = k.toLowerCase();
    if (lk === 'content-length' || lk === 'transfer-encoding' || lk === 'connection') continue; // the broker frames the body
    if (lk === 'host' && !allowList.allowsHostHeader(v, parsed.scheme)) {
      throw allowList.denied(url, { ...parsed, hostPort: String(v).trim() }, `fetch ${url}: the Host header names ${String(v).trim()}, and `);
    }
    out[k] = String(v);
  }
  if ((parsed.username || parsed.password) && !Object.keys(out).some((k) => k.toLowerCase() === 'authorization')) {
    out.Authorization = `Basic ${btoa(unescape(encodeURIComponent(`${parsed.username}:${parsed.password}`)))}`;
  }
  return { parsed, headers: out };
}

/** How the method and body change when a redirect is followed (fetch's and curl's rules agree). */
export function redirectedMethod(status, method) {
  if (status === 303 && method !== 'HEAD') return 'GET';
  if ((status === 301 || status === 302) && method === 'POST') return 'GET';
  return method;
}

export function isRedirect(status) {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}
