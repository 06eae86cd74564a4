/* python.c - python3 (and python, python3.13, pip, pip3) as commands of the
 * shell, run by the CPython interpreter of the Pyodide instance this module
 * is loaded into, through the C API.
 *
 * The work is done by driver.py (embedded at build time as a C string): it
 * parses python3's options, sets sys.argv, os.environ and the standard
 * streams, runs the code and maps SystemExit and exceptions to an exit
 * status. This file gives it a small built-in module, `_wasmsh`, whose
 * functions reach the command's virtual fds through util.h: Python's
 * sys.stdout writes go straight into the shell's pipeline, synchronously, so
 * `python3 -c 'while True: print(1)' | head -n 2` ends as soon as head is
 * done (the write fails with EPIPE, Python raises BrokenPipeError).
 *
 * The command's UtilCtx travels to Python as an integer and comes back in
 * every _wasmsh call, so there is no global "current command". */
#include "bridge.h"
#include "contain.h"
#include "pyapi.h"
#include "util.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "driver_py.h" /* generated: static const char driver_py_source[] */
#include "net_py.h"    /* generated: static const char net_py_source[] (src/bridge/net.py) */
#include "repl_py.h"   /* generated: static const char repl_py_source[] (src/bridge/repl.py) */

enum { PY_METHODS = 5 };

struct PyBridge {
    Bridge *bridge;
    PyModuleDef def;                      /* _wasmsh; Python keeps a pointer */
    PyMethodDef methods[PY_METHODS + 1];
    PyObject *main_fn;                    /* driver.main */
    bool init_failed;
    UtilCtx *active;                      /* the python3 command running now */
    Contain *contain;                     /* the sandbox's Python side (contain.c) */
};

PyModuleDef *PyModule_GetDef(PyObject *module);

/* The command a _wasmsh call names: only the running one. Any other integer
 * (a finished command's, or one made up by the program) is refused, so that
 * Python cannot make the bridge use a pointer it did not hand out. */
static UtilCtx *ctx_arg_of(PyObject *self, PyObject *o) {
    PyModuleDef *def = PyModule_GetDef(self);
    PyBridge *pb = def ? (PyBridge *)((char *)def - offsetof(PyBridge, def)) : NULL;
    UtilCtx *c = (UtilCtx *)PyLong_AsVoidPtr(o);
    if (PyErr_Occurred()) PyErr_Clear();
    return pb && c && c == pb->active ? c : NULL;
}
#define ctx_arg(o) ctx_arg_of(self, (o))

/* _wasmsh.write(ctx, fd, data: bytes) -> 0 or an errno value */
static PyObject *m_write(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (nargs != 3) return PyLong_FromLong(EINVAL);
    char *data = NULL;
    Py_ssize_t n = 0;
    if (PyBytes_AsStringAndSize(args[2], &data, &n) != 0) return NULL;
    UtilCtx *c = ctx_arg(args[0]);
    if (!c) return PyLong_FromLong(EBADF);
    errno = 0;
    if (uc_write(c, (int)PyLong_AsLong(args[1]), data, (size_t)n) == 0) return PyLong_FromLong(0);
    return PyLong_FromLong(errno ? errno : EIO);
}

/* _wasmsh.read(ctx, fd, n) -> bytes (b'' at EOF), or an errno value */
static PyObject *m_read(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (nargs != 3) return PyLong_FromLong(EINVAL);
    long want = PyLong_AsLong(args[2]);
    if (!ctx_arg(args[0])) return PyLong_FromLong(EBADF);
    if (want <= 0) return PyBytes_FromStringAndSize("", 0);
    if (want > (1 << 20)) want = 1 << 20;
    char *buf = malloc((size_t)want);
    if (!buf) return PyLong_FromLong(ENOMEM);
    errno = 0;
    ssize_t got = uc_read(ctx_arg(args[0]), (int)PyLong_AsLong(args[1]), buf, (size_t)want);
    PyObject *r = got >= 0 ? PyBytes_FromStringAndSize(buf, got) : PyLong_FromLong(errno ? errno : EIO);
    free(buf);
    return r;
}

/* _wasmsh.should_stop(ctx) -> 1 when the run must stop (deadline, cancel,
 * a budget); the shell has then already said why on stderr. */
static PyObject *m_should_stop(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (nargs != 1) return PyLong_FromLong(0);
    UtilCtx *c = ctx_arg(args[0]);
    return PyLong_FromLong(c && uc_should_stop(c) ? 1 : 0);
}

/* _wasmsh.fetch(ctx, request: bytes) -> bytes (header line, "\n", body), or
 * an int: -1 with no fetch hook; for a refused or failed request the reply
 * is b"!" followed by the message. */
static PyObject *m_fetch(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (nargs != 2) return PyLong_FromLong(-1);
    UtilCtx *c = ctx_arg(args[0]);
    PyBridge *pb = c ? uc_command_data(c) : NULL;
    if (!pb || !pb->bridge->fetch) return PyLong_FromLong(-1);
    char *req = NULL;
    Py_ssize_t n = 0;
    if (PyBytes_AsStringAndSize(args[1], &req, &n) != 0) return NULL;
    WasmshBlob out = {NULL, 0};
    int rc = pb->bridge->fetch(req, (size_t)n, &out);
    PyObject *r;
    if (rc == 0) {
        r = PyBytes_FromStringAndSize(out.data ? out.data : "", (Py_ssize_t)out.len);
    } else {
        size_t len = out.len + 1;
        char *msg = malloc(len);
        if (!msg) {
            free(out.data);
            return PyLong_FromLong(-1);
        }
        msg[0] = '!';
        if (out.len) memcpy(msg + 1, out.data, out.len);
        r = PyBytes_FromStringAndSize(msg, (Py_ssize_t)len);
        free(msg);
    }
    free(out.data);
    return r;
}

/* _wasmsh.environ(ctx) -> list of b"K=V": the exported variables now (bytes,
 * as os.environ keeps them on POSIX). */
static PyObject *m_environ(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (nargs != 1) return PyList_New(0);
    UtilCtx *c = ctx_arg(args[0]);
    if (!c) return PyList_New(0);
    char *const *env = uc_environ(c);
    Py_ssize_t n = 0;
    while (env[n]) n++;
    PyObject *list = PyList_New(n);
    if (!list) return NULL;
    for (Py_ssize_t i = 0; i < n; i++)
        PyList_SetItem(list, i, PyBytes_FromStringAndSize(env[i], (Py_ssize_t)strlen(env[i])));
    return list;
}

static void init_module_def(PyBridge *pb) {
    static const struct {
        const char *name;
        PyFastCFunction fn;
    } table[PY_METHODS] = {
        {"write", m_write}, {"read", m_read}, {"should_stop", m_should_stop},
        {"fetch", m_fetch}, {"environ", m_environ},
    };
    for (int i = 0; i < PY_METHODS; i++)
        pb->methods[i] = (PyMethodDef){table[i].name, table[i].fn, WASMSH_METH_FASTCALL, NULL};
    memset(&pb->methods[PY_METHODS], 0, sizeof pb->methods[PY_METHODS]);
    memset(&pb->def, 0, sizeof pb->def);
    pb->def.m_base.ob_base.ob_refcnt = 1;
    pb->def.m_name = "_wasmsh";
    pb->def.m_doc = "wasmsh: the shell's file descriptors and hooks for the python3 command";
    pb->def.m_size = -1;
    pb->def.m_methods = pb->methods;
}

/* A module named `name` made by running `source` (registered before it
 * runs, as an import would); a new reference, or NULL. */
static PyObject *embedded_module(PyObject *modules, const char *name, const char *source) {
    PyObject *m = PyModule_New(name);
    if (!m) return NULL;
    PyDict_SetItemString(modules, name, m);
    PyObject *globals = PyModule_GetDict(m);
    PyDict_SetItemString(globals, "__builtins__", PyEval_GetBuiltins());
    PyObject *r = PyRun_StringFlags(source, WASMSH_PY_FILE_INPUT, globals, globals, NULL);
    if (!r) {
        Py_DecRef(m);
        return NULL;
    }
    Py_DecRef(r);
    return m;
}

/* Starts the driver: the _wasmsh module, net.py as _wasmsh_net, repl.py as
 * _wasmsh_repl, then driver.py in its own module. */
static bool py_start(PyBridge *pb) {
    if (pb->main_fn) return true;
    if (pb->init_failed) return false;
    pb->init_failed = true;
    if (pb->contain && !contain_start(pb->contain)) goto fail;
    PyObject *modules = PyImport_GetModuleDict();
    PyObject *native = PyModule_Create2(&pb->def, WASMSH_PYTHON_API_VERSION);
    if (!native) goto fail;
    PyDict_SetItemString(modules, "_wasmsh", native);
    Py_DecRef(native);
    PyObject *net = embedded_module(modules, "_wasmsh_net", net_py_source);
    if (!net) goto fail;
    Py_DecRef(net);
    /* py_eval's REPL, whose steps are python3 commands; not trusted by the
     * hard stop (its loop runs the user's code), but in the snapshot of
     * sys.modules the driver's trust takes */
    PyObject *repl = embedded_module(modules, "_wasmsh_repl", repl_py_source);
    if (!repl) goto fail;
    Py_DecRef(repl);
    PyObject *driver = embedded_module(modules, "_wasmsh_driver", driver_py_source);
    if (!driver) goto fail;
    pb->main_fn = PyObject_GetAttrString(driver, "main");
    contain_trust(pb->contain, driver);
    Py_DecRef(driver);
    if (!pb->main_fn) goto fail;
    pb->init_failed = false;
    return true;
fail:
    if (PyErr_Occurred()) PyErr_Print();
    return false;
}

static PyObject *str_list(char *const *v, int n) {
    PyObject *list = PyList_New(n);
    if (!list) return NULL;
    for (int i = 0; i < n; i++) PyList_SetItem(list, i, PyUnicode_DecodeFSDefault(v[i]));
    return list;
}

/* A python3 program may close or dup2 its fds 0/1/2 (Emscripten's, shared by
 * every later command of the session): each run gets them back as they were. */
typedef struct SavedFds {
    int fd[3];
} SavedFds;

static void save_std_fds(SavedFds *s) {
    for (int i = 0; i < 3; i++) s->fd[i] = dup(i);
}

static void restore_std_fds(SavedFds *s) {
    for (int i = 0; i < 3; i++) {
        if (s->fd[i] < 0) continue;
        dup2(s->fd[i], i);
        close(s->fd[i]);
    }
}

/* Calls driver.main(ctx, prog, argv) -> exit status. */
static int run_driver(UtilCtx *c, const char *prog, int argc, char **argv) {
    PyBridge *pb = uc_command_data(c);
    PyGILState_STATE gil = PyGILState_Ensure();
    int status = 1;
    if (!py_start(pb)) {
        uc_error(c, "the Python runtime could not be started");
        PyGILState_Release(gil);
        return 1;
    }
    PyObject *args = PyTuple_New(3);
    if (!args) goto out;
    PyTuple_SetItem(args, 0, PyLong_FromVoidPtr(c));
    PyTuple_SetItem(args, 1, PyUnicode_FromString(prog));
    PyTuple_SetItem(args, 2, str_list(argv, argc));
    UtilCtx *outer = pb->active;
    pb->active = c;
    SavedFds fds;
    save_std_fds(&fds);
    PyObject *r = PyObject_CallObject(pb->main_fn, args);
    restore_std_fds(&fds);
    /* Python reports a closed pipe itself (BrokenPipeError), as CPython does */
    uc_keep_status(c);
    pb->active = outer;
    contain_command_done(pb->contain, r != NULL);
    /* a budget the host saw during the command (an allocation past the heap
     * ceiling, even one the program caught) stops the run now */
    (void)uc_should_stop(c);
    Py_DecRef(args);
    if (r) {
        status = (int)PyLong_AsLong(r);
        Py_DecRef(r);
    }
    if (PyErr_Occurred()) {
        PyErr_Print();
        status = 1;
    }
out:
    PyGILState_Release(gil);
    return status;
}

static int python_main(UtilCtx *c, int argc, char **argv) { return run_driver(c, "python", argc, argv); }
static int pip_main(UtilCtx *c, int argc, char **argv) { return run_driver(c, "pip", argc, argv); }

static const UtilDef python_defs[] = {
    {"python3", python_main, NULL}, {"python", python_main, NULL}, {"python3.13", python_main, NULL},
    {"pip", pip_main, NULL},        {"pip3", pip_main, NULL},
};

PyBridge *pybridge_new(Bridge *b) {
    PyBridge *pb = calloc(1, sizeof *pb);
    if (!pb) return NULL;
    pb->bridge = b;
    pb->contain = contain_new(b);
    if (!pb->contain) {
        free(pb);
        return NULL;
    }
    init_module_def(pb);
    for (size_t i = 0; i < sizeof python_defs / sizeof python_defs[0]; i++)
        shell_add_command(b->sh, &python_defs[i], pb);
    return pb;
}

/* The module definition stays referenced by the interpreter's _wasmsh module:
 * the PyBridge lives as long as the Pyodide instance (one per session). */
void pybridge_free(PyBridge *pb) {
    if (!pb) return;
    pb->bridge = NULL;
    pb->active = NULL;
    contain_free(pb->contain);
}

long pybridge_fd_io(PyBridge *pb, int fd, char *buf, size_t n, int write) {
    if (!pb->active) return PYBRIDGE_NOT_ROUTED;
    errno = 0;
    if (write) {
        if (uc_write(pb->active, fd, buf, n) == 0) return (long)n;
        return -(errno ? errno : EIO);
    }
    ssize_t got = uc_read(pb->active, fd, buf, n);
    return got >= 0 ? (long)got : -(errno ? errno : EIO);
}

int pybridge_poll(PyBridge *pb) {
    if (!pb->active) return 0;
    if (!uc_should_stop(pb->active)) return 0;
    return contain_stop_due(pb->contain) ? 1 : 0;
}

UtilCtx *pybridge_active(PyBridge *pb) { return pb ? pb->active : NULL; }

int pybridge_damaged(PyBridge *pb) { return pb ? (int)contain_damaged(pb->contain) : 0; }

void pybridge_uncontained(PyBridge *pb) {
    contain_free(pb->contain);
    pb->contain = NULL;
}
