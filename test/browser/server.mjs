// server.mjs - the static server of the browser tests and examples.
//
//   node test/browser/server.mjs --root examples/web [--port 8080] [--no-isolation] [--map /url/=dir ...]
//
// It serves files with the right content types and, unless --no-isolation,
// the two headers that make a page cross-origin isolated (SharedArrayBuffer,
// so that cancel() stops a running command without restarting the worker):
//   Cross-Origin-Opener-Policy: same-origin
//   Cross-Origin-Embedder-Policy: require-corp
// A few /api/ endpoints give the fetch tests something to reach:
//   /api/hello          text, with Access-Control-Allow-Origin: *
//   /api/redirect?to=U  302 to U (with ACAO: *)
//   /api/no-cors        text without Access-Control-Allow-Origin (CORS refuses it
//                       from another origin; it does send CORP so that a
//                       no-cors probe may see that the server answered)
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.wasm': 'application/wasm', '.map': 'application/json',
  '.zip': 'application/zip', '.whl': 'application/zip', '.so': 'application/octet-stream', '.png': 'image/png',
  '.svg': 'image/svg+xml', '.txt': 'text/plain; charset=utf-8', '.ico': 'image/x-icon',
};

export function startServer({ root, port = 0, isolation = true, maps = [], host = '127.0.0.1', cache = false }) {
  const mounts = [...maps.map(([url, dir]) => [url, path.resolve(dir)]), ['/', path.resolve(root)]];
  const srv = http.createServer((req, res) => {
    const u = new URL(req.url, 'http://x');
    // cache: assets may be kept (what a deployed page does); else every load is a cold one
    const asset = /\.(wasm|zip|whl|so|mjs|js|json)$/.test(u.pathname) && !u.pathname.startsWith('/api/');
    const common = { 'Cache-Control': cache && asset ? 'max-age=3600' : 'no-store' };
    if (isolation) {
      common['Cross-Origin-Opener-Policy'] = 'same-origin';
      common['Cross-Origin-Embedder-Policy'] = 'require-corp';
      common['Cross-Origin-Resource-Policy'] = 'same-origin';
    }
    if (u.pathname.startsWith('/api/')) return api(u, req, res, common);
    let file = null;
    for (const [prefix, dir] of mounts) {
      if (!u.pathname.startsWith(prefix)) continue;
      const rel = decodeURIComponent(u.pathname.slice(prefix.length));
      const abs = path.join(dir, rel);
      if (!abs.startsWith(dir)) break;
      file = abs;
      break;
    }
    try {
      if (file && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
      const data = fs.readFileSync(file);
      res.writeHead(200, { ...common, 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream', 'Content-Length': data.length });
      res.end(req.method === 'HEAD' ? undefined : data);
    } catch {
      res.writeHead(404, { ...common, 'Content-Type': 'text/plain' });
      res.end(`not found: ${u.pathname}\n`);
    }
  });
  return new Promise((resolve) => srv.listen(port, host, () => resolve({ server: srv, port: srv.address().port, url: `http://${host}:${srv.address().port}/` })));
}

function api(u, req, res, common) {
  const cors = { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' };
  if (req.method === 'OPTIONS') {
    res.writeHead(204, { ...common, ...cors, 'Access-Control-Allow-Headers': '*', 'Access-Control-Allow-Methods': 'GET, POST' });
    return res.end();
  }
  if (u.pathname === '/api/hello') {
    res.writeHead(200, { ...common, ...cors, 'Content-Type': 'text/plain' });
    return res.end('hello from the test server\n');
  }
  if (u.pathname === '/api/redirect') {
    res.writeHead(302, { ...common, ...cors, Location: u.searchParams.get('to') || '/api/hello' });
    return res.end();
  }
  if (u.pathname === '/api/no-cors') {
    res.writeHead(200, { ...common, 'Cross-Origin-Resource-Policy': 'cross-origin', 'Content-Type': 'text/plain' });
    return res.end('no CORS header here\n');
  }
  res.writeHead(404, { ...common, ...cors, 'Content-Type': 'text/plain' });
  return res.end('no such endpoint\n');
}

function parseArgs(argv) {
  const o = { root: '.', port: 8080, isolation: true, maps: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--root') o.root = argv[++i];
    else if (a === '--port') o.port = Number(argv[++i]);
    else if (a === '--no-isolation') o.isolation = false;
    else if (a === '--map') { const [url, dir] = argv[++i].split('='); o.maps.push([url, dir]); }
    else if (a === '--host') o.host = argv[++i];
    else if (a === '--cache') o.cache = true;
    else { console.error(`server.mjs: unknown option ${a}`); process.exit(2); }
  }
  return o;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const o = parseArgs(process.argv.slice(2));
  const { url } = await startServer(o);
  console.log(`serving ${o.root} at ${url}${o.isolation ? ' (cross-origin isolated)' : ''}`);
}
