// http.mjs - what the runner and the dispatcher share: errors with their
// HTTP status, bodies read under a size limit, JSON answers, request ids,
// bearer tokens compared in constant time, JSON-lines logs, configuration
// from the environment.
import crypto from 'node:crypto';
import fs from 'node:fs';

/** An error answered as {"error": {code, message, ...extra}} with `status`. */
export class HttpError extends Error {
  constructor(status, code, message, extra = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.extra = extra;
  }
}

export const tooLarge = (what, limit) => new HttpError(413, 'WASMSH_TOO_LARGE', `${what} is larger than the limit of ${limit} bytes`);

/** The request body as a Buffer; more than `limit` bytes is a 413 (the rest is not read). */
export function readBody(req, limit) {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      reject(tooLarge('the request body', limit));
      return;
    }
    const parts = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(tooLarge('the request body', limit));
        return;
      }
      parts.push(chunk);
    });
    req.on('end', () => { if (!failed) resolve(Buffer.concat(parts, size)); });
    req.on('error', (e) => { if (!failed) { failed = true; reject(e); } });
  });
}

export async function readJson(req, limit) {
  const body = await readBody(req, limit);
  if (!body.length) return {};
  try {
    const v = JSON.parse(body.toString('utf8'));
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
    return v;
  } catch (e) {
    throw new HttpError(400, 'WASMSH_BAD_REQUEST', `the request body is not a JSON object (${e.message})`);
  }
}

export function sendJson(res, status, obj, headers = {}) {
  const body = Buffer.from(JSON.stringify(obj));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': body.length, ...headers });
  res.end(body);
}

export function sendBytes(res, status, bytes, contentType = 'application/octet-stream') {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  res.writeHead(status, { 'content-type': contentType, 'content-length': b.length });
  res.end(b);
}

export function errorBody(err, requestId) {
  return { error: { code: err.code, message: err.message, requestId, ...(err.extra || {}) } };
}

/** Answers an error (an HttpError, or anything else as a 500). Returns the status. */
export function sendError(res, err, requestId, log) {
  let e = err;
  if (!(e instanceof HttpError)) {
    if (log) log.error('internal error', { requestId, error: String((err && err.stack) || err) });
    e = new HttpError(500, 'WASMSH_INTERNAL', `internal error: ${(err && err.message) || err}`);
  }
  if (res.headersSent) {
    res.destroy();
    return e.status;
  }
  const headers = {};
  if (e.retryAfter) headers['retry-after'] = String(e.retryAfter);
  sendJson(res, e.status, errorBody(e, requestId), headers);
  return e.status;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The client's X-Request-Id when it is sane, else a new one. */
export function requestIdOf(req) {
  const given = req.headers['x-request-id'];
  if (typeof given === 'string' && REQUEST_ID.test(given)) return given;
  return crypto.randomUUID();
}

// ------------------------------------------------------------------ tokens

const digest = (s) => crypto.createHash('sha256').update(String(s)).digest();

/**
 * Bearer tokens compared in constant time: both sides are hashed (equal
 * lengths), every configured token is compared (no early exit), and
 * timingSafeEqual does the comparisons. `match(header)` returns the index of
 * the matching token, or -1.
 */
export class TokenSet {
  constructor(tokens) {
    this.tokens = tokens.filter(Boolean).map((t) => ({ digest: digest(t), tenant: digest(`tenant:${t}`).toString('hex').slice(0, 32) }));
  }

  get size() { return this.tokens.length; }

  /** The tenant id (a hash of the token) of a matching "Bearer X" header, or null. */
  match(header) {
    if (typeof header !== 'string' || !header.startsWith('Bearer ')) return null;
    const got = digest(header.slice(7).trim());
    let found = null;
    for (const t of this.tokens) {
      if (crypto.timingSafeEqual(got, t.digest) && found === null) found = t.tenant;
    }
    return found;
  }
}

export function unauthorized() {
  return new HttpError(401, 'WASMSH_UNAUTHORIZED', 'missing or wrong bearer token (Authorization: Bearer TOKEN)');
}

// ------------------------------------------------------------------ logs

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** JSON lines on stdout (stderr for warn and error), one object per event. */
export function makeLogger(component, level = 'info') {
  const min = LEVELS[level] ?? LEVELS.info;
  const emit = (lvl, msg, fields) => {
    if (LEVELS[lvl] < min) return;
    const line = JSON.stringify({ ts: new Date().toISOString(), level: lvl, component, msg, ...fields });
    (LEVELS[lvl] >= LEVELS.warn ? process.stderr : process.stdout).write(`${line}\n`);
  };
  return {
    debug: (m, f) => emit('debug', m, f), info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f), error: (m, f) => emit('error', m, f),
  };
}

// ------------------------------------------------------------------ configuration

/**
 * Settings from `--name=value` arguments, then WASMSH_NAME environment
 * variables (name in upper snake case), then the defaults. `spec` maps each
 * camelCase name to [default, kind] with kind 'int', 'bool', 'string', 'list'.
 */
export function readConfig(spec, argv = process.argv.slice(2), env = process.env) {
  const args = {};
  for (const a of argv) {
    const m = /^--([a-z][a-zA-Z0-9-]*)(?:=(.*))?$/.exec(a);
    if (!m) throw new Error(`unknown argument ${a} (settings are --name=value or WASMSH_NAME variables)`);
    const name = m[1].replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    if (!(name in spec)) throw new Error(`unknown setting --${m[1]} (known: ${Object.keys(spec).join(', ')})`);
    args[name] = m[2] ?? 'true';
  }
  const out = {};
  for (const [name, [def, kind]] of Object.entries(spec)) {
    const envName = `WASMSH_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
    const raw = args[name] ?? env[envName];
    if (raw === undefined || raw === '') { out[name] = def; continue; }
    if (kind === 'int') {
      const v = Number(raw);
      if (!Number.isFinite(v) || v < 0) throw new Error(`${envName}: ${raw} is not a number >= 0`);
      out[name] = v;
    } else if (kind === 'bool') {
      out[name] = /^(1|true|yes|on)$/i.test(raw);
    } else if (kind === 'list') {
      out[name] = raw.split(/[\s,]+/).filter(Boolean);
    } else {
      out[name] = raw;
    }
  }
  return out;
}

/** A secret from NAME or from the file NAME_FILE (Kubernetes secrets mounted as files). */
export function readSecret(config, name) {
  const fileName = config[`${name}File`];
  if (fileName) return fs.readFileSync(fileName, 'utf8').trim();
  return config[name];
}
