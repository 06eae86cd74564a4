// fake_dispatcher.mjs - a small stand-in for the wasmsh dispatcher: the
// session routes of deploy/openapi.yaml that createRemoteSession uses,
// served on 127.0.0.1 from in-process sessions of this repository's js/.
// It checks the bearer token, answers errors in the API's JSON shape
// ({error: {code, message, ...}} with its statuses), refuses a second run in
// a session while one is in progress (409), and counts requests per route.
// Used until the real dispatcher and runner (the scalable mode) are on main.
import http from 'node:http';

// the same module instance as the one langchain-wasmsh imports as 'wasmsh'
import { createSession } from '../../../packages/npm/wasmsh/lib/index.mjs';

function send(res, status, body, headers = {}) {
  if (body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const data = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'content-type': Buffer.isBuffer(body) ? 'application/octet-stream' : 'application/json', ...headers });
  res.end(data);
}

function apiError(status, code, message, extra = {}) {
  return Object.assign(new Error(message), { status, code, extra });
}

async function body(req) {
  const parts = [];
  for await (const c of req) parts.push(c);
  return Buffer.concat(parts);
}

/** Starts the fake on a free port: {url, token, close(), requests: {route: count}, sessions: Map}. */
export async function startFakeDispatcher({ token = 'test-token' } = {}) {
  const sessions = new Map();
  const requests = {};
  let next = 1;

  const handle = async (req, res) => {
    const u = new URL(req.url, 'http://x');
    const parts = u.pathname.split('/').filter(Boolean); // v1 sessions ID ACTION
    const route = `${req.method} /${parts.slice(0, 2).join('/')}${parts.length > 2 ? '/{id}' : ''}${parts[3] ? `/${parts[3]}` : ''}`;
    requests[route] = (requests[route] || 0) + 1;
    if (req.headers.authorization !== `Bearer ${token}`) throw apiError(401, 'WASMSH_UNAUTHORIZED', 'missing or wrong bearer token');
    if (parts[0] !== 'v1' || parts[1] !== 'sessions') throw apiError(404, 'WASMSH_NOT_FOUND', `no route ${u.pathname}`);
    if (parts.length === 2 && req.method === 'POST') {
      const raw = await body(req);
      const o = raw.length ? JSON.parse(raw) : {};
      const { idleTimeoutMs, exportOnIdle, files, ...opts } = o; // the fake keeps sessions until closed
      if (files) {
        opts.files = Object.fromEntries(Object.entries(files).map(([p, d]) => [p, typeof d === 'string' ? d : Buffer.from(d.base64, 'base64')]));
      }
      const s = await createSession(opts);
      const id = `fake-${next++}`;
      sessions.set(id, { s, busy: false, runs: 0 });
      return send(res, 201, { id, cwd: s.cwd(), createdAt: new Date().toISOString() });
    }
    const id = decodeURIComponent(parts[2] || '');
    const entry = sessions.get(id);
    if (!entry) throw apiError(404, 'WASMSH_SESSION_NOT_FOUND', `no session ${id}`);
    const { s } = entry;
    const action = parts[3] || '';
    const path = u.searchParams.get('path');
    const needPath = () => {
      if (!path) throw apiError(400, 'WASMSH_BAD_REQUEST', 'path is required');
      return path;
    };
    switch (`${req.method} ${action}`) {
      case 'GET ':
        return send(res, 200, { id, cwd: s.cwd(), busy: entry.busy, runs: entry.runs });
      case 'DELETE ':
        s.close();
        sessions.delete(id);
        return send(res, 204);
      case 'POST run': {
        const r = JSON.parse(await body(req));
        if (entry.busy) throw apiError(409, 'WASMSH_SESSION_BUSY', 'a run is already in progress');
        entry.busy = true;
        try {
          // a run takes a moment on a real runner: concurrent requests would meet here
          await new Promise((resolve) => setTimeout(resolve, 2));
          const stdin = r.stdinBase64 !== undefined ? Buffer.from(r.stdinBase64, 'base64') : r.stdin;
          const ro = {};
          if (stdin !== undefined) ro.stdin = stdin;
          if (r.timeoutMs !== undefined) ro.timeoutMs = r.timeoutMs;
          if (r.budget !== undefined) ro.budget = r.budget;
          const result = await s.run(r.script, ro);
          entry.runs++;
          return send(res, 200, { ...result, cwd: s.cwd() });
        } finally {
          entry.busy = false;
        }
      }
      case 'POST reset':
        s.reset();
        return send(res, 200, { cwd: s.cwd() });
      case 'POST cancel':
        return send(res, 200, { running: entry.busy });
      case 'POST args': {
        const r = JSON.parse(await body(req));
        s.setArgs(r.arg0, r.args || []);
        return send(res, 204);
      }
      case 'GET files':
        return send(res, 200, Buffer.from(s.readFile(needPath())));
      case 'PUT files': {
        const data = await body(req);
        const mode = u.searchParams.get('mode');
        s.writeFile(needPath(), new Uint8Array(data), mode ? { mode: parseInt(mode, 8) } : {});
        return send(res, 204);
      }
      case 'DELETE files':
        s.remove(needPath(), { recursive: u.searchParams.get('recursive') === 'true' });
        return send(res, 204);
      case 'GET dir':
        return send(res, 200, { entries: s.listDir(needPath()) });
      case 'POST dir':
        s.mkdir(needPath(), { recursive: u.searchParams.get('recursive') === 'true' });
        return send(res, 204);
      case 'GET stat':
        return send(res, 200, s.stat(needPath()));
      default:
        throw apiError(404, 'WASMSH_NOT_FOUND', `no route ${req.method} ${u.pathname}`);
    }
  };

  const server = http.createServer((req, res) => {
    const requestId = req.headers['x-request-id'] || 'none';
    handle(req, res).catch((e) => {
      if (e.status) return send(res, e.status, { error: { code: e.code, message: e.message, requestId, ...e.extra } });
      if (e.code === 'WASMSH_FS') {
        return send(res, 400, { error: { code: 'WASMSH_FS', message: e.message, requestId, op: e.op, path: e.path, errno: e.errno } });
      }
      if (e.code === 'WASMSH_BAD_OPTION') return send(res, 400, { error: { code: e.code, message: e.message, requestId } });
      return send(res, 500, { error: { code: 'WASMSH_INTERNAL', message: String(e && e.message), requestId } });
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    token,
    requests,
    sessions,
    async close() {
      for (const { s } of sessions.values()) s.close();
      sessions.clear();
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
