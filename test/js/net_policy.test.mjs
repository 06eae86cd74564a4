// The allowlist's rules, one attempt per case (no Pyodide: fetch_policy.mjs
// alone). docs/network.md describes them; every bypass an agent might try
// (userinfo, backslashes, encoded dots, numeric IP forms, localhost aliases,
// IDNA look-alikes, Host header spoofing) has a row here.
import assert from 'node:assert/strict';

import { OptionsError } from '../../js/errors.mjs';
import { AllowList, checkRequest, entryCovered, fetchLimits } from '../../js/fetch_policy.mjs';

const LIST = ['a.test', 'api.a.test:8443', 'port.test:*', '*.b.test', 'https://secure.test', '127.0.0.1:8080', '[::1]:9000',
  'bücher.test'];

function decide(url, list = LIST) {
  try {
    new AllowList(list).check(url);
    return 'allowed';
  } catch (e) {
    return e.kind;
  }
}

const ROWS = [
  // [what, url, expected]
  ['an exact host on its default port', 'http://a.test/', 'allowed'],
  ['an exact host over https', 'https://a.test/x?y=1', 'allowed'],
  ['an exact host on another port (no port in the entry = default port only)', 'http://a.test:8080/', 'denied'],
  ['host names compare case-insensitively', 'http://A.TeSt/', 'allowed'],
  ['a trailing dot is the same host', 'http://a.test./', 'allowed'],
  ['host:port allows that port', 'https://api.a.test:8443/', 'allowed'],
  ['host:port refuses the default port', 'https://api.a.test/', 'denied'],
  ['host:* allows any port', 'http://port.test:1234/', 'allowed'],
  ['an exact entry does not allow subdomains', 'http://x.a.test/', 'denied'],
  ['*.domain allows a subdomain', 'http://x.b.test/', 'allowed'],
  ['*.domain allows a deep subdomain', 'http://p.q.b.test/', 'allowed'],
  ['*.domain does not allow the apex', 'http://b.test/', 'denied'],
  ['*.domain does not allow a look-alike suffix', 'http://evilb.test/', 'denied'],
  ['a scheme in the entry restricts it: https', 'https://secure.test/', 'allowed'],
  ['a scheme in the entry restricts it: not http', 'http://secure.test/', 'denied'],
  ['an IPv4 literal when listed', 'http://127.0.0.1:8080/', 'allowed'],
  ['an IPv4 literal on another port', 'http://127.0.0.1:8081/', 'denied'],
  ['decimal IPv4 is the listed address', 'http://2130706433:8080/', 'allowed'],
  ['hex IPv4 is the listed address', 'http://0x7f.0.0.1:8080/', 'allowed'],
  ['octal IPv4 is the listed address', 'http://0177.0.0.1:8080/', 'allowed'],
  ['short IPv4 (127.1) is the listed address', 'http://127.1:8080/', 'allowed'],
  ['another loopback address is not listed', 'http://127.0.0.2:8080/', 'denied'],
  ['decimal form of an unlisted address', 'http://2130706434:8080/', 'denied'],
  ['an IPv6 literal when listed', 'http://[::1]:9000/', 'allowed'],
  ['a longer spelling of the listed IPv6', 'http://[0:0:0:0:0:0:0:1]:9000/', 'allowed'],
  ['IPv4-mapped IPv6 is not the IPv4 entry', 'http://[::ffff:127.0.0.1]:8080/', 'denied'],
  ['userinfo: allowed@evil goes to evil', 'http://a.test@evil.test/', 'denied'],
  ['userinfo with a password: allowed:x@evil', 'http://a.test:80@evil.test/', 'denied'],
  ['userinfo in front of an allowed host is fine', 'http://user:pw@a.test/', 'allowed'],
  ['a fragment that looks like userinfo', 'http://evil.test#@a.test/', 'denied'],
  ['a query that looks like userinfo', 'http://evil.test?@a.test/', 'denied'],
  ['a backslash in the authority is refused', 'http://a.test\\@evil.test/', 'bad_url'],
  ['a backslash before an allowed host is refused', 'http://evil.test\\.a.test/', 'bad_url'],
  ['an encoded dot decodes to the allowed host', 'http://a%2etest/', 'allowed'],
  ['an encoded dot cannot forge an allowed suffix', 'http://evil%2etest/', 'denied'],
  ['an encoded @ is not userinfo', 'http://a.test%40evil.test/', 'bad_url'],
  ['IDNA: the Unicode name matches its entry', 'http://bücher.test/', 'allowed'],
  ['IDNA: the punycode name matches the Unicode entry', 'http://xn--bcher-kva.test/', 'allowed'],
  ['IDNA: fullwidth letters normalise to the same host', 'http://ａ.test/', 'allowed'],
  ['IDNA: an ideographic full stop is a dot', 'http://x\u3002b.test/', 'allowed'],
  ['localhost is not implied', 'http://localhost/', 'denied'],
  ['LOCALHOST. is localhost', 'http://LOCALHOST./', 'denied'],
  ['a subdomain of localhost', 'http://x.localhost/', 'denied'],
  ['0.0.0.0', 'http://0.0.0.0:8080/', 'denied'],
  ['0 (all zeros, short form)', 'http://0:8080/', 'denied'],
  ['[::] (IPv6 unspecified)', 'http://[::]:9000/', 'denied'],
  ['the cloud metadata address', 'http://169.254.169.254/latest/meta-data/', 'denied'],
  ['ftp is not http', 'ftp://a.test/', 'protocol'],
  ['file: URLs', 'file:///etc/passwd', 'protocol'],
  ['data: URLs', 'data:text/plain,hi', 'protocol'],
  ['javascript: URLs', 'javascript:alert(1)', 'protocol'],
  ['a scheme-relative URL', '//a.test/', 'bad_url'],
  ['http: without //', 'http:a.test/', 'bad_url'],
  ['a space in the URL', 'http://a.test /x', 'bad_url'],
  ['a newline in the URL', 'http://a.test/\nHost: evil.test', 'bad_url'],
  ['a NUL in the host', 'http://a.test\u0000.evil.test/', 'bad_url'],
  ['an empty label', 'http://a..test/', 'bad_url'],
];

describe('network: the allowlist', () => {
  for (const [what, url, expected] of ROWS) {
    it(`${what}: ${JSON.stringify(url)} -> ${expected}`, () => assert.equal(decide(url), expected));
  }

  it('an empty allowlist means no network at all, and says so', () => {
    assert.equal(decide('http://a.test/', []), 'denied');
    assert.throws(() => new AllowList([]).check('https://example.com/'), /allowedHosts is empty: no network/);
  });

  it('the message names the URL, the host and the allowlist', () => {
    assert.throws(() => new AllowList(['a.test']).check('http://evil.test:81/x'),
      /^HostNotAllowedError: fetch http:\/\/evil.test:81\/x: host evil.test:81 is not in this session's allowedHosts \(pass it in createSession\(\{allowedHosts: \[...\]\}\) or --allow-host; allowedHosts is \[a.test\]\)$/);
  });

  it('bad entries are OptionsErrors', () => {
    for (const bad of ['bad host!', '*', '*.', '*.127.0.0.1', 'a.test:99999', 'a.test:0', 'a.test/path', 'u@a.test', '', 42]) {
      assert.throws(() => new AllowList([bad]), OptionsError, `entry ${JSON.stringify(bad)}`);
    }
  });

  it('the broker fetches the normalised URL, never the caller\'s string', () => {
    const p = new AllowList(['a.test', '127.0.0.1']).check('HTTP://user:pw@A.TEST.:80/%7Ex?q#frag');
    assert.equal(p.href, 'http://a.test/%7Ex?q');
    assert.equal(new AllowList(['127.0.0.1']).check('http://0x7f000001/').href, 'http://127.0.0.1/');
  });

  it('a Host header may only name an allowed host (no domain fronting)', () => {
    const list = new AllowList(['a.test', 'x.a.test']);
    const limits = fetchLimits({});
    assert.throws(() => checkRequest(list, limits, { url: 'http://a.test/', headers: { Host: 'evil.test' } }),
      /the Host header names evil.test, and host evil.test is not in this session's allowedHosts/);
    const ok = checkRequest(list, limits, { url: 'http://a.test/', headers: { host: 'x.a.test' } });
    assert.equal(ok.headers.host, 'x.a.test');
  });

  it('credentials in the URL become an Authorization header; framing headers are the broker\'s', () => {
    const r = checkRequest(new AllowList(['a.test']), fetchLimits({}),
      { url: 'http://user:s%40cret@a.test/', headers: { 'Content-Length': '999', 'Transfer-Encoding': 'chunked', 'X-A': '1' } });
    assert.deepEqual(r.headers, { 'X-A': '1', Authorization: `Basic ${Buffer.from('user:s@cret').toString('base64')}` });
  });

  it('a request body above maxRequestBytes is refused before anything is sent', () => {
    assert.throws(() => checkRequest(new AllowList(['a.test']), fetchLimits({ maxRequestBytes: 10 }),
      { url: 'http://a.test/', body: new Uint8Array(11) }), (e) => e.kind === 'request_too_large');
  });

  it('entryCovered: an entry within an operator\'s list, with the same rules', () => {
    const ops = ['pypi.org', '*.example.com', 'api.test:*', 'https://secure.test'];
    for (const [entry, want] of [['pypi.org', true], ['PyPI.org.', true], ['pypi.org:8080', false], ['x.example.com', true],
      ['*.example.com', true], ['*.a.example.com', true], ['example.com', false], ['api.test:9000', true], ['api.test', true],
      ['https://secure.test', true], ['secure.test', false], ['evil.test', false], ['*', false]]) {
      assert.equal(entryCovered(entry, ops), want, entry);
    }
  });

  it('fetch limits are checked', () => {
    assert.throws(() => fetchLimits({ timeoutMs: 0 }), OptionsError);
    assert.throws(() => fetchLimits({ maxRedirects: -1 }), OptionsError);
    assert.throws(() => fetchLimits({ frob: 1 }), /unknown option frob/);
    assert.deepEqual(Object.keys(fetchLimits({})), ['timeoutMs', 'maxResponseBytes', 'maxRequestBytes', 'maxRedirects']);
  });
});
