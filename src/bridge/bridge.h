/* bridge.h - the Pyodide side of wasmsh: what bridge.c (the entry points the
 * JS glue calls) and python.c (the python3 command) share.
 *
 * A Bridge is one session: a Shell plus the host hooks the JS side passes as
 * function-table indices (made with Emscripten's addFunction). One Pyodide
 * instance holds one Bridge, so Python's interpreter state belongs to it. */
#ifndef WASMSH_BRIDGE_H
#define WASMSH_BRIDGE_H

#include "net.h"
#include "shell.h"

#include <stddef.h>

/* A reply the JS side allocates with wasmsh_alloc and hands over. */
typedef NetReply WasmshBlob;

/* Host hooks (any may be NULL). */
typedef void (*BridgeWriteFn)(int fd, const char *data, size_t n);
typedef int (*BridgePollFn)(void);
/* Performs one HTTP request through the session's fetch broker (the wire
 * format is in js/fetch_wire.mjs and src/net/net.h). */
typedef NetFetchFn BridgeFetchFn;

typedef struct PyBridge PyBridge;

typedef struct Bridge {
    Shell *sh;
    BridgeWriteFn write;
    BridgePollFn poll;
    BridgeFetchFn fetch;
    ShellLimits limits;
    char *stdin_data;       /* this run's stdin (copied) */
    size_t stdin_len, stdin_pos;
    PyBridge *py;           /* NULL when the session has no Python */
} Bridge;

/* python.c (or python_absent.c in the standalone build): registers python3, python, python3.13 (and pip, pip3) with the
 * bridge's shell. Python itself starts at the first use. */
PyBridge *pybridge_new(Bridge *b);
void pybridge_free(PyBridge *pb);
/* No containment for this bridge's Python (contain.h): for a page that shares
 * its own Pyodide and keeps its JavaScript bridge. */
void pybridge_uncontained(PyBridge *pb);
/* A python3 command left the interpreter in a state that could not be put
 * back (contain.h): the JS side moves the session to a fresh runtime. */
int pybridge_damaged(PyBridge *pb);
/* Called from the interrupt check inside Python's eval loop (the JS side's
 * Py_EmscriptenSignalBuffer): 1 when the running python3 must stop. */
int pybridge_poll(PyBridge *pb);
/* The python3 command running now (NULL between commands): the only UtilCtx
 * a call from Python may name. */
struct UtilCtx *pybridge_active(PyBridge *pb);
/* Python's own fds 0/1/2 (os.write(1, ...), os.read(0, n)) while a python3
 * command runs are that command's shell fds: returns the bytes written or
 * read, -errno, or PYBRIDGE_NOT_ROUTED when no python3 command is running
 * (the JS side then uses Pyodide's own stream handler). */
enum { PYBRIDGE_NOT_ROUTED = -1000 };
long pybridge_fd_io(PyBridge *pb, int fd, char *buf, size_t n, int write);

#endif
