// curl and wget (minimal, over the session's fetch broker) and the broker's
// rules: allowlist, every redirect hop checked, response size limit.
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';

import { createSession } from './helpers.mjs';

// The server runs in a worker thread: a run blocks this thread while the
// broker waits for the reply.
const SERVER = `
const http = require('node:http');
const { parentPort } = require('node:worker_threads');
const srv = http.createServer((req, res) => {
  let body = '';
  req.on('data', (d) => { body += d; });
  req.on('end', () => {
    const port = srv.address().port;
    if (req.url === '/hello') { res.setHeader('X-Test', 'yes'); res.end('hello from the server\\n'); }
    else if (req.url === '/echo') res.end(req.method + ' ' + body + ' ' + (req.headers['x-a'] || '') + '\\n');
    else if (req.url === '/redirect-ok') { res.statusCode = 302; res.setHeader('Location', '/hello'); res.end(); }
    else if (req.url === '/redirect-away') { res.statusCode = 302; res.setHeader('Location', 'http://localhost:' + port + '/hello'); res.end(); }
    else if (req.url === '/big') res.end('x'.repeat(200000));
    else { res.statusCode = 404; res.end('no such page\\n'); }
  });
});
srv.listen(0, '127.0.0.1', () => parentPort.postMessage(srv.address().port));
`;

describe('curl and wget through the fetch broker', function () {
  this.timeout(60000);
  let server;
  let port;
  let s;
  before(async () => {
    server = new Worker(SERVER, { eval: true });
    port = await new Promise((resolve) => server.once('message', resolve));
    s = await createSession({ allowedHosts: [`127.0.0.1:${port}`], fetch: { maxResponseBytes: 100000 } });
  });
  after(async () => { if (s) s.close(); if (server) await server.terminate(); });
  const base = () => `http://127.0.0.1:${port}`;

  it('curl URL prints the body; -i the status line and headers; -o writes a file', async () => {
    const r = await s.run(`curl -s ${base()}/hello; curl -si ${base()}/hello | head -n 1; curl -s -o page.txt ${base()}/hello; cat page.txt`);
    assert.equal(r.stdout, 'hello from the server\nHTTP/1.1 200 OK\r\nhello from the server\n');
    assert.match((await s.run(`curl -si ${base()}/hello`)).stdout, /\r\nx-test: yes\r\n/);
  });

  it('curl -X, -d and -H make the request; -f fails with 22 on an HTTP error', async () => {
    assert.equal((await s.run(`curl -s -d 'a=1' -H 'X-A: b' ${base()}/echo`)).stdout, 'POST a=1 b\n');
    const r = await s.run(`curl -sf ${base()}/nope; echo "status $?"; curl -s ${base()}/nope`);
    assert.equal(r.stdout, 'status 22\nno such page\n');
  });

  it('redirects: followed with -L, re-checked at every hop', async () => {
    assert.equal((await s.run(`curl -s ${base()}/redirect-ok | wc -c`)).stdout, '0\n');
    assert.equal((await s.run(`curl -sL ${base()}/redirect-ok`)).stdout, 'hello from the server\n');
    const r = await s.run(`curl -sSL ${base()}/redirect-away; echo "status $?"`);
    assert.equal(r.stdout, 'status 7\n');
    assert.match(r.stderr, /^curl: \(7\) fetch http:\/\/localhost:\d+\/hello: host localhost:\d+ is not in this session's allowedHosts/);
  });

  it('a host not in allowedHosts is refused with a message that says what to do', async () => {
    const r = await s.run('curl https://example.com/; echo "curl $?"; wget -q -O- https://example.com/; echo "wget $?"');
    assert.equal(r.stdout, 'curl 7\nwget 4\n');
    assert.match(r.stderr, /curl: \(7\) fetch https:\/\/example.com\/: host example.com is not in this session's allowedHosts \(pass it in createSession\(\{allowedHosts/);
  });

  it('wget -O- and wget to a file named after the URL', async () => {
    const r = await s.run(`wget -q -O- ${base()}/hello; wget ${base()}/hello 2>err.txt; cat hello; cat err.txt; wget -q ${base()}/nope; echo "status $?"`);
    assert.equal(r.stdout, "hello from the server\nhello from the server\n'hello' saved [22/22]\nstatus 8\n");
  });

  it('a response above the session\'s size limit is refused', async () => {
    const r = await s.run(`curl -sS ${base()}/big | wc -c`);
    assert.equal(r.stdout, '0\n');
    assert.match(r.stderr, /larger than the session's limit of 100000 bytes/);
  });
});
