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

/* From the interrupt check while a stop is due (pybridge_poll): after a grace
 * period, every further line of Python code raises KeyboardInterrupt. */
void contain_stop_due(Contain *c);

/* After each python3/pip command: the hard stop is lifted. */
void contain_command_done(Contain *c);

#endif
