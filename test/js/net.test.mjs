// curl, wget and Python's network paths through the session's fetch broker,
// against real HTTP servers on loopback (test/js/net/server.cjs, in a worker
// thread: a run blocks this thread while the broker waits). Names under .test
// go to 127.0.0.x through the broker's test resolver: a.test and 127.0.0.1
// are allowed, x.b.test (127.0.0.2) is allowed by *.b.test, evil.test
// (127.0.0.3) is not. Where the real curl or wget is installed, outputs are
// compared with theirs (curl gets --resolve for the .test names).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

import { createSession } from './helpers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const have = (tool, arg = '--version') => spawnSync(tool, [arg], { stdio: 'ignore' }).status === 0;

function selfSignedCert(dir) {
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert,
    '-days', '2', '-subj', '/CN=a.test', '-addext', 'subjectAltName=DNS:a.test'], { stdio: 'ignore' });
  return r.status === 0 ? { key: fs.readFileSync(key, 'utf8'), cert: fs.readFileSync(cert, 'utf8') } : null;
}

// What differs between two runs of the same request: dates, timings, the
// progress meter's speeds, connection reuse headers.
function normalise(text) {
  return text
    .replace(/^(< )?(Date|Connection|Keep-Alive): .*\r?\n/gmi, '')
    .replace(/^ {2}(Date|Connection|Keep-Alive): .*\n/gmi, '')
    .replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/g, 'DATE')
    .replace(/\r[ \d%kMG.:-]*(?=\r|\n)/g, '\rMETER')
    .replace(/^( +\d+K [ .]*?(?:\d+%)?) +[\d.]+[BKMG](?:=[\d.]+m?s)?$/gm, '$1 RATE')
    .replace(/\((?:[\d.]+ [KMG]?B\/s)\)/g, '(RATE)')
    .replace(/after \d+ ms/g, 'after N ms')
    .replace(/User-Agent: (curl\/[\d.]+|Wget\/[\d.]+)/g, 'User-Agent: $1')
    .replace(/:\d{4,5}\b/g, ':PORT');
}

describe('network: curl, wget and Python through the fetch broker', function () {
  this.timeout(120000);
  let server;
  let ports;
  let s;
  let tmp;
  const A = () => `http://a.test:${ports.port}`;
  const IP = () => `http://127.0.0.1:${ports.port}`;
  const B = () => `http://x.b.test:${ports.port}`;
  const EVIL = () => `http://evil.test:${ports.port}`;
  const run = async (script, o) => s.run(script, o);

  function realCurl(args) {
    const r = spawnSync('curl', ['--resolve', `a.test:${ports.port}:127.0.0.1`, '--resolve', `x.b.test:${ports.port}:127.0.0.2`,
      ...args], { cwd: tmp, encoding: 'latin1' });
    return { stdout: r.stdout, stderr: r.stderr, exitCode: r.status };
  }

  function realWget(args) {
    const r = spawnSync('wget', args, { cwd: tmp, encoding: 'utf8', env: { ...process.env, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' } });
    return { stdout: r.stdout, stderr: r.stderr, exitCode: r.status };
  }

  // Runs the same command line under the real tool (in a host temp dir) and in the session.
  async function compare(tool, args, { exact = true } = {}) {
    if (!have(tool)) return this.skip();
    const real = tool === 'curl' ? realCurl(args) : realWget(args);
    const quoted = args.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
    const ours = await run(`${tool} ${quoted}`);
    assert.equal(ours.exitCode, real.exitCode, `exit status of ${tool} ${quoted}\n${ours.stderr}`);
    if (exact) assert.equal(normalise(ours.stdout), normalise(real.stdout), `stdout of ${tool} ${quoted}`);
    assert.equal(normalise(ours.stderr), normalise(real.stderr), `stderr of ${tool} ${quoted}`);
    return ours;
  }

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wasmsh-net-'));
    const tls = have('openssl', 'version') ? selfSignedCert(tmp) : null;
    server = new Worker(path.join(here, 'net', 'server.cjs'), { workerData: tls || {} });
    ports = await new Promise((resolve) => server.once('message', resolve));
    s = await createSession({
      allowedHosts: [`a.test:${ports.port}`, `127.0.0.1:${ports.port}`, `*.b.test:${ports.port}`, `a.test:${ports.tlsPort || 1}`, '127.0.0.1:1', 'a.test:1'],
      fetch: { maxResponseBytes: 100000, maxRequestBytes: 50000, maxRedirects: 5, timeoutMs: 5000 },
    });
    s.broker.setTestResolver({ 'a.test': '127.0.0.1', 'x.b.test': '127.0.0.2', 'b.test': '127.0.0.2', 'evil.test': '127.0.0.3' });
  });
  after(async () => {
    if (s) s.close();
    if (server) await server.terminate();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });
  beforeEach(async () => {
    for (const f of fs.readdirSync(tmp)) if (!f.endsWith('.pem')) fs.rmSync(path.join(tmp, f), { recursive: true, force: true });
    await run('cd /workspace && rm -rf net && mkdir net && cd net');
  });

  // ---- the broker's rules, seen from curl

  it('an allowed host: the body; -i the status line and headers as the server sent them', async () => {
    const r = await run(`curl -s ${A()}/hello; curl -si ${A()}/hello`);
    assert.match(r.stdout, /^hello from a\nHTTP\/1\.1 200 OK\r\nContent-Type: text\/plain\r\nX-Test: yes\r\n/);
    assert.match(r.stdout, /\r\n\r\nhello from a\n$/);
  });

  it('a host not in allowedHosts fails like a network error (7) naming the allowlist', async () => {
    const r = await run(`curl -sS ${EVIL()}/hello; echo "curl $?"; wget -q ${EVIL()}/hello; echo "wget $?"`);
    assert.equal(r.stdout, 'curl 7\nwget 4\n');
    assert.match(r.stderr, /^curl: \(7\) fetch http:\/\/evil\.test:\d+\/hello: host evil\.test:\d+ is not in this session's allowedHosts \(pass it in createSession\(\{allowedHosts: \[\.\.\.\]\}\) or --allow-host; allowedHosts is \[a\.test:\d+, /);
  });

  it('the server of a denied host is never contacted', async () => {
    const r = await run(`curl -s ${EVIL()}/echo -o /dev/null -w '%{http_code}'`);
    assert.equal(r.stdout, '000');
  });

  it('*.b.test allows x.b.test but not the apex b.test', async () => {
    const r = await run(`curl -s ${B()}/hello; curl -sS http://b.test:${ports.port}/hello; echo "$?"`);
    assert.equal(r.stdout, 'hello from b\n7\n');
    assert.match(r.stderr, /host b\.test:\d+ is not in this session's allowedHosts/);
  });

  it('userinfo tricks reach the host after the @ (and are refused there)', async () => {
    const r = await run(`curl -sS 'http://a.test:${ports.port}@evil.test:${ports.port}/hello'; echo "$?"`);
    assert.equal(r.stdout, '7\n');
    assert.match(r.stderr, /host evil\.test:\d+ is not in/);
  });

  it('backslashes in the host part are refused (3)', async () => {
    const r = await run(`curl -sS 'http://a.test:${ports.port}\\@evil.test/'; echo "$?"`);
    assert.equal(r.stdout, '3\n');
    assert.equal(r.stderr, 'curl: (3) URL using bad/illegal format or missing URL\n');
  });

  it('numeric IPv4 forms are the address they spell: decimal, hex, octal', async () => {
    const r = await run(`for h in 2130706433 0x7f000001 0177.0.0.1 127.1; do curl -s http://$h:${ports.port}/hello; done; curl -sS http://2130706435:${ports.port}/hello; echo $?`);
    assert.equal(r.stdout, 'hello from a\n'.repeat(4) + '7\n');
    assert.match(r.stderr, /host 127\.0\.0\.3:\d+ is not in/);
  });

  it('localhost aliases are refused unless listed', async () => {
    const r = await run(`for u in localhost LOCALHOST. x.localhost 0.0.0.0 0 '[::1]' '[::ffff:127.0.0.1]'; do curl -s -o /dev/null -w "%{exitcode} " "http://$u:${ports.port}/hello"; done`);
    assert.equal(r.stdout, '7 7 7 7 7 7 7 ');
  });

  it('only http and https (1)', async () => {
    const r = await run(`curl -sS ftp://a.test/x; echo $?; curl -sS file:///etc/passwd; echo $?`);
    assert.equal(r.stdout, '1\n1\n');
    assert.match(r.stderr, /^curl: \(1\) Protocol "ftp" not supported or disabled in libcurl\n/);
  });

  it('redirects: not followed without -L; followed with -L; every hop re-checked', async () => {
    const r = await run(`curl -s -w '%{http_code} %{redirect_url}\\n' '${A()}/redirect?to=/hello'; curl -sL '${A()}/redirect?to=/hello'`);
    assert.equal(r.stdout, `302 ${A()}/hello\nhello from a\n`);
    const away = await run(`curl -sSL '${A()}/redirect?to=${EVIL()}/hello'; echo "$?"`);
    assert.equal(away.stdout, '7\n');
    assert.match(away.stderr, /redirected to http:\/\/evil\.test:\d+\/hello, and host evil\.test:\d+ is not in this session's allowedHosts/);
  });

  it('a redirect to another allowed host is followed; to a denied one in the middle of a chain is refused', async () => {
    const r = await run(`curl -sL '${A()}/redirect?to=${B()}/hello'; curl -sSL '${A()}/redirect?to=${encodeURIComponent(`${B()}/redirect?to=${EVIL()}/x`)}'; echo $?`);
    assert.equal(r.stdout, 'hello from b\n7\n');
  });

  it('a redirect to another scheme or a numeric form of a denied address is refused', async () => {
    const r = await run(`curl -sSL '${A()}/redirect?to=file:///etc/passwd'; echo $?; curl -sSL '${A()}/redirect?to=http://2130706435:${ports.port}/'; echo $?`);
    assert.equal(r.stdout, '1\n7\n');
  });

  it('the number of redirects is limited (47), by --max-redirs and by the session', async () => {
    const r = await run(`curl -sSL --max-redirs 2 ${A()}/chain/4; echo $?; curl -sSL ${A()}/chain/9; echo $?; curl -sL ${A()}/chain/5`);
    assert.equal(r.stdout, '47\n47\nend of chain\n');
    assert.equal(r.stderr, 'curl: (47) Maximum (2) redirects followed\ncurl: (47) Maximum (5) redirects followed\n');
  });

  it('303 turns a POST into a GET; 307 keeps it', async () => {
    const r = await run(`curl -sL -d x=1 '${A()}/redirect?code=303&to=/echo' | jq -r .method; curl -sL -d x=1 '${A()}/redirect?code=307&to=/echo' | jq -r '.method + " " + .body'`);
    assert.equal(r.stdout, 'GET\nPOST x=1\n');
  });

  it('credentials are not sent to another host on a redirect', async () => {
    const r = await run(`curl -sL -u user:secret '${A()}/redirect?to=${B()}/echo' | jq -r '.headers.authorization // "none"'; curl -sL -u user:secret '${A()}/redirect?to=/echo' | jq -r '.headers.authorization'`);
    assert.equal(r.stdout, `none\nBasic ${Buffer.from('user:secret').toString('base64')}\n`);
  });

  it('a response larger than the session\'s limit is refused (63)', async () => {
    const r = await run(`curl -sS ${A()}/big?n=200000 | wc -c; curl -s ${A()}/big?n=90000 | wc -c`);
    assert.equal(r.stdout, '0\n90000\n');
    assert.match(r.stderr, /^curl: \(63\) Maximum file size exceeded: the response is larger than the session's limit of 100000 bytes\n$/);
  });

  it('the size limit applies after decompression too (a gzip bomb)', async () => {
    const r = await run(`curl -sS --compressed ${A()}/bomb | wc -c; echo "\${PIPESTATUS[0]}"`);
    assert.equal(r.stdout, '0\n63\n');
  });

  it('a request body above the session\'s limit is refused before sending (55)', async () => {
    const r = await run(`head -c 60000 /dev/zero > big.bin; curl -sS --data-binary @big.bin ${A()}/echo; echo $?`);
    assert.equal(r.stdout, '55\n');
    assert.match(r.stderr, /request body \(60000 bytes\) is larger than the session's limit of 50000 bytes/);
  });

  it('time: --max-time (28) and the session\'s timeout', async () => {
    const r = await run(`curl -sS --max-time 0.3 '${A()}/slow?ms=3000'; echo $?; curl -sS -m 0.3 ${A()}/stall; echo $?`);
    assert.equal(r.stdout, '28\n28\n');
    assert.match(r.stderr, /^curl: \(28\) Operation timed out after \d+ milliseconds with 0 bytes received\ncurl: \(28\) Operation timed out after \d+ milliseconds with 7 bytes received\n$/);
  });

  it('a fetch ends with the run\'s own deadline', async () => {
    const t0 = Date.now();
    const r = await run(`curl -s '${A()}/slow?ms=4000'; echo "status $?"`, { timeoutMs: 500 });
    assert.ok(Date.now() - t0 < 2500, `took ${Date.now() - t0} ms`);
    assert.equal(r.exitCode, 124);
  });

  it('connection refused (7), unknown host (6), empty reply (52)', async () => {
    const r = await run(`curl -sS http://a.test:1/ ; echo $?; curl -sS http://nosuch.x.b.test:${ports.port}/; echo $?; curl -sS ${A()}/close; echo $?`);
    assert.equal(r.stdout, '7\n6\n52\n');
  });

  it('a malformed response is curl\'s 8 (Weird server reply), wget\'s 4', async () => {
    const r = await run(`curl -sS ${A()}/garbage; echo $?; wget -q --tries=1 ${A()}/garbage; echo $?`);
    assert.equal(r.stdout, '8\n4\n');
    assert.equal(r.stderr, 'curl: (8) Weird server reply\n');
  });

  it('cancel from another thread stops a waiting fetch at once (130)', async () => {
    const canceller = new Worker(`const { workerData } = require('node:worker_threads');
      setTimeout(() => { Atomics.store(workerData, 0, 2); }, 400);`, { eval: true, workerData: s.interrupt });
    const t0 = Date.now();
    const r = await run(`curl -s '${A()}/slow?ms=5000'; echo "status $?"`);
    await canceller.terminate();
    assert.ok(Date.now() - t0 < 3000, `took ${Date.now() - t0} ms`);
    assert.equal(r.exitCode, 130);
    assert.equal(r.stopReason, 'cancel');
  });

  it('a Host header naming another host is refused (no domain fronting)', async () => {
    const r = await run(`curl -sS -H 'Host: evil.test' ${A()}/echo; echo $?; curl -s -H 'Host: x.b.test:${ports.port}' ${A()}/echo | jq -r .headers.host`);
    assert.equal(r.stdout, `7\nx.b.test:${ports.port}\n`);
  });

  it('https to a self-signed server: 60 without -k, the body with -k', async function () {
    if (!ports.tlsPort) return this.skip();
    const u = `https://a.test:${ports.tlsPort}/hello`;
    const r = await run(`curl -sS ${u}; echo $?; curl -sk ${u}; wget -q -O- ${u}; echo $?; wget -q --no-check-certificate -O- ${u}`);
    assert.equal(r.stdout, '60\nhello from a\n5\nhello from a\n');
    assert.match(r.stderr, /^curl: \(60\) SSL certificate problem: self-signed certificate\nMore details here/);
  });

  // ---- curl's options

  it('-X, -d (joined with &), -H, -A, -e', async () => {
    const r = await run(`curl -s -X PATCH -d a=1 -d b=2 -H 'X-A: b' -A agent/1 -e http://ref/ ${A()}/echo | jq -c '[.method,.body,.headers["x-a"],.headers["user-agent"],.headers.referer,.headers["content-type"]]'`);
    assert.equal(r.stdout, '["PATCH","a=1&b=2","b","agent/1","http://ref/","application/x-www-form-urlencoded"]\n');
  });

  it('-d @file drops newlines, --data-binary keeps them, --data-raw takes @ literally', async () => {
    const r = await run(`printf 'a=1\\nb=2\\n' > d.txt; curl -s -d @d.txt ${A()}/echo | jq -r .body; curl -s --data-binary @d.txt ${A()}/echo | jq .body; curl -s --data-raw @d.txt ${A()}/echo | jq -r .body`);
    assert.equal(r.stdout, 'a=1b=2\n"a=1\\nb=2\\n"\n@d.txt\n');
  });

  it('--data-urlencode forms, -G puts the data in the query', async () => {
    const r = await run(`curl -s -G -d a=1 --data-urlencode 'b=x y&z' --data-urlencode '=q r' ${A()}/echo | jq -r '.method + " " + .url'`);
    assert.equal(r.stdout, 'GET /echo?a=1&b=x+y%26z&q+r\n');
  });

  it('--json sets both headers', async () => {
    const r = await run(`curl -s --json '{"a":1}' ${A()}/echo | jq -c '[.method,.body,.headers["content-type"],.headers.accept]'`);
    assert.equal(r.stdout, '["POST","{\\"a\\":1}","application/json","application/json"]\n');
  });

  it('-F builds multipart/form-data with files', async () => {
    const r = await run(`echo content > up.txt; curl -s -F a=1 -F f=@up.txt -F 'g=<up.txt' ${A()}/echo | jq -r .body | tr -d '\\r' | grep -v '^--'`);
    assert.equal(r.stdout, 'Content-Disposition: form-data; name="a"\n\n1\nContent-Disposition: form-data; name="f"; filename="up.txt"\nContent-Type: text/plain\n\ncontent\n\nContent-Disposition: form-data; name="g"\n\ncontent\n\n\n');
  });

  it('-T uploads with PUT (the file name appended to a URL ending in /)', async () => {
    const r = await run(`echo up > t.txt; curl -s -T t.txt ${A()}/echo/ | jq -c '[.method,.url]'; curl -s -T t.txt ${A()}/echo | jq -c '[.method,.body]'`);
    assert.equal(r.stdout, '["PUT","/echo/t.txt"]\n["PUT","up\\n"]\n');
  });

  it('-u and credentials in the URL', async () => {
    const r = await run(`curl -s -u user:secret ${A()}/auth; curl -s http://user:secret@a.test:${ports.port}/auth; curl -s -o /dev/null -w '%{http_code}\\n' ${A()}/auth`);
    assert.equal(r.stdout, 'welcome user\nwelcome user\n401\n');
  });

  it('-o, -O, -J, --output-dir, --create-dirs', async () => {
    const r = await run(`curl -s -o one.txt ${A()}/hello; curl -s -O ${A()}/hello; curl -sOJ ${A()}/download; curl -s --create-dirs --output-dir d/e -O ${A()}/json; cat one.txt hello report.txt d/e/json`);
    assert.equal(r.stdout, 'hello from a\nhello from a\nreport body\n{"name": "wasmsh", "n": 3}\n');
  });

  it('several URLs pair with several -o in order', async () => {
    const r = await run(`curl -s ${A()}/hello -o x1 ${A()}/json -o x2; cat x1 x2`);
    assert.equal(r.stdout, 'hello from a\n{"name": "wasmsh", "n": 3}\n');
  });

  it('-I (HEAD), -D, -i with -L shows every hop', async () => {
    const r = await run(`curl -sI ${A()}/head | head -n 1; curl -s -D h.txt -o /dev/null ${A()}/hello; head -n 1 h.txt; curl -siL '${A()}/redirect?to=/hello' | grep '^HTTP'`);
    assert.equal(r.stdout, 'HTTP/1.1 200 OK\r\nHTTP/1.1 200 OK\r\nHTTP/1.1 302 Found\r\nHTTP/1.1 200 OK\r\n');
  });

  it('-f (22, no output) and --fail-with-body (22, the body)', async () => {
    const r = await run(`curl -sf ${A()}/status/404; echo $?; curl -s --fail-with-body ${A()}/status/500; echo $?; curl -s ${A()}/status/404; echo $?`);
    assert.equal(r.stdout, '22\nstatus 500 page\n22\nstatus 404 page\n0\n');
  });

  it('-w with the common variables', async () => {
    const r = await run(`curl -sL -o /dev/null -w '%{http_code} %{response_code} %{url_effective} %{size_download} %{content_type} %{num_redirects} %{method} %{scheme} %{exitcode} %{remote_ip} %header{x-test}|%%\\n' '${A()}/redirect?to=/hello'`);
    assert.equal(r.stdout, `200 200 ${A()}/hello 13 text/plain 1 GET HTTP 0 127.0.0.1 yes|%\n`);
    const e = await run(`curl -s -w '%{http_code} %{exitcode} %{errormsg}\\n' ${EVIL()}/; curl -s -o /dev/null -w '%{onerror}never\\n' ${A()}/hello; curl -s -o /dev/null -w '%{stderr}to stderr' ${A()}/hello`);
    assert.match(e.stdout, /^000 7 fetch http:\/\/evil\.test:\d+\/: host evil\.test/);
    assert.equal(e.stderr, 'to stderr');
  });

  it('--retry retries transient errors, with curl\'s warning', async () => {
    const r = await run(`curl -sS --retry 1 --retry-delay 1 -m 0.2 '${A()}/slow?ms=2000'; echo $?; curl --retry 1 --retry-delay 1 -s ${A()}/status/503; echo $?`);
    assert.equal(r.stdout, '28\nstatus 503 page\nstatus 503 page\n0\n'); // stdout cannot take the first body back (curl too)
  });

  it('-v shows the request and the response on stderr', async () => {
    const r = await run(`curl -sv ${A()}/hello 2>&1 >/dev/null | grep -E '^[<>*]' | grep -v -i -E '^< (date|connection|transfer)'`);
    assert.equal(r.stdout, `*   Trying 127.0.0.1:${ports.port}...\n* Connected to a.test (127.0.0.1) port ${ports.port} (#0)\n> GET /hello HTTP/1.1\r\n> Host: a.test:${ports.port}\r\n> User-Agent: curl/7.88.1\r\n> Accept: */*\r\n> \r\n< HTTP/1.1 200 OK\r\n< Content-Type: text/plain\r\n< X-Test: yes\r\n< \r\n* Connection #0 to host a.test left intact\n`);
  });

  it('--compressed decodes gzip; without it the bytes are as sent', async () => {
    const r = await run(`curl -s --compressed ${A()}/gzip; curl -s ${A()}/gzip | head -c 2 | od -An -tx1`);
    assert.equal(r.stdout, 'compressed hello\n 1f 8b\n');
  });

  it('options curl only accepts: -k, --connect-timeout, -g, --http1.1, -4 and no-ops', async () => {
    const r = await run(`curl -s -k --connect-timeout 5 -g --http1.1 -4 -N --no-progress-meter ${A()}/hello`);
    assert.equal(r.stdout, 'hello from a\n');
  });

  it('usage errors: unknown option, missing parameter, no URL (2)', async () => {
    const r = await run('curl --frob; echo $?; curl -o; echo $?; curl; echo $?; curl -m abc x; echo $?');
    assert.equal(r.stdout, '2\n2\n2\n2\n');
    assert.equal(r.stderr, "curl: option --frob: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n" +
      "curl: option -o: requires parameter\ncurl: try 'curl --help' or 'curl --manual' for more information\n" +
      "curl: no URL specified!\ncurl: try 'curl --help' or 'curl --manual' for more information\n" +
      "curl: option -m: expected a proper numerical parameter\ncurl: try 'curl --help' or 'curl --manual' for more information\n");
  });

  it('a body into a closed pipe stops quietly', async () => {
    const r = await run(`curl -s ${A()}/big?n=90000 | head -c 5; echo " \${PIPESTATUS[@]}"`);
    assert.equal(r.stdout, 'xxxxx 23 0\n');
  });

  // ---- against the real curl

  it('same as curl: -s, -sS errors, -i, -f', async function () {
    if (!have('curl')) return this.skip();
    for (const args of [['-s', `${IP()}/hello`], ['-si', `${IP()}/json`], ['-sSf', `${IP()}/status/404`],
      ['-s', '--fail-with-body', `${IP()}/status/404`], ['-sS', 'http://127.0.0.1:1/'], ['-sS', 'ftp2://x/']]) {
      await compare.call(this, 'curl', args);
    }
  });

  it('same as curl: redirects with -L -i and --max-redirs', async function () {
    if (!have('curl')) return this.skip();
    await compare.call(this, 'curl', ['-sLi', `${IP()}/redirect?to=/hello`]);
    await compare.call(this, 'curl', ['-sSL', '--max-redirs', '2', `${IP()}/chain/4`]);
  });

  it('same as curl: the progress meter and -w', async function () {
    if (!have('curl')) return this.skip();
    await compare.call(this, 'curl', [`${IP()}/head`]);
    await compare.call(this, 'curl', ['-o', '/dev/null', 'http://127.0.0.1:1/']);
    await compare.call(this, 'curl', ['-s', '-o', '/dev/null', '-w', '%{http_code} %{content_type} %{size_download} %{num_redirects}\\n', '-L', `${IP()}/redirect?to=/json`]);
  });

  it('same as curl: -D -, -I, -w on an HTTP error, a redirect not followed', async function () {
    if (!have('curl')) return this.skip();
    await compare.call(this, 'curl', ['-sS', '-D', '-', '-o', '/dev/null', `${IP()}/hello`]);
    await compare.call(this, 'curl', ['-sSI', `${IP()}/head`]);
    await compare.call(this, 'curl', ['-s', '-o', '/dev/null', '-w', '%{http_code} %{exitcode}\\n', `${IP()}/status/404`]);
    await compare.call(this, 'curl', ['-si', `${IP()}/redirect?to=/hello`]);
    await compare.call(this, 'curl', ['-s', '-w', '%{redirect_url}\\n', `${IP()}/redirect?to=/json`]);
  });

  it('same as curl: --retry on an HTTP error, to stdout and to a file', async function () {
    if (!have('curl')) return this.skip();
    await compare.call(this, 'curl', ['--retry', '1', '--retry-delay', '1', `${IP()}/status/503`]);
    await compare.call(this, 'curl', ['--retry', '1', '--retry-delay', '1', '-o', 'r.txt', `${IP()}/status/503`]);
  });

  it('same as curl: usage errors', async function () {
    if (!have('curl')) return this.skip();
    await compare.call(this, 'curl', ['--frob']);
    await compare.call(this, 'curl', []);
  });

  // ---- wget

  it('wget -O-, -q, a file named after the URL, never clobbering (NAME.1)', async () => {
    const r = await run(`wget -q -O- ${A()}/hello; wget -q ${A()}/hello; wget -q ${A()}/hello; cat hello hello.1; wget -q ${A()}/; ls`);
    assert.equal(r.stdout, 'hello from a\nhello from a\nhello from a\nhello\nhello.1\nindex.html\n');
  });

  it('wget exit codes: 8 for an HTTP error, 4 for the network, 6 for auth, 2 for usage', async () => {
    const r = await run(`wget -q ${A()}/status/404; echo $?; wget -q --tries=1 http://a.test:1/; echo $?; wget -q ${A()}/auth; echo $?; wget --frob 2>/dev/null; echo $?`);
    assert.equal(r.stdout, '8\n4\n6\n2\n');
  });

  it('wget: a denied host names the allowlist; a redirect to it is refused', async () => {
    const r = await run(`wget -O- ${EVIL()}/hello; echo $?; wget -q -O- '${A()}/redirect?to=${EVIL()}/hello'; echo $?`);
    assert.equal(r.stdout, '4\n4\n');
    assert.match(r.stderr, /Connecting to evil\.test:\d+\.\.\. failed: host evil\.test:\d+ is not in this session's allowedHosts/);
  });

  it('wget --header, --post-data, --method with --body-data, -U', async () => {
    const r = await run(`wget -q -O- --header 'X-A: 1' --post-data 'a=b' ${A()}/echo | jq -c '[.method,.body,.headers["x-a"]]'; wget -q -O- --method PUT --body-data x -U ua/2 ${A()}/echo | jq -c '[.method,.body,.headers["user-agent"]]'`);
    assert.equal(r.stdout, '["POST","a=b","1"]\n["PUT","x","ua/2"]\n');
  });

  it('wget -c continues with a Range request; -P saves under a directory', async () => {
    const r = await run(`printf '0123456' > range.txt; wget -q -c ${A()}/range.txt; cat range.txt; wget -q -P sub/dir ${A()}/hello; cat sub/dir/hello`);
    assert.equal(r.stdout, '0123456789abcdefghij\nhello from a\n');
  });

  it('wget -T times out (4), --tries retries', async () => {
    const r = await run(`wget -q -T 0.3 --tries=2 -O- '${A()}/slow?ms=3000'; echo $?`);
    assert.equal(r.stdout, '4\n');
  });

  it('wget -S prints the server response', async () => {
    const r = await run(`wget -S -O /dev/null ${A()}/hello 2>&1 | grep '^  '`);
    assert.match(r.stdout, /^ {2}HTTP\/1\.1 200 OK\n {2}Content-Type: text\/plain\n {2}X-Test: yes\n/);
  });

  it('same as wget: the log of a download, a redirect, an error', async function () {
    if (!have('wget')) return this.skip();
    await compare.call(this, 'wget', [`${IP()}/hello`]);
    await compare.call(this, 'wget', ['-O', '-', `${IP()}/head`]);
    await compare.call(this, 'wget', ['-S', '-O', '/dev/null', `${IP()}/redirect?to=/hello`]);
    await compare.call(this, 'wget', [`${IP()}/status/404`]);
    await compare.call(this, 'wget', ['http://127.0.0.1:1/']);
    await compare.call(this, 'wget', ['-nv', '-O', 'x.txt', `${IP()}/hello`]);
    await compare.call(this, 'wget', ['-q', '-O', '-', `${IP()}/redirect?to=/json`]);
    await compare.call(this, 'wget', ['-O', '-', `${IP()}/big?n=60000`]);
    await compare.call(this, 'wget', ['--frob']);
    await compare.call(this, 'wget', []);
  });

  // ---- Python

  const py = (code) => run(`python3 - <<'PYEOF'\n${code}\nPYEOF`);

  it('python: urllib.request through the broker, with the allowlist and redirects re-checked', async () => {
    const r = await py(`
import urllib.request, urllib.error, json
P = ${ports.port}
print(urllib.request.urlopen(f"http://a.test:{P}/hello").read().decode(), end="")
print(urllib.request.urlopen(f"http://a.test:{P}/redirect?to=/json").read().decode(), end="")
for u in [f"http://evil.test:{P}/", f"http://a.test:{P}/redirect?to=http://evil.test:{P}/x"]:
    try:
        urllib.request.urlopen(u)
    except urllib.error.URLError as e:
        print("URLError", "is not in this session's allowedHosts" in str(e.reason))
try:
    urllib.request.urlopen(f"http://a.test:{P}/status/404")
except urllib.error.HTTPError as e:
    print("HTTPError", e.code, e.read().decode(), end="")
req = urllib.request.Request(f"http://a.test:{P}/echo", data=b"k=v", headers={"X-A": "1"}, method="PUT")
d = json.loads(urllib.request.urlopen(req).read())
print(d["method"], d["body"], d["headers"]["x-a"])
`);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, 'hello from a\n{"name": "wasmsh", "n": 3}\nURLError True\nURLError True\nHTTPError 404 status 404 page\nPUT k=v 1\n');
  });

  it('python: http.client', async () => {
    const r = await py(`
import http.client
c = http.client.HTTPConnection("a.test", ${ports.port})
c.request("HEAD", "/head")
r = c.getresponse()
print(r.status, r.reason, r.getheader("X-Head"), r.getheader("Content-Length"), r.read())
c.request("POST", "/echo", body=b"abc", headers={"Content-Type": "text/plain"})
print(c.getresponse().read().decode().count("abc"))
`);
    assert.equal(r.stdout, "200 OK h 11 b''\n1\n");
  });

  it('python: raw sockets cannot connect anywhere (ENETUNREACH here; EACCES when the containment layer refuses the syscall first), nor listen', async () => {
    const r = await py(`
import socket, errno, _socket
REFUSED = (errno.ENETUNREACH, errno.EACCES)
def attempt(label, f):
    try:
        f()
        print(label, "reached the network!")
    except OSError as e:
        print(label, e.errno in REFUSED)
for target in [("127.0.0.1", ${ports.port}), ("a.test", ${ports.port}), ("8.8.8.8", 53)]:
    attempt("tcp", lambda: socket.create_connection(target, timeout=1))
attempt("udp", lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", ("127.0.0.1", 53)))
def listen():
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
attempt("listen", listen)
attempt("_socket", lambda: _socket.socket().connect(("127.0.0.1", ${ports.port})))
`);
    assert.equal(r.stdout, 'tcp True\ntcp True\ntcp True\nudp True\nlisten True\n_socket True\n');
  });

  it('python: a reloaded http.client still cannot reach the network', async () => {
    const r = await py(`
import importlib, http.client
m = importlib.reload(http.client)
c = m.HTTPConnection("127.0.0.1", ${ports.port}, timeout=1)
try:
    c.request("GET", "/hello"); print(c.getresponse().read())
except OSError as e:
    print(type(e).__name__)
`);
    assert.match(r.stdout, /^(OSError|ConnectionError|FetchError|TimeoutError)\n$|^b'hello from a\\n'\n$/);
  });

  it('python: pyodide.http.pyfetch and open_url go through the broker', async () => {
    const r = await py(`
import pyodide.http
def run(c):
    try:
        c.send(None)
    except StopIteration as e:
        return e.value
async def main():
    r = await pyodide.http.pyfetch("http://a.test:${ports.port}/json")
    print(r.status, r.ok, await r.json())
    r = await pyodide.http.pyfetch("http://a.test:${ports.port}/gzip")
    print(await r.text(), end="")
    try:
        await pyodide.http.pyfetch("http://evil.test:${ports.port}/")
    except OSError as e:
        print(type(e).__name__)
run(main())
print(pyodide.http.open_url("http://a.test:${ports.port}/hello").read(), end="")
`);
    assert.equal(r.stdout, "200 True {'name': 'wasmsh', 'n': 3}\ncompressed hello\nHostNotAllowed\nhello from a\n");
  });

  it('python: requests (urllib3\'s Emscripten backend) and requests over pyodide-http', async function () {
    const dir = path.join(here, '..', '..', 'build', 'test-wheels');
    if (!fs.existsSync(dir)) return this.skip(); // make test-js fetches them
    for (const f of fs.readdirSync(dir)) if (f.endsWith('.whl')) s.writeFile(`/tmp/wheels/${f}`, fs.readFileSync(path.join(dir, f)));
    const inst = await run('pip install -q --no-index /tmp/wheels/*.whl; echo $?');
    assert.equal(inst.stdout, '0\n', inst.stderr);
    const r = await py(`
import requests
P = ${ports.port}
r = requests.get(f"http://a.test:{P}/json")
print(r.status_code, r.json(), r.headers["content-type"])
print(requests.post(f"http://a.test:{P}/echo", data={"a": "1"}).json()["body"])
print(requests.get(f"http://a.test:{P}/redirect?to=/hello").text, end="")
for u in [f"http://evil.test:{P}/", f"http://a.test:{P}/redirect?to=http://evil.test:{P}/"]:
    try:
        requests.get(u)
    except requests.exceptions.ConnectionError as e:
        print("ConnectionError", "is not in this session's allowedHosts" in str(e))
try:
    requests.get(f"http://a.test:{P}/slow?ms=3000", timeout=0.3)
except requests.exceptions.RequestException as e:
    print(type(e).__name__)
import pyodide_http
pyodide_http.patch_all()
r = requests.get(f"http://a.test:{P}/json")
print("pyodide-http", r.status_code, r.json()["n"])
try:
    requests.get(f"http://evil.test:{P}/")
except requests.exceptions.ConnectionError as e:
    print("pyodide-http refused", type(e).__name__)  # pyodide-http raises it without a message
`);
    assert.equal(r.stdout, "200 {'name': 'wasmsh', 'n': 3} application/json\na=1\nhello from a\nConnectionError True\nConnectionError True\n" +
      'ConnectionError\npyodide-http 200 3\npyodide-http refused ConnectionError\n'); // urllib3 on Emscripten: timeouts are ConnectionErrors
  });

  it('python: pip downloads go through the broker (a refused index names the allowlist)', async () => {
    const r = await run(`pip install -i http://evil.test:${ports.port}/simple six 2>&1 | grep -c "is not in this session's allowedHosts"`);
    assert.equal(r.stdout, '1\n');
  });
});
