/* contain.c - see contain.h and docs/security.md (layer 1).
 *
 * The audit hook is C (PySys_AddAuditHook): Python code cannot remove it,
 * it holds for every interpreter of the runtime (sub-interpreters too), and
 * it costs a few string comparisons per audited event. It refuses:
 *   - loading the JavaScript bridge's modules (js, pyodide_js, pyodide,
 *     _pyodide*, _pyodide_core), ctypes, sub-interpreters, CPython's test
 *     modules ("import" events, raised whenever a module is not yet in
 *     sys.modules: membrane.py takes the loaded ones out);
 *   - host processes (os.system, exec*, spawn*, fork, subprocess.Popen);
 *   - gc's object-graph walkers (get_objects, get_referrers, get_referents),
 *     the easiest way to find any object at all;
 *   - every ctypes operation;
 *   - new audit hooks (they would outlive the program that adds them).
 * The hook keeps no state (userData is NULL): Bridges come and go (reset),
 * the hook stays for the life of the interpreter. */
#include "contain.h"

#include "membrane_py.h" /* generated: static const char membrane_py_source[] */
#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Data symbols of the main module (GOT.mem imports). */
extern PyObject *PyExc_PermissionError;
extern PyObject *PyExc_ModuleNotFoundError;

/* The few CPython functions only containment needs (pyapi.h has the rest). */
typedef int (*AuditHookFn)(const char *event, PyObject *args, void *user_data);
int PySys_AddAuditHook(AuditHookFn hook, void *user_data);
PyObject *PyTuple_GetItem(PyObject *t, Py_ssize_t i);
const char *PyUnicode_AsUTF8(PyObject *o);
void PyErr_SetString(PyObject *type, const char *message);
PyObject *PyErr_Format(PyObject *type, const char *format, ...);
PyObject *PyDict_GetItemString(PyObject *d, const char *key);
PyObject *PyDict_New(void);
PyModuleDef *PyModule_GetDef(PyObject *module);
PyObject *PyBool_FromLong(long v);
int PyObject_SetAttrString(PyObject *o, const char *name, PyObject *v);
PyObject *PyErr_GetRaisedException(void);
int PyObject_IsTrue(PyObject *o);
void PyErr_SetRaisedException(PyObject *exc);

/* Milliseconds a python3 command may keep running after its stop was first
 * seen (time to unwind through its handlers and finally blocks) before every
 * line of Python raises KeyboardInterrupt. */
enum { HARD_STOP_GRACE_MS = 100, CONTAIN_METHODS = 1 };

struct Contain {
    Bridge *bridge;
    PyModuleDef def; /* _wasmsh_contain: Python keeps a pointer to it */
    PyMethodDef methods[CONTAIN_METHODS + 1];
    PyObject *stop_fn;    /* membrane: makes every line raise */
    PyObject *release_fn; /* membrane: lifts it */
    PyObject *trust_fn;   /* membrane: marks the driver's code as trusted */
    PyObject *kept;       /* membrane: what it took out of Python's reach, kept alive */
    PyObject *after_fn;   /* membrane: puts the interpreter back after a command; False: damaged */
    int damaged;          /* the interpreter's shared state cannot be trusted any more */
    uint64_t stop_seen_ms; /* 0: no stop seen in this command */
    bool hard_stop;
};

/* ---------------------------------------------------------------- audit hook */

/* Top-level module names (membrane.py's BLOCKED_TOPLEVEL, kept in step). */
static const char *const blocked_modules[] = {
    "js", "pyodide_js", "pyodide", "_pyodide", "_pyodide_core", "ctypes", "_ctypes",
    "_posixsubprocess", "_testcapi", "_testinternalcapi", "_testbuffer", "_testmultiphase",
    "_testsinglephase", "_testimportmultiple", "_testexternalinspection", "_xxsubinterpreters",
    "_xxinterpchannels", "_interpreters", "_interpchannels", "_interpqueues", "_xxtestfuzz",
};

static const struct {
    const char *event;
    const char *why;
} refused_events[] = {
    {"os.system", "there are no host processes in the sandbox (run commands from the shell)"},
    {"os.exec", "there are no host processes in the sandbox"},
    {"os.posix_spawn", "there are no host processes in the sandbox"},
    {"os.spawn", "there are no host processes in the sandbox"},
    {"os.fork", "there are no host processes in the sandbox"},
    {"os.forkpty", "there are no host processes in the sandbox"},
    {"os.kill", "there are no other processes in the sandbox"},
    {"os.killpg", "there are no other processes in the sandbox"},
    {"subprocess.Popen", "there are no host processes in the sandbox (run commands from the shell)"},
    {"gc.get_objects", "the object graph is not open to code in the sandbox"},
    {"gc.get_referrers", "the object graph is not open to code in the sandbox"},
    {"gc.get_referents", "the object graph is not open to code in the sandbox"},
    /* a program's audit hook would outlive it and could break every later command */
    {"sys.addaudithook", "audit hooks belong to the sandbox"},
};

static bool module_blocked(const char *name) {
    size_t top = strcspn(name, ".");
    for (size_t i = 0; i < sizeof blocked_modules / sizeof blocked_modules[0]; i++) {
        const char *b = blocked_modules[i];
        if (strlen(b) == top && strncmp(b, name, top) == 0) return true;
    }
    return false;
}

static int refuse_import(PyObject *args) {
    PyObject *mod = PyTuple_GetItem(args, 0);
    const char *name = mod ? PyUnicode_AsUTF8(mod) : NULL;
    if (!name) {
        PyErr_Clear();
        return 0;
    }
    if (!module_blocked(name)) return 0;
    PyErr_Format(PyExc_ModuleNotFoundError,
                 "No module named '%s' (wasmsh: the sandbox has no JavaScript bridge, no ctypes "
                 "and no host processes)", name);
    return -1;
}

static int audit_hook(const char *event, PyObject *args, void *user_data) {
    (void)user_data;
    switch (event[0]) {
    case 'i':
        return strcmp(event, "import") == 0 ? refuse_import(args) : 0;
    case 'c':
        if (strncmp(event, "ctypes.", 7) == 0) {
            PyErr_SetString(PyExc_PermissionError, "wasmsh: ctypes is not available in the sandbox");
            return -1;
        }
        return 0;
    case 'o': case 's': case 'g':
        break;
    default:
        return 0;
    }
    for (size_t i = 0; i < sizeof refused_events / sizeof refused_events[0]; i++) {
        size_t n = strlen(refused_events[i].event);
        /* "os.exec" covers os.execv, os.execve...; "os.spawn" covers spawnv... */
        if (strncmp(event, refused_events[i].event, n) == 0 &&
            (event[n] == 0 || strcmp(refused_events[i].event, "os.exec") == 0 ||
             strcmp(refused_events[i].event, "os.spawn") == 0)) {
            PyErr_Format(PyExc_PermissionError, "wasmsh: %s: %s", event, refused_events[i].why);
            return -1;
        }
    }
    return 0;
}

/* ---------------------------------------------------------------- _wasmsh_contain */

static Contain *contain_of(PyObject *module) {
    PyModuleDef *def = PyModule_GetDef(module);
    return def ? (Contain *)((char *)def - offsetof(Contain, def)) : NULL;
}

static uint64_t monotonic_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* _wasmsh_contain.should_stop() -> bool: the running command must end
 * (deadline, budget, cancel). For time.sleep's slices. */
static PyObject *m_should_stop(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)args;
    (void)nargs;
    Contain *c = contain_of(self);
    UtilCtx *ctx = c && c->bridge->py ? pybridge_active(c->bridge->py) : NULL;
    return PyLong_FromLong(ctx && uc_should_stop(ctx) ? 1 : 0);
}

Contain *contain_new(Bridge *b) {
    Contain *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->bridge = b;
    c->methods[0] = (PyMethodDef){"should_stop", m_should_stop, WASMSH_METH_FASTCALL, NULL};
    c->def.m_base.ob_base.ob_refcnt = 1;
    c->def.m_name = "_wasmsh_contain";
    c->def.m_doc = "wasmsh: the sandbox's stop check";
    c->def.m_size = -1;
    c->def.m_methods = c->methods;
    return c;
}

/* Python keeps a pointer to the module definition inside: like the
 * PyBridge, a Contain lives as long as its Pyodide instance. */
void contain_free(Contain *c) {
    if (!c) return;
    c->bridge = NULL;
}

static PyObject *take_item(PyObject *dict, const char *key) {
    PyObject *v = PyDict_GetItemString(dict, key);
    if (v) Py_IncRef(v);
    return v;
}

/* membrane.install(should_stop) -> {"stop", "release", "trust"} */
static bool run_membrane(Contain *c) {
    PyObject *globals = PyDict_New();
    if (!globals) return false;
    PyDict_SetItemString(globals, "__builtins__", PyEval_GetBuiltins());
    PyDict_SetItemString(globals, "__name__", PyUnicode_FromString("_wasmsh_membrane"));
    bool ok = false;
    PyObject *r = PyRun_StringFlags(membrane_py_source, WASMSH_PY_FILE_INPUT, globals, globals, NULL);
    PyObject *native = NULL, *install = NULL, *fns = NULL, *args = NULL;
    if (!r) goto out;
    Py_DecRef(r);
    native = PyModule_Create2(&c->def, WASMSH_PYTHON_API_VERSION);
    install = take_item(globals, "install");
    if (!native || !install) goto out;
    args = PyTuple_New(1);
    if (!args) goto out;
    PyTuple_SetItem(args, 0, PyObject_GetAttrString(native, "should_stop"));
    fns = PyObject_CallObject(install, args);
    if (!fns) goto out;
    c->stop_fn = take_item(fns, "stop");
    c->release_fn = take_item(fns, "release");
    c->trust_fn = take_item(fns, "trust");
    c->kept = take_item(fns, "keep");
    c->after_fn = take_item(fns, "after_command");
    ok = c->stop_fn && c->release_fn && c->trust_fn && c->kept && c->after_fn;
out:
    Py_DecRef(fns);
    Py_DecRef(args);
    Py_DecRef(install);
    Py_DecRef(native);
    Py_DecRef(globals);
    return ok;
}

/* The interpreter outlives Bridges (reset() makes a new one): the audit
 * hook and the membrane go in once, marked by sys._wasmsh_contained. */
bool contain_start(Contain *c) {
    if (!c) return false;
    PyObject *sys = PyImport_ImportModule("sys");
    if (!sys) return false;
    PyObject *mark = PyObject_GetAttrString(sys, "_wasmsh_contained");
    bool first = mark == NULL;
    if (mark) Py_DecRef(mark);
    else PyErr_Clear();
    if (first && PySys_AddAuditHook(audit_hook, NULL) != 0) {
        Py_DecRef(sys);
        return false;
    }
    bool ok = run_membrane(c);
    if (ok && first) {
        PyObject *yes = PyBool_FromLong(1);
        ok = yes && PyObject_SetAttrString(sys, "_wasmsh_contained", yes) == 0;
        Py_DecRef(yes);
    }
    Py_DecRef(sys);
    return ok;
}

/* Calls fn(arg) with whatever exception is pending put aside and back. */
static void call_quietly(PyObject *fn, PyObject *arg) {
    if (!fn) return;
    PyObject *pending = PyErr_GetRaisedException();
    PyObject *args = PyTuple_New(arg ? 1 : 0);
    if (!args) {
        PyErr_SetRaisedException(pending);
        return;
    }
    if (arg) {
        Py_IncRef(arg);
        PyTuple_SetItem(args, 0, arg);
    }
    PyObject *r = PyObject_CallObject(fn, args);
    Py_DecRef(args);
    if (r) Py_DecRef(r);
    else PyErr_Clear();
    if (pending) PyErr_SetRaisedException(pending);
}

void contain_trust(Contain *c, PyObject *module) {
    if (c) call_quietly(c->trust_fn, module);
}

bool contain_stop_due(Contain *c) {
    if (!c) return true;
    if (c->hard_stop) return false;
    uint64_t now = monotonic_ms();
    if (!c->stop_seen_ms) {
        c->stop_seen_ms = now;
        return true;
    }
    if (now - c->stop_seen_ms >= HARD_STOP_GRACE_MS) {
        c->hard_stop = true;
        call_quietly(c->stop_fn, NULL);
    }
    return false;
}

/* True when fn() returned a true value. */
static bool call_check(PyObject *fn) {
    PyObject *args = PyTuple_New(0);
    if (!args) return false;
    PyObject *r = PyObject_CallObject(fn, args);
    Py_DecRef(args);
    if (!r) {
        PyErr_Clear();
        return false;
    }
    bool ok = PyObject_IsTrue(r) == 1;
    Py_DecRef(r);
    return ok;
}

void contain_command_done(Contain *c, bool driver_ok) {
    if (!c) return;
    /* a stop's KeyboardInterrupt may reach the driver's own handling (under
     * load its grace runs out): the run is ending anyway, that is no damage */
    bool stopping = c->hard_stop || c->stop_seen_ms != 0;
    if (c->hard_stop) call_quietly(c->release_fn, NULL);
    c->hard_stop = false;
    c->stop_seen_ms = 0;
    PyObject *pending = PyErr_GetRaisedException();
    if (!driver_ok && !stopping) c->damaged |= 1;
    if (!c->after_fn || !call_check(c->after_fn)) c->damaged |= 2;
    if (pending) PyErr_SetRaisedException(pending);
}

int contain_damaged(Contain *c) { return c ? c->damaged : 0; }

/* ---------------------------------------------------------------- layer 2's errors */

/* Called by js_guard.mjs when it refuses an import of the JavaScript bridge
 * during a run: the C code of Pyodide that called it sees its usual error
 * value, and Python a PermissionError that says why. */
__attribute__((used, visibility("default"))) void wasmsh_py_deny(const char *what) {
    PyErr_Format(PyExc_PermissionError,
                 "wasmsh: the JavaScript bridge is closed to code in the sandbox (%s)", what);
}
