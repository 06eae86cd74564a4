/* contain.h - containment of Python inside the session (layer 1 of
 * docs/security.md): a C audit hook, the Python membrane (membrane.py) and
 * the hard stop of a python3 command that ignores its deadline.
 *
 * python.c owns one Contain per PyBridge and calls these at the points named
 * below; nothing else in the bridge knows about them. */
#ifndef WASMSH_CONTAIN_H
#define WASMSH_CONTAIN_H

#include "bridge.h"
#include "pyapi.h"

#include <stdbool.h>

typedef struct Contain Contain;

Contain *contain_new(Bridge *b);
void contain_free(Contain *c);

/* Before the driver starts (with the GIL): the audit hook, then membrane.py.
 * False (with a Python error printed) when containment could not be set up:
 * Python must not run then. */
bool contain_start(Contain *c);

/* After the driver module is loaded: its code is trusted by the hard stop
 * (the driver's own exception handling keeps running). */
void contain_trust(Contain *c, PyObject *module);

/* From the interrupt check while a stop is due (pybridge_poll). True the
 * first time: Python gets one SIGINT (KeyboardInterrupt), and then time to
 * unwind through its handlers, the driver's included, without another one;
 * after that grace, every further line of Python code raises
 * KeyboardInterrupt. (NULL: no containment, a SIGINT at every check.) */
bool contain_stop_due(Contain *c);

/* After each python3/pip command (driver_ok: no exception escaped the
 * driver): the hard stop is lifted, the interpreter's shared state put back
 * (membrane.py, make_hygiene). */
void contain_command_done(Contain *c, bool driver_ok);
/* The interpreter's shared state could not be put back: the session must
 * move to a fresh runtime (wasmsh_py_damaged). */
int contain_damaged(Contain *c);

#endif
