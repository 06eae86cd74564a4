/* python_absent.c - the standalone build (the core's own MEMFS, no Pyodide)
 * has no Python: python3, python, pip and pip3 say so clearly instead of
 * "command not found". Built instead of python.c (see the Makefile). */
#include "bridge.h"
#include "util.h"

#include <stdlib.h>

struct PyBridge {
    int unused;
};

static int absent_main(UtilCtx *c, int argc, char **argv) {
    (void)argc;
    uc_printf(c, 2,
              "%s: not available in the standalone build of wasmsh (no Pyodide): "
              "create the session with the Pyodide runtime for python3 and pip\n",
              argv[0]);
    return 127;
}

static const UtilDef absent_defs[] = {
    {"python3", absent_main, NULL}, {"python", absent_main, NULL}, {"python3.13", absent_main, NULL},
    {"pip", absent_main, NULL},     {"pip3", absent_main, NULL},
};

PyBridge *pybridge_new(Bridge *b) {
    for (size_t i = 0; i < sizeof absent_defs / sizeof absent_defs[0]; i++)
        shell_add_command(b->sh, &absent_defs[i], NULL);
    return NULL;
}

void pybridge_free(PyBridge *pb) { (void)pb; }
int pybridge_poll(PyBridge *pb) { (void)pb; return 0; }
void pybridge_uncontained(PyBridge *pb) { (void)pb; }
int pybridge_damaged(PyBridge *pb) { (void)pb; return 0; }
struct UtilCtx *pybridge_active(PyBridge *pb) { (void)pb; return NULL; }
long pybridge_fd_io(PyBridge *pb, int fd, char *buf, size_t n, int write) {
    (void)pb; (void)fd; (void)buf; (void)n; (void)write;
    return PYBRIDGE_NOT_ROUTED;
}
