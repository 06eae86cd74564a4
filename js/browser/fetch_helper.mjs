// fetch_helper.mjs - the helper worker of the browser fetch broker
// (fetch_sync.mjs). The session worker is blocked inside a synchronous wasm
// call while the shell waits for a response, so this worker does the fetch and
// hands the response over through shared memory, in chunks:
//
//   ctl[0]  state: 0 empty, 1 header, 2 body chunk, 3 end, 4 error (the helper
//           writes a state and waits for 0; the session worker reads and sets 0)
//   ctl[1]  bytes in `buf` for this state
//   ctl[2]  1 when the session worker gave up (cancel, timeout, redirect refused)
//
// The header is JSON {status, headers, url, redirected}; the error a message.
const enc = new TextEncoder();

function put(ctl, buf, state, bytes) {
  for (;;) {
    if (Atomics.load(ctl, 2)) return false;
    const cur = Atomics.load(ctl, 0);
    if (cur === 0) break;
    Atomics.wait(ctl, 0, cur, 50);
  }
  buf.set(bytes);
  Atomics.store(ctl, 1, bytes.length);
  Atomics.store(ctl, 0, state);
  Atomics.notify(ctl, 0);
  return true;
}

// The browser does not say why a fetch failed. A no-cors probe tells a
// server that answered (so: CORS refused the response) from one that did not.
async function explain(url, err) {
  const host = (() => { try { return new URL(url).host; } catch { return url; } })();
  try {
    await fetch(url, { mode: 'no-cors', credentials: 'omit', cache: 'no-store' });
    return `blocked by CORS: ${host} answered, but does not allow this page's origin ` +
      `(${self.location.origin}) to read the response (the server must send Access-Control-Allow-Origin)`;
  } catch {
    return `the request failed: ${host} is unreachable, or the browser blocked the request ` +
      `(CORS, or the page's Cross-Origin-Embedder-Policy); the browser does not say which (${err && err.message ? err.message : err})`;
  }
}

async function handle({ req, ctl, buf }) {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), req.timeoutMs);
  try {
    let res;
    try {
      res = await fetch(req.url, {
        method: req.method, headers: req.headers, body: req.body, redirect: 'follow',
        credentials: 'omit', mode: 'cors', cache: 'no-store', signal: ctrl.signal,
      });
    } catch (e) {
      const msg = ctrl.signal.aborted ? `timed out after ${req.timeoutMs} ms` : await explain(req.url, e);
      put(ctl, buf, 4, enc.encode(msg));
      return;
    }
    const headers = {};
    res.headers.forEach((v, k) => { headers[k] = v; });
    const head = { status: res.status, statusText: res.statusText, headers, url: res.url || req.url, redirected: res.redirected };
    if (!put(ctl, buf, 1, enc.encode(JSON.stringify(head)))) { ctrl.abort(); return; }
    let size = 0;
    if (res.body) {
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.length;
        if (size > req.maxResponseBytes) {
          ctrl.abort();
          put(ctl, buf, 4, enc.encode(`WASMSH_TOO_LARGE`));
          return;
        }
        for (let at = 0; at < value.length; at += buf.length) {
          if (!put(ctl, buf, 2, value.subarray(at, at + buf.length))) { ctrl.abort(); return; }
        }
      }
    }
    put(ctl, buf, 3, new Uint8Array(0));
  } catch (e) {
    put(ctl, buf, 4, enc.encode(ctrl.signal.aborted ? `timed out after ${req.timeoutMs} ms` : String(e && e.message ? e.message : e)));
  } finally {
    clearTimeout(timer);
  }
}

self.onmessage = (ev) => {
  if (ev.data.started) {
    Atomics.store(ev.data.started, 0, 1);
    Atomics.notify(ev.data.started, 0);
    return;
  }
  handle(ev.data);
};
