// fetch_sync.mjs - the fetch broker in a browser: synchronous for the shell
// (a run is one synchronous wasm call), with the session's allowlist.
//
// Three ways to wait, best first:
//  - in a worker of a cross-origin isolated page: a helper worker fetches and
//    passes the response through shared memory while this thread waits with
//    Atomics.wait (the response streams in chunks, the size limit stops a big
//    download early, cancel and the timeout are checked while waiting);
//  - in a worker without SharedArrayBuffer: a synchronous XMLHttpRequest;
//  - on a page's main thread (attachToPyodide there): a synchronous
//    XMLHttpRequest reading bytes through the x-user-defined charset.
//
// Redirects: a page cannot see the hops of a redirect chain (fetch's
// redirect: 'manual' gives an opaque response without Location), so the
// browser follows them, with CORS checked at every cross-origin hop, and the
// broker checks the final URL against the allowlist before handing anything
// over. `curl` without -L therefore also follows (documented).
import { AllowList, FetchError, checkRequest, fetchLimits, tooLarge } from '../fetch_policy.mjs';

const CHUNK = 1 << 20;
const dec = new TextDecoder();

function canBlock() {
  return typeof SharedArrayBuffer === 'function' && globalThis.crossOriginIsolated === true &&
    typeof WorkerGlobalScope !== 'undefined';
}

function inWorker() {
  return typeof WorkerGlobalScope !== 'undefined';
}

function failed(url, message, kind = 'failed') {
  return new FetchError(kind, `fetch ${url}: ${message}`, { url });
}

function rawHeaders(obj) {
  return Object.entries(obj || {});
}

export class BrowserFetchBroker {
  /**
   * @param {string[]} allowedHosts
   * @param {object} limits         {timeoutMs, maxResponseBytes}
   * @param {string} helperUrl      fetch_helper.mjs
   */
  constructor(allowedHosts, limits, helperUrl) {
    this.allowList = new AllowList(allowedHosts);
    this.limits = fetchLimits(limits);
    this.helperUrl = helperUrl;
    this.helper = null;
    this.mode = canBlock() ? 'shared-memory' : inWorker() ? 'sync-xhr' : 'sync-xhr-main-thread';
    // A nested worker only starts while its parent's event loop runs, and a
    // fetch blocks this thread: the helper is started now, at session start.
    if (this.mode === 'shared-memory' && this.allowList.rules.length) this.startHelper();
  }

  startHelper() {
    this.helperStarted = new Int32Array(new SharedArrayBuffer(4));
    this.helper = new Worker(this.helperUrl, { type: 'module', name: 'wasmsh-fetch' });
    this.helper.postMessage({ started: this.helperStarted });
  }

  fetchSync({ url, method = 'GET', headers = {}, body, interrupt }) {
    const checked = checkRequest(this.allowList, this.limits, { url, headers, body });
    const href = checked.parsed.href;
    const req = { url: href, method, headers: checked.headers, body };
    const res = this.mode === 'shared-memory' ? this.viaHelper(req, interrupt) : this.viaXhr(req);
    if (res.url && res.url !== href) {
      let p = null;
      try { p = this.allowList.parse(res.url); } catch { /* refused below */ }
      if (!p || !this.allowList.allowsParsed(p)) {
        throw this.allowList.denied(res.url, p || { hostPort: res.url },
          `fetch ${url}: redirected to ${res.url}, and `); // the browser follows redirects itself: the final URL is checked
      }
    }
    return { ...res, statusText: res.statusText || '', httpVersion: '1.1', rawHeaders: rawHeaders(res.headers), hops: [] };
  }

  viaHelper(req, interrupt) {
    if (!this.helper) this.startHelper();
    if (!Atomics.load(this.helperStarted, 0)) Atomics.wait(this.helperStarted, 0, 0, 3000);
    if (!Atomics.load(this.helperStarted, 0)) {
      throw failed(req.url, `the fetch helper worker (${this.helperUrl}) did not start`);
    }
    const ctl = new Int32Array(new SharedArrayBuffer(16));
    const buf = new Uint8Array(new SharedArrayBuffer(CHUNK));
    const { timeoutMs, maxResponseBytes } = this.limits;
    this.helper.postMessage({ req: { ...req, timeoutMs, maxResponseBytes }, ctl, buf });
    const deadline = performance.now() + timeoutMs + 5000;
    let head = null;
    const parts = [];
    let size = 0;
    const giveUp = (err) => {
      Atomics.store(ctl, 2, 1);
      Atomics.notify(ctl, 0);
      return err;
    };
    for (;;) {
      Atomics.wait(ctl, 0, 0, 50);
      const state = Atomics.load(ctl, 0);
      if (state === 0) {
        if (interrupt && Atomics.load(interrupt, 0)) throw giveUp(failed(req.url, 'cancelled', 'cancelled'));
        if (performance.now() > deadline) throw giveUp(failed(req.url, `timed out after ${timeoutMs} ms`, 'timeout'));
        continue;
      }
      const n = Atomics.load(ctl, 1);
      if (state === 4) {
        const msg = dec.decode(buf.slice(0, n));
        Atomics.store(ctl, 0, 0);
        if (msg === 'WASMSH_TOO_LARGE') throw tooLarge(req.url, maxResponseBytes);
        throw failed(req.url, msg);
      }
      if (state === 1) head = JSON.parse(dec.decode(buf.slice(0, n)));
      if (state === 2) { parts.push(buf.slice(0, n)); size += n; }
      Atomics.store(ctl, 0, 0);
      Atomics.notify(ctl, 0);
      if (state === 1 && head.url && head.url !== req.url && !this.allowList.allows(head.url)) {
        giveUp(null);
        return { status: head.status, statusText: head.statusText, headers: head.headers, url: head.url, body: new Uint8Array(0) };
      }
      if (state === 3) break;
    }
    const body = new Uint8Array(size);
    let at = 0;
    for (const p of parts) { body.set(p, at); at += p.length; }
    return { status: head.status, statusText: head.statusText, headers: head.headers, url: head.url, body };
  }

  viaXhr({ url, method, headers, body }) {
    const { timeoutMs, maxResponseBytes } = this.limits;
    const xhr = new XMLHttpRequest();
    xhr.open(method, url, false);
    const binary = this.mode === 'sync-xhr';
    if (binary) {
      xhr.responseType = 'arraybuffer';
      xhr.timeout = timeoutMs;
    } else {
      xhr.overrideMimeType('text/plain; charset=x-user-defined');
    }
    for (const [k, v] of Object.entries(headers || {})) {
      try { xhr.setRequestHeader(k, v); } catch { /* a header browsers do not let pages set */ }
    }
    try {
      xhr.send(body || null);
    } catch (e) {
      let host = url;
      try { host = new URL(url).host; } catch { /* keep the URL */ }
      throw failed(url, `the request failed: ${host} is unreachable, or the browser blocked the request ` +
        `(CORS: the server must send Access-Control-Allow-Origin for this page's origin); the browser does not say which (${e && e.name ? e.name : e})`);
    }
    let data;
    if (binary) {
      data = new Uint8Array(xhr.response || new ArrayBuffer(0));
    } else {
      const t = xhr.responseText || '';
      data = new Uint8Array(t.length);
      for (let i = 0; i < t.length; i++) data[i] = t.charCodeAt(i) & 0xff;
    }
    if (data.length > maxResponseBytes) throw tooLarge(url, maxResponseBytes);
    const out = {};
    for (const line of (xhr.getAllResponseHeaders() || '').trim().split(/\r?\n/)) {
      const i = line.indexOf(':');
      if (i > 0) out[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    return { status: xhr.status, statusText: xhr.statusText, headers: out, url: xhr.responseURL || url, body: data };
  }

  close() {
    if (this.helper) this.helper.terminate();
    this.helper = null;
  }
}
