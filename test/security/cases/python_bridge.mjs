// Python trying to reach the host through Pyodide's JavaScript bridge (js,
// pyodide_js, pyodide.ffi, _pyodide_core, JsProxy objects found by walking the
// interpreter), ctypes and the import system's back doors.
import { PyEvaluator } from '../../../js/host/py_eval.mjs';

export const options = {};

const py = (code) => `python3 - <<'PYEOF'\n${code}\nPYEOF`;
const noModule = { exit: 1, stderr: /ModuleNotFoundError: No module named .*wasmsh: the sandbox has no JavaScript bridge/ };
const C = 'escape-python';

// Walks what Python can reach (classes, their functions' globals and
// closures, modules, frames) for JavaScript objects, and tries each.
const HUNT = `
import sys, types
seen, found = set(), []
def consider(v, where):
    t = type(v)
    if t.__module__ in ('pyodide.ffi', '_pyodide_core') and t.__name__.startswith('Js') and not isinstance(v, type):
        if all(v is not w for _, w in found):
            found.append((where, v))
def scan_dict(d, where):
    for k, v in list(d.items()):
        consider(v, where + '.' + str(k))
def walk(c):
    for s in type.__subclasses__(c):
        if s in seen: continue
        seen.add(s); walk(s)
walk(object)
for c in list(seen):
    for k, v in list(vars(c).items()):
        consider(v, c.__name__ + '.' + k)
        f = getattr(v, '__func__', v)
        g = getattr(f, '__globals__', None)
        if isinstance(g, dict): scan_dict(g, 'globals of ' + c.__name__)
        for cell in (getattr(f, '__closure__', None) or ()):
            try: consider(cell.cell_contents, 'closure of ' + c.__name__)
            except ValueError: pass
for name, m in list(sys.modules.items()):
    if isinstance(m, types.ModuleType): scan_dict(vars(m), name)
    else: consider(m, name)
f = sys._getframe()
while f:
    scan_dict(f.f_globals, 'frame'); scan_dict(f.f_locals, 'frame'); f = f.f_back
# json.encoder keeps Pyodide's JsNull (JavaScript's null itself: nothing to reach through it)
print('found', sorted({type(v).__name__ for _, v in found}))
for where, v in found:
    for attempt in ('process', 'constructor', 'fetch', 'globalThis', '_module'):
        try:
            getattr(v, attempt)
            print('ESCAPED through', where, attempt)
        except BaseException as e:
            pass
`;

export const cases = [
  { id: 'py/import-js', class: C, script: "python3 -c 'import js; print(js.process.env, \"ESCAPED\")'", expect: noModule },
  { id: 'py/import-pyodide_js', class: C, script: "python3 -c 'import pyodide_js; print(pyodide_js._module, \"ESCAPED\")'", expect: noModule },
  { id: 'py/pyodide.ffi', class: C, script: "python3 -c 'from pyodide.ffi import to_js; print(to_js({}).constructor, \"ESCAPED\")'", expect: noModule },
  { id: 'py/pyodide.code.run_js', class: C, script: "python3 -c 'from pyodide.code import run_js; run_js(\"process.exit(3)\")'", expect: noModule },
  { id: 'py/_pyodide_core', class: C, script: "python3 -c 'import _pyodide_core'", expect: noModule },
  { id: 'py/__import__', class: C, script: "python3 -c '__import__(\"js\")'", expect: noModule },
  // importlib's own path skips the audit event; the JS finder is gone and
  // _imp.create_builtin refuses the built-in ones
  { id: 'py/importlib', class: C, script: "python3 -c 'import importlib; importlib.import_module(\"pyodide_js\")'",
    expect: { exit: 1, stderr: /ModuleNotFoundError: No module named 'pyodide_js'/ } },
  { id: 'py/importlib-builtin', class: C, script: "python3 -c 'import importlib; importlib.import_module(\"_pyodide_core\")'",
    expect: noModule },
  { id: 'py/importlib-ctypes', class: C, script: "python3 -c 'import importlib; importlib.import_module(\"ctypes\")'",
    expect: noModule },
  { id: 'py/importlib-reload-after-del', class: C,
    script: py("import sys, importlib\nsys.modules.pop('js', None)\ntry:\n    import js\nexcept ImportError as e:\n    print('refused', type(e).__name__)\nm = sys.modules.get('pyodide_js'); print(m)"),
    expect: { exit: 0, stdout: /refused ModuleNotFoundError\nNone/ } },
  { id: 'py/bootstrap-builtin', class: C,
    script: "python3 -c 'import importlib._bootstrap as b; b._builtin_from_name(\"_pyodide_core\")'",
    expect: { exit: 1, stderr: /ModuleNotFoundError/ } },
  { id: 'py/_imp.create_builtin', class: C,
    script: py("import _imp, importlib.machinery as m\nspec = m.ModuleSpec('_pyodide_core', m.BuiltinImporter)\n_imp.create_builtin(spec)"),
    expect: { exit: 1, stderr: /ModuleNotFoundError/ } },
  { id: 'py/find_and_load-direct', class: C,
    script: py("import importlib._bootstrap as b\nb._find_and_load('js', __import__)"),
    expect: { exit: 1, stderr: /ModuleNotFoundError|ImportError/ } },
  { id: 'py/sys.modules', class: C,
    script: "python3 -c 'import sys; print(sorted(m for m in sys.modules if \"pyodide\" in m and m != \"pyodide\" and m != \"pyodide.http\" and not m.startswith(\"pyodide.http.\") or m in (\"js\", \"pyodide_js\", \"_pyodide_core\")))'",
    expect: { exit: 0, stdout: /^\[\]\n$/ } },
  { id: 'py/hunt-jsproxies', class: C, script: py(HUNT), expect: { exit: 0, stdout: /^found (\[\]|\['JsNull'\])\n$/ } },
  { id: 'py/JsException-from-subclasses', class: C,
    // layer 1 leaves the C types reachable; layer 2 refuses to make the JS Error
    script: py("seen = set()\ndef walk(c):\n    for s in type.__subclasses__(c):\n        if s not in seen: seen.add(s); walk(s)\nwalk(BaseException)\nfor c in [c for c in seen if c.__name__ == 'JsException']:\n    try:\n        e = c('Error', 'x')\n        e.constructor\n        print('ESCAPED')\n    except BaseException as x:\n        print(type(x).__name__, str(x)[:90])"),
    expect: { exit: 0, stdout: /PermissionError wasmsh: the JavaScript bridge is closed to code in the sandbox \(JsException_new_helper\)/ } },
  { id: 'py/jsfinder-table', class: C,
    script: py("seen = set()\ndef walk(c):\n    for s in type.__subclasses__(c):\n        if s not in seen: seen.add(s); walk(s)\nwalk(object)\nF = [c for c in seen if c.__name__ == 'JsFinder']\nprint(len(F))\nfor f in F:\n    for fn in vars(f).values():\n        g = getattr(fn, '__globals__', {})\n        jf = g.get('jsfinder')\n        if jf is not None: print(dict(jf.jsproxies))"),
    expect: { exit: 0, stdout: /^1\n(\{\}\n)+$/ } },
  { id: 'py/gc.get_objects', class: C, script: "python3 -c 'import gc; gc.get_objects()'",
    expect: { exit: 1, stderr: /PermissionError: wasmsh: gc.get_objects/ } },
  { id: 'py/gc.get_referrers', class: C, script: "python3 -c 'import gc, sys; gc.get_referrers(sys)'",
    expect: { exit: 1, stderr: /PermissionError: wasmsh: gc.get_referrers/ } },
  { id: 'py/gc.get_referents', class: C, script: "python3 -c 'import gc, sys; gc.get_referents(sys.modules)'",
    expect: { exit: 1, stderr: /PermissionError: wasmsh: gc.get_referents/ } },
  { id: 'py/traceback-frames', class: C,
    script: py("import sys\ntry:\n    1/0\nexcept ZeroDivisionError as e:\n    f = e.__traceback__.tb_frame\n    n = 0\n    while f:\n        for v in list(f.f_globals.values()) + list(f.f_locals.values()):\n            if type(v).__module__ in ('pyodide.ffi', '_pyodide_core'): print('ESCAPED', v)\n        f = f.f_back; n += 1\n    print('frames', n)"),
    expect: { exit: 0, stdout: /^frames \d+\n$/ } },
  { id: 'py/ctypes', class: C, script: "python3 -c 'import ctypes; ctypes.CDLL(None).system(b\"id\")'", expect: noModule },
  { id: 'py/_ctypes', class: C, script: "python3 -c 'import _ctypes'", expect: noModule },
  { id: 'py/ctypes-from-source', class: C,
    script: py("import importlib.util\nspec = importlib.util.spec_from_file_location('ctypes', '/lib/python313.zip/ctypes/__init__.py')\nprint(spec)"),
    expect: { exit: 0, not: /ESCAPED/ } },
  { id: 'py/extension-module', class: C,
    script: py("open('evil.so', 'wb').write(b'\\0asm\\1\\0\\0\\0')\nimport importlib.machinery as m, importlib.util as u\nloader = m.ExtensionFileLoader('evil', 'evil.so')\nspec = u.spec_from_loader('evil', loader)\nu.module_from_spec(spec)"),
    expect: { exit: 1, stderr: /C extension modules cannot be loaded/ } },
  { id: 'py/subinterpreter', class: C, script: "python3 -c 'import _interpreters'", expect: noModule },
  { id: 'py/subinterpreter-old', class: C, script: "python3 -c 'import _xxsubinterpreters'", expect: noModule },
  { id: 'py/testcapi', class: C, script: "python3 -c 'import _testcapi'", expect: noModule },
  // CPython drops a refused hook silently (the refusal is an Exception)
  { id: 'py/audit-hook', class: C,
    script: "python3 -c 'import sys; sys.addaudithook(lambda *a: print(\"HOOK\", a[0]) or 1/0); import json, base64; print(\"after\")'",
    expect: { exit: 0, stdout: /^after\n$/ } },
  { id: 'py/forged-context-write', class: C,
    script: "python3 -c 'import _wasmsh; print(_wasmsh.write(123456, 1, b\"x\"), _wasmsh.read(99999, 0, 10), _wasmsh.environ(4), _wasmsh.should_stop(7))'",
    expect: { exit: 0, stdout: /^\d+ \d+ \[\] 0\n$/ } },
  { id: 'py/forged-context-fetch', class: C,
    script: "python3 -c 'import _wasmsh; print(_wasmsh.fetch(424242, b\"{}\"))'", expect: { exit: 0, not: /ESCAPED/ } },
  { id: 'py/driver-active-forged', class: C,
    script: "python3 -c 'import sys; d = sys.modules[\"_wasmsh_driver\"]; d.ACTIVE[0] = 31337; print(\"still\")'",
    expect: { exit: 0, stdout: /still/ } },
  // bytecode that reads and writes outside its frame: at worst it corrupts its own
  // instance's memory; layer 2 is outside it, and a trap moves the session to a fresh runtime
  { id: 'py/crafted-bytecode', class: C,
    script: py("import types\ndef f():\n    x = 1\n    return x\nc = f.__code__\nbad = bytes([0x97, 0, 0x55, 0xff, 0x53, 0, 0x55, 0xfe, 0x53, 0]) * 50\ntry:\n    g = types.FunctionType(c.replace(co_code=bad[:len(c.co_code)] if len(bad) >= len(c.co_code) else bad), {})\n    print(repr(g())[:40])\nexcept BaseException as e:\n    print('refused', type(e).__name__)"),
    expect: { not: /ESCAPED/ } },
  { id: 'py/mknod-device', class: C,
    // (Pyodide has no os.mknod; the shell's mknod/mkfifo are what there is)
    script: py("import os, stat\nfor dev in ((1, 3), (5, 0), (4, 0), (136, 0)):\n    p = '/tmp/d%d_%d' % dev\n    try:\n        getattr(os, 'mknod')(p, stat.S_IFCHR | 0o666, os.makedev(*dev))\n        with open(p, 'wb') as f: f.write(b'x')\n    except (OSError, AttributeError) as e:\n        pass\nprint('done')"),
    expect: { exit: 0, stdout: /^done\n$/ } },
  { id: 'py/asyncio-runs-without-js', class: C,
    script: py("import asyncio\nasync def main():\n    await asyncio.sleep(0.01)\n    return 'done'\nprint(asyncio.run(main()))\nloop = asyncio.new_event_loop()\nprint(type(loop).__name__)"),
    expect: { exit: 0, stdout: /^done\nSyncLoop\n$/ } },
  { id: 'py/webloop-call-later', class: C,
    script: py("import asyncio\nloop = asyncio.new_event_loop()\nloop.call_later(0.01, print, 'ran')\nloop.run_until_complete(asyncio.sleep(0.05))"),
    expect: { exit: 0, stdout: /^ran\n$/ } },
  // py_eval (the Python API's REPL, js/host/py_eval.mjs) is untrusted code too: its steps are
  // python3 commands, contained from the first one on (before any python3 of the shell)
  { id: 'py/py-eval-contained', class: C, js: async ({ newSession }) => {
    const s = await newSession();
    try {
      const ev = new PyEvaluator(s);
      const tries = {
        system: "import os\nos.system('echo ESCAPED > /tmp/host-escaped')",
        js: 'import js\njs.process',
        pyodide_js: 'import pyodide_js',
        ffi: 'from pyodide.ffi import create_proxy',
        code: 'import pyodide.code',
        ctypes: 'import ctypes',
        subprocess: "import subprocess\nsubprocess.run(['true'])",
      };
      for (const [what, code] of Object.entries(tries)) {
        // eslint-disable-next-line no-await-in-loop
        const r = await ev.evaluate({ code }, () => {});
        if (r.status !== 'error' || /ESCAPED/.test(r.output)) throw new Error(`py_eval ${what}: ${JSON.stringify(r)}`);
      }
      const r = await ev.evaluate({ code: 'while True:\n    try:\n        pass\n    except BaseException:\n        pass', timeoutMs: 300 }, () => {});
      if (r.status !== 'timeout') throw new Error(`a py_eval ignoring its deadline: ${JSON.stringify(r)}`);
      const ok = await ev.evaluate({ code: '6 * 7' }, () => {});
      if (ok.value !== '42') throw new Error(`py_eval after the attacks: ${JSON.stringify(ok)}`);
    } finally {
      s.close();
    }
  } },
];
