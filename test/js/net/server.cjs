// server.cjs - the HTTP servers of the network tests, in a worker thread (a
// run blocks the test's thread while the broker waits for a reply).
//
// The same handler listens on 127.0.0.1, 127.0.0.2 and 127.0.0.3, one port
// (and on a second port of 127.0.0.1, and HTTPS with a self-signed
// certificate when workerData has one); the tests map names under .test to
// those addresses with the broker's test resolver. The handler answers with
// the address it was reached on, so a test sees which "host" it talked to.
const http = require('node:http');
const https = require('node:https');
const zlib = require('node:zlib');
const { parentPort, workerData } = require('node:worker_threads');

const names = { '127.0.0.1': 'a', '127.0.0.2': 'b', '127.0.0.3': 'evil' };

function send(res, status, body, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'text/plain', ...headers });
  res.end(body);
}

function handler(req, res) {
  const chunks = [];
  req.on('data', (d) => chunks.push(d));
  req.on('end', () => route(req, res, Buffer.concat(chunks)));
}

function route(req, res, body) {
  const u = new URL(req.url, 'http://x');
  const q = Object.fromEntries(u.searchParams);
  const who = names[req.socket.localAddress] || req.socket.localAddress;
  const p = u.pathname;
  if (p === '/hello') return send(res, 200, `hello from ${who}\n`, { 'X-Test': 'yes' });
  if (p.endsWith('/')) return send(res, 200, 'index page\n');
  if (p === '/echo' || p.startsWith('/echo/')) {
    const h = {};
    for (let i = 0; i < req.rawHeaders.length; i += 2) h[req.rawHeaders[i].toLowerCase()] = req.rawHeaders[i + 1];
    return send(res, 200, `${JSON.stringify({ method: req.method, url: req.url, headers: h, body: body.toString('latin1'), host: who })}\n`,
      { 'Content-Type': 'application/json' });
  }
  if (p.startsWith('/status/')) return send(res, Number(p.slice(8)), `status ${p.slice(8)} page\n`);
  if (p === '/redirect') {
    res.writeHead(Number(q.code || 302), { Location: q.to, 'Content-Length': '0' });
    return res.end();
  }
  if (p.startsWith('/chain/')) {
    const n = Number(p.slice(7));
    if (n <= 0) return send(res, 200, 'end of chain\n');
    res.writeHead(302, { Location: `/chain/${n - 1}`, 'Content-Length': '0' });
    return res.end();
  }
  if (p === '/big') return send(res, 200, 'x'.repeat(Number(q.n || 1000)));
  if (p === '/slow') {
    const t = setTimeout(() => send(res, 200, 'slow\n'), Number(q.ms || 3000));
    res.on('close', () => clearTimeout(t));
    return undefined;
  }
  if (p === '/stall') {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.write('partial');
    return undefined; // never ends
  }
  if (p === '/gzip') {
    return send(res, 200, zlib.gzipSync(Buffer.from('compressed hello\n')), { 'Content-Encoding': 'gzip' });
  }
  if (p === '/bomb') return send(res, 200, zlib.gzipSync(Buffer.alloc(4 * 1024 * 1024)), { 'Content-Encoding': 'gzip' });
  if (p === '/download') {
    return send(res, 200, 'report body\n', { 'Content-Disposition': 'attachment; filename="report.txt"' });
  }
  if (p === '/range.txt') {
    const data = Buffer.from('0123456789abcdefghij\n');
    const m = /bytes=(\d+)-/.exec(req.headers.range || '');
    if (m) {
      const from = Number(m[1]);
      res.writeHead(206, { 'Content-Range': `bytes ${from}-${data.length - 1}/${data.length}`, 'Content-Length': String(data.length - from) });
      return res.end(data.subarray(from));
    }
    return send(res, 200, data);
  }
  if (p === '/close') return req.socket.destroy();
  if (p === '/garbage') {
    req.socket.end('THIS IS NOT HTTP\r\n\r\n');
    return undefined;
  }
  if (p === '/auth') {
    const want = `Basic ${Buffer.from('user:secret').toString('base64')}`;
    if (req.headers.authorization === want) return send(res, 200, 'welcome user\n');
    return send(res, 401, 'who are you?\n', { 'WWW-Authenticate': 'Basic realm="test"' });
  }
  if (p === '/json') return send(res, 200, '{"name": "wasmsh", "n": 3}\n', { 'Content-Type': 'application/json' });
  if (p === '/head') {
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': '11', 'X-Head': 'h' });
    return res.end(req.method === 'HEAD' ? undefined : 'head body\n\n');
  }
  return send(res, 404, 'no such page\n');
}

async function listen(server, port, host) {
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return server.address().port;
}

(async () => {
  const port = await listen(http.createServer(handler), 0, '127.0.0.1');
  await listen(http.createServer(handler), port, '127.0.0.2');
  await listen(http.createServer(handler), port, '127.0.0.3');
  const port2 = await listen(http.createServer(handler), 0, '127.0.0.1');
  let tlsPort = 0;
  if (workerData && workerData.key) {
    tlsPort = await listen(https.createServer({ key: workerData.key, cert: workerData.cert }, handler), 0, '127.0.0.1');
  }
  parentPort.postMessage({ port, port2, tlsPort });
})();
