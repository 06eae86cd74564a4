"""net.py - Python's network paths through the session's fetch broker
(module _wasmsh_net; src/bridge/python.c embeds it next to driver.py).

Python in wasmsh has no network of its own: the JS side refuses every
Emscripten socket (js/python_net.mjs), so socket.create_connection() and
everything built on raw sockets fails with ENETUNREACH. What works goes
through _wasmsh.fetch, i.e. the same broker, allowlist and limits as curl:

  - http.client (and so urllib.request, xmlrpc.client, ...): the request
    http.client formats is sent through the broker when the response is
    asked for, and the reply is parsed by http.client's own HTTPResponse;
  - pyodide.http.pyfetch / open_url / pyxhr, pyodide-http (requests, via its
    _core.send) and urllib3's Emscripten backend (requests 2.32 on Pyodide);
  - fetch(url, options) here: what the JS membrane may offer as js.fetch.

Patching is for function, not for safety: code that undoes a patch finds a
socket layer that cannot connect. Patches of modules not imported yet are
applied when they are imported (a meta path hook).
"""

import base64
import errno
import io
import json
import sys

import _wasmsh

_context = [lambda: None]   # returns the running command's ctx, or None


class FetchError(ConnectionError):
    """A request the broker refused or could not make; .kind says which
    (denied, resolve, connect, timeout, too_large, redirects, ...)."""

    def __init__(self, kind, message, info=None):
        super().__init__(errno.ECONNREFUSED if kind == "connect" else errno.ENETUNREACH, message)
        self.kind = kind
        self.info = info or {}

    def __str__(self):
        return self.strerror


class HostNotAllowed(FetchError):
    pass


class FetchTimeout(FetchError, TimeoutError):
    pass


def _error(info):
    kind = info.get("error", "failed")
    cls = HostNotAllowed if kind == "denied" else FetchTimeout if kind == "timeout" else FetchError
    return cls(kind, info.get("message") or kind, info)


class Response:
    """One reply of the broker: status, reason, version, headers (a list of
    (name, value) as received), url (the last one), hops, body (bytes)."""

    def __init__(self, meta, body):
        self.status = int(meta.get("status", 0))
        self.reason = meta.get("statusText", "")
        self.version = meta.get("httpVersion", "1.1")
        self.headers = [tuple(h) for h in meta.get("headers", [])]
        self.url = meta.get("url", "")
        self.hops = meta.get("hops", [])
        self.body = body

    def header(self, name, default=None):
        name = name.lower()
        for k, v in self.headers:
            if k.lower() == name:
                return v
        return default

    def header_dict(self):
        out = {}
        for k, v in self.headers:
            k = k.lower()
            out[k] = out[k] + ", " + v if k in out else v
        return out


def _body_bytes(body):
    if body is None:
        return None
    if isinstance(body, str):
        return body.encode("utf-8")
    if hasattr(body, "read"):
        data = body.read()
        return data.encode("utf-8") if isinstance(data, str) else bytes(data)
    if isinstance(body, (bytes, bytearray, memoryview)):
        return bytes(body)
    return b"".join(bytes(c) for c in body)  # an iterable of chunks


def request(method, url, headers=None, body=None, timeout=None, follow=True, max_redirects=None,
            decompress=False, ctx=None):
    """One request through the broker; Response, or raises FetchError."""
    if ctx is None:
        ctx = _context[0]()
    if ctx is None:
        raise FetchError("denied", "cannot fetch %s: no network outside a wasmsh command" % url)
    req = {"url": str(url), "method": str(method or "GET").upper(), "follow": bool(follow),
           "decompress": bool(decompress)}
    hdrs = {}
    for k, v in (headers.items() if hasattr(headers, "items") else headers or []):
        hdrs[str(k)] = v.decode("latin-1") if isinstance(v, bytes) else str(v)
    req["headers"] = hdrs
    data = _body_bytes(body)
    if data is not None:
        req["body"] = base64.b64encode(data).decode("ascii")
    if timeout is not None and timeout > 0:
        req["timeoutMs"] = float(timeout) * 1000.0
    if max_redirects is not None:
        req["maxRedirects"] = int(max_redirects)
    reply = _wasmsh.fetch(ctx, json.dumps(req).encode("utf-8"))
    if isinstance(reply, int):
        raise FetchError("denied", "cannot fetch %s: this session has no network (no fetch broker)" % url)
    if reply.startswith(b"!"):
        try:
            info = json.loads(reply[1:])
        except ValueError:
            info = {"error": "failed", "message": reply[1:].decode("utf-8", "replace")}
        raise _error(info)
    head, _, data = reply.partition(b"\n")
    return Response(json.loads(head), data)


# ------------------------------------------------------------- http.client

def _split_request(raw):
    """The request http.client formatted: (method, target, headers, body)."""
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, target = lines[0].split(" ")[:2]
    headers = []
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers.append((k.strip(), v.strip()))
    if any(k.lower() == "transfer-encoding" and "chunked" in v.lower() for k, v in headers):
        out, rest = b"", body
        while rest:
            size_line, _, rest = rest.partition(b"\r\n")
            n = int(size_line.split(b";")[0], 16)
            if n == 0:
                break
            out, rest = out + rest[:n], rest[n + 2:]
        body = out
    return method, target, headers, body


class _ReplySocket:
    def __init__(self, data):
        self._data = data

    def makefile(self, mode="rb", *args, **kwargs):
        return io.BytesIO(self._data)

    def close(self):
        pass


def _raw_response(res, method):
    lines = ["HTTP/%s %d %s" % ("1.1" if res.version not in ("1.0", "1.1") else res.version,
                                res.status, res.reason)]
    for k, v in res.headers:
        keep_length = method == "HEAD" and k.lower() == "content-length"
        if keep_length or k.lower() not in ("transfer-encoding", "content-length", "connection"):
            lines.append("%s: %s" % (k, v))
    if method != "HEAD":
        lines.append("Content-Length: %d" % len(res.body))
    lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace") + (b"" if method == "HEAD" else res.body)


def _patch_http_client(mod):
    conn = mod.HTTPConnection
    if getattr(conn, "_wasmsh_net", False):
        return

    def connect(self):
        self.sock = _ReplySocket(b"")  # http.client only needs a truthy sock here

    def send(self, data):
        if self.sock is None and self.auto_open:
            self.connect()
        buf = self.__dict__.setdefault("_wasmsh_sent", bytearray())
        if hasattr(data, "read"):
            while True:
                chunk = data.read(self.blocksize)
                if not chunk:
                    break
                buf += chunk.encode("iso-8859-1") if isinstance(chunk, str) else chunk
        elif isinstance(data, (bytes, bytearray, memoryview)):
            buf += data
        else:
            for chunk in data:
                buf += chunk
        return None

    def exchange(self):
        """Sends what http.client formatted through the broker; keeps the reply."""
        raw = bytes(self.__dict__.pop("_wasmsh_sent", b""))
        method, target, headers, body = _split_request(raw)
        scheme = "https" if isinstance(self, mod.HTTPSConnection) else "http"
        default = 443 if scheme == "https" else 80
        host = self.host if ":" not in self.host else "[%s]" % self.host
        netloc = host if self.port == default else "%s:%d" % (host, self.port)
        absolute = target.startswith(("http://", "https://"))
        url = target if absolute else "%s://%s%s" % (scheme, netloc, target)
        sent = [(k, v) for k, v in headers if k.lower() not in ("host", "content-length", "connection")
                or (k.lower() == "host" and v != netloc)]
        timeout = self.timeout if isinstance(self.timeout, (int, float)) else None
        res = request(method, url, sent, body if body or method in ("POST", "PUT", "PATCH") else None,
                      timeout=timeout, follow=False)
        self._wasmsh_reply = (_raw_response(res, method), method)

    def body_complete(self):
        raw = bytes(self.__dict__.get("_wasmsh_sent", b""))
        head, _, body = raw.partition(b"\r\n\r\n")
        for line in head.split(b"\r\n")[1:]:
            k, _, v = line.partition(b":")
            if k.strip().lower() == b"content-length":
                return len(body) >= int(v.strip() or 0)
        return True

    orig_endheaders = conn.endheaders

    def endheaders(self, message_body=None, *, encode_chunked=False):
        orig_endheaders(self, message_body, encode_chunked=encode_chunked)
        if body_complete(self):
            exchange(self)  # here, like a real connect: urllib turns errors into URLError

    def getresponse(self):
        if "_wasmsh_sent" in self.__dict__:
            exchange(self)
        reply = self.__dict__.pop("_wasmsh_reply", None)
        if reply is None:
            raise mod.ResponseNotReady(self._HTTPConnection__state)
        self._HTTPConnection__state = mod._CS_IDLE
        response = self.response_class(_ReplySocket(reply[0]), method=reply[1])
        response.begin()
        return response

    conn.connect = connect
    conn.send = send
    conn.endheaders = endheaders
    conn.getresponse = getresponse
    conn._wasmsh_net = True
    if not hasattr(mod, "HTTPSConnection"):  # no ssl module: the broker does TLS anyway
        class HTTPSConnection(conn):
            default_port = mod.HTTPS_PORT

            def __init__(self, host, port=None, *, timeout=None, source_address=None, context=None,
                         blocksize=8192, **kwargs):
                super().__init__(host, port, source_address=source_address, blocksize=blocksize,
                                 **({"timeout": timeout} if timeout is not None else {}))
        mod.HTTPSConnection = HTTPSConnection
        mod.__all__.append("HTTPSConnection")
        mod._create_https_context = lambda http_version: None
    mod.HTTPSConnection.connect = connect


# --------------------------------------------------------------- pyodide.http

class FetchResponse:
    """pyodide.http.FetchResponse over a broker reply."""

    def __init__(self, res, redirected):
        self._res = res
        self._redirected = redirected
        self.body_used = False

    headers = property(lambda self: self._res.header_dict())
    ok = property(lambda self: 200 <= self._res.status < 300)
    redirected = property(lambda self: self._redirected)
    status = property(lambda self: self._res.status)
    status_text = property(lambda self: self._res.reason)
    type = property(lambda self: "basic")
    url = property(lambda self: self._res.url)

    def raise_for_status(self):
        if self._res.status >= 400:
            from pyodide.http import HttpStatusError
            raise HttpStatusError(self._res.status, self._res.reason, self._res.url)

    def clone(self):
        if self.body_used:
            from pyodide.http import BodyUsedError
            raise BodyUsedError()
        return FetchResponse(self._res, self._redirected)

    def _take(self):
        if self.body_used:
            from pyodide.http import BodyUsedError
            raise BodyUsedError()
        self.body_used = True
        return self._res.body

    async def bytes(self):
        return self._take()

    async def memoryview(self):
        return memoryview(self._take())

    async def buffer(self):
        return memoryview(self._take())

    async def text(self):
        return self._take().decode("utf-8", "replace")

    string = text

    async def json(self, **kwargs):
        return json.loads(self._take(), **kwargs)

    async def _into_file(self, f):
        data = self._take()
        f.write(data if "b" in getattr(f, "mode", "b") else data.decode("utf-8", "replace"))

    async def _create_file(self, path):
        with open(path, "wb") as f:
            f.write(self._take())

    async def unpack_archive(self, *, extract_dir=None, format=None):
        import shutil
        import tempfile
        data = self._take()
        with tempfile.NamedTemporaryFile(suffix="." + (format or "zip")) as f:
            f.write(data)
            f.flush()
            shutil.unpack_archive(f.name, extract_dir, format)

    def abort(self, reason=None):
        pass


def _fetch_args(resource, kwargs):
    headers = kwargs.get("headers") or {}
    if hasattr(headers, "to_py"):
        headers = headers.to_py()
    follow = kwargs.get("redirect", "follow") != "manual"
    return (str(resource), kwargs.get("method", "GET"), headers, kwargs.get("body"), follow)


async def pyfetch(request_, /, *, signal=None, fetcher=None, **kwargs):
    url, method, headers, body, follow = _fetch_args(request_, kwargs)
    res = request(method, url, headers, body, follow=follow, decompress=True)
    if kwargs.get("redirect") == "error" and res.hops:
        raise FetchError("redirects", "fetch %s: redirected, and redirect is 'error'" % url)
    return FetchResponse(res, bool(res.hops))


def open_url(url):
    res = request("GET", url, decompress=True)
    return io.StringIO(res.body.decode("utf-8", "replace"))


class JsLikeResponse:
    """What fetch() below resolves to: the JS Response API, from Python."""

    def __init__(self, res):
        self._res = res
        self.status = res.status
        self.statusText = res.reason
        self.ok = 200 <= res.status < 300
        self.url = res.url
        self.redirected = bool(res.hops)
        self.headers = res.header_dict()

    async def text(self):
        return self._res.body.decode("utf-8", "replace")

    async def json(self):
        return json.loads(self._res.body)

    async def arrayBuffer(self):
        return memoryview(self._res.body)

    async def bytes(self):
        return self._res.body


async def fetch(resource, options=None):
    """fetch(url, {method, headers, body, redirect}) through the broker."""
    opts = options.to_py() if hasattr(options, "to_py") else dict(options or {})
    url, method, headers, body, follow = _fetch_args(resource, opts)
    return JsLikeResponse(request(method, url, headers, body, follow=follow, decompress=True))


class XHRResponse:
    def __init__(self, res):
        self._res = res
        self.status_code = res.status
        self.content = res.body
        self.url = res.url
        self.headers = res.header_dict()
        self.ok = 200 <= res.status < 400
        self.text = res.body.decode("utf-8", "replace")

    def json(self, **kwargs):
        return json.loads(self.content, **kwargs)

    def raise_for_status(self):
        if self.status_code >= 400:
            from pyodide.http import HttpStatusError
            raise HttpStatusError(self.status_code, self._res.reason, self.url)


def _xhr_request(method, url, **kwargs):
    import urllib.parse
    headers = dict(kwargs.get("headers") or {})
    params = kwargs.get("params")
    if params:
        url += ("&" if "?" in url else "?") + urllib.parse.urlencode(params)
    body = kwargs.get("data")
    if kwargs.get("json") is not None:
        body = json.dumps(kwargs["json"])
        headers.setdefault("Content-Type", "application/json")
    auth = kwargs.get("auth")
    if auth:
        token = base64.b64encode(("%s:%s" % tuple(auth)).encode()).decode()
        headers["Authorization"] = "Basic " + token
    return XHRResponse(request(method, url, headers, body, timeout=kwargs.get("timeout"), decompress=True))


def _patch_pyodide_http_module(mod):
    mod.pyfetch = pyfetch
    mod.open_url = open_url


def _patch_pyxhr(mod):
    mod._xhr_request = _xhr_request


# ------------------------------------------------------ requests' backends
#
# Both import JavaScript (js, pyodide.ffi) at module level, which the sandbox
# does not offer: their modules are replaced, not patched (REPLACE below),
# so that they import and work the same with or without the membrane.

def _fill_pyodide_http_core(m):
    """pyodide_http._core (requests and urllib over XMLHttpRequest): send()."""
    import dataclasses
    from typing import Dict, Optional

    class _RequestError(Exception):
        def __init__(self, message=None, *, request=None, response=None):
            self.request, self.response, self.message = request, response, message
            super().__init__(message)

    class _StreamingError(_RequestError):
        pass

    class _StreamingTimeout(_StreamingError):
        pass

    @dataclasses.dataclass
    class Request:
        method: str
        url: str
        params: Optional[Dict[str, str]] = None
        body: Optional[bytes] = None
        headers: Dict[str, str] = dataclasses.field(default_factory=dict)
        timeout: int = 0

        def set_header(self, name, value):
            self.headers[name] = value

        def set_body(self, body):
            self.body = body

        def set_json(self, body):
            self.set_header("Content-Type", "application/json; charset=utf-8")
            self.set_body(json.dumps(body).encode("utf-8"))

    @dataclasses.dataclass
    class Response:
        status_code: int
        headers: Dict[str, str]
        body: bytes

    def send(req, stream=False):
        import urllib.parse
        url = req.url
        if req.params:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(req.params)
        try:
            res = request(req.method, url, dict(req.headers or {}), req.body, timeout=req.timeout or None,
                          decompress=True)
        except FetchTimeout as e:
            raise _StreamingTimeout(str(e), request=req) from None
        except FetchError as e:
            raise _StreamingError(str(e), request=req) from None
        return Response(status_code=res.status, headers=res.header_dict(), body=res.body)

    for name, value in list(locals().items()):
        if name != "m":
            setattr(m, name, value)
    m.send_streaming_request = lambda req: None
    m.show_streaming_warning = lambda: None


def _patch_pyodide_http(mod):
    mod._SHOULD_PATCH = True  # it looked for XMLHttpRequest; its _core is the broker now


def _fill_urllib3_fetch(m):
    """urllib3 2.x on Emscripten (what requests uses on Pyodide): send_request."""
    from urllib3.contrib.emscripten.response import EmscriptenResponse

    class _RequestError(Exception):
        def __init__(self, message=None, *, request=None, response=None):
            self.request, self.response, self.message = request, response, message
            super().__init__(message)

    class _StreamingError(_RequestError):
        pass

    class _TimeoutError(_RequestError):
        pass

    def send_request(req):
        try:
            res = request(req.method, req.url, dict(req.headers), req.body, timeout=req.timeout or None,
                          follow=False, decompress=getattr(req, "decode_content", True))
        except FetchTimeout as e:
            raise _TimeoutError(str(e), request=req) from None
        except FetchError as e:
            raise _RequestError(str(e), request=req) from None
        return EmscriptenResponse(status_code=res.status, headers=res.header_dict(), body=res.body, request=req)

    def send_streaming_request(req):
        return None  # urllib3 then calls send_request

    for name, value in list(locals().items()):
        if name != "m":
            setattr(m, name, value)
    m.streaming_ready = lambda: False
    m.has_jspi = lambda: False
    m.is_in_node = lambda: False
    m.is_worker_available = lambda: False
    m.is_in_browser_main_thread = lambda: False
    m.is_cross_origin_isolated = lambda: False


# ------------------------------------------------------------ pyodide.http

def _pyodide_http_standin():
    """pyodide.http for a sandbox where the pyodide package is not importable
    (the membrane): the same functions, over the broker, nothing else."""
    import types

    class HttpStatusError(OSError):
        def __init__(self, status, status_text, url):
            self.status, self.status_text, self.url = status, status_text, url
            kind = "Client" if 400 <= status < 500 else "Server"
            super().__init__("%d %s Error: %s for url: %s" % (status, kind, status_text, url))

    class BodyUsedError(OSError):
        def __init__(self, *args):
            super().__init__("Response body is already used")

    class AbortError(OSError):
        pass

    pkg = types.ModuleType("pyodide", "wasmsh: only pyodide.http is available in the sandbox")
    pkg.__path__ = []
    http = types.ModuleType("pyodide.http", "pyodide.http over the session's fetch broker")
    pyxhr = types.ModuleType("pyodide.http.pyxhr")
    for name, value in [("pyfetch", pyfetch), ("open_url", open_url), ("FetchResponse", FetchResponse),
                        ("HttpStatusError", HttpStatusError), ("BodyUsedError", BodyUsedError),
                        ("AbortError", AbortError), ("pyxhr", pyxhr)]:
        setattr(http, name, value)
    pyxhr._xhr_request = _xhr_request
    pyxhr.XHRResponse = XHRResponse
    for verb in ("get", "post", "put", "delete", "head", "patch", "options"):
        setattr(pyxhr, verb, (lambda v: lambda url, **kw: _xhr_request(v.upper(), url, **kw))(verb))
    pkg.http = http
    http.__all__ = ["open_url", "pyfetch", "FetchResponse", "HttpStatusError", "BodyUsedError", "AbortError"]
    sys.modules.setdefault("pyodide", pkg)
    sys.modules["pyodide.http"] = http
    sys.modules["pyodide.http.pyxhr"] = pyxhr


PATCHES = {
    "http.client": _patch_http_client,
    "pyodide.http": _patch_pyodide_http_module,
    "pyodide.http.pyxhr": _patch_pyxhr,
    "pyodide_http": _patch_pyodide_http,
}

REPLACE = {
    "pyodide_http._core": _fill_pyodide_http_core,
    "urllib3.contrib.emscripten.fetch": _fill_urllib3_fetch,
}


class _PatchingLoader:
    """Runs a module as its own loader would, then patches it; or, for the
    modules in REPLACE, fills it with our own code instead."""

    def __init__(self, loader, patch, replace):
        self._loader = loader
        self._patch = patch
        self._replace = replace

    def create_module(self, spec):
        return None if self._replace else self._loader.create_module(spec)

    def exec_module(self, module):
        if self._replace:
            self._replace(module)
        else:
            self._loader.exec_module(module)
            self._patch(module)

    def __getattr__(self, name):
        return getattr(self._loader, name)


_finding = set()  # names _PatchFinder is resolving now


class _PatchFinder:
    # a marker, not isinstance: this module may be loaded again (a fresh class),
    # and two finders asking each other would recurse without end
    _wasmsh_patch_finder = True
    """Applies PATCHES and REPLACE when their modules are imported."""

    def find_spec(self, name, path=None, target=None):
        patch, replace = PATCHES.get(name), REPLACE.get(name)
        if patch is None and replace is None:
            return None
        busy = _finding  # a finder that asks the others in turn may ask us again
        if name in busy:
            return None
        busy.add(name)
        try:
            for finder in sys.meta_path:
                if finder is self or getattr(finder, "_wasmsh_patch_finder", False) or not hasattr(finder, "find_spec"):
                    continue
                spec = finder.find_spec(name, path, target)
                if spec is not None and spec.loader is not None:
                    spec.loader = _PatchingLoader(spec.loader, patch, replace)
                    return spec
        finally:
            busy.discard(name)
        return None


def install(context_getter):
    """Routes Python's network paths through the broker; `context_getter()`
    returns the running command's ctx (or None)."""
    _context[0] = context_getter
    # session.reset() runs this file again in the same interpreter: the finder
    # of the earlier run (another class, with the earlier run's context) goes
    sys.meta_path[:] = [f for f in sys.meta_path if not getattr(f, "_wasmsh_patch_finder", False)]
    sys.meta_path.insert(0, _PatchFinder())
    for name, patch in PATCHES.items():
        if name in sys.modules:
            patch(sys.modules[name])
    try:
        import pyodide.http  # noqa: F401  (patched by the finder)
    except ImportError:
        _pyodide_http_standin()
