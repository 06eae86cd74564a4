/* pyapi.h - the few CPython 3.13 C API functions the bridge calls, declared
 * here from the stable ABI because no CPython headers for wasm32 exist on the
 * registries this project builds from. Pointers and Py_ssize_t are 32-bit in
 * wasm32. Every object is opaque except the module definition structs, whose
 * stable-ABI layout PyModule_Create2 reads. The main module (pyodide.asm.wasm)
 * exports all of these; `make check-pyodide-imports` verifies the signatures. */
#ifndef WASMSH_PYAPI_H
#define WASMSH_PYAPI_H

#include <stddef.h>
#include <sys/types.h>

typedef ssize_t Py_ssize_t;
typedef struct _object PyObject;
typedef int PyGILState_STATE;

/* The stable ABI PyObject header as seen from outside (refcount, type). */
typedef struct PyObjectHead {
    Py_ssize_t ob_refcnt;
    void *ob_type;
} PyObjectHead;

typedef PyObject *(*PyFastCFunction)(PyObject *self, PyObject *const *args, Py_ssize_t nargs);

typedef struct PyMethodDef {
    const char *ml_name;
    PyFastCFunction ml_meth;
    int ml_flags;
    const char *ml_doc;
} PyMethodDef;

typedef struct PyModuleDef_Base {
    PyObjectHead ob_base;
    PyObject *(*m_init)(void);
    Py_ssize_t m_index;
    PyObject *m_copy;
} PyModuleDef_Base;

typedef struct PyModuleDef {
    PyModuleDef_Base m_base;
    const char *m_name;
    const char *m_doc;
    Py_ssize_t m_size;
    PyMethodDef *m_methods;
    void *m_slots;
    void *m_traverse;
    void *m_clear;
    void *m_free;
} PyModuleDef;

#define WASMSH_METH_FASTCALL 0x0080
#define WASMSH_PYTHON_API_VERSION 1013
#define WASMSH_PY_FILE_INPUT 257

PyGILState_STATE PyGILState_Ensure(void);
void PyGILState_Release(PyGILState_STATE);

PyObject *PyModule_Create2(PyModuleDef *def, int apiver);
PyObject *PyModule_New(const char *name);
PyObject *PyModule_GetDict(PyObject *module);
PyObject *PyImport_GetModuleDict(void);
PyObject *PyImport_ImportModule(const char *name);
PyObject *PyEval_GetBuiltins(void);
PyObject *PyRun_StringFlags(const char *src, int start, PyObject *globals, PyObject *locals, void *flags);

PyObject *PyObject_GetAttrString(PyObject *o, const char *name);
PyObject *PyObject_CallObject(PyObject *callable, PyObject *args);
void Py_IncRef(PyObject *o);
void Py_DecRef(PyObject *o);

int PyDict_SetItemString(PyObject *d, const char *key, PyObject *v);
PyObject *PyTuple_New(Py_ssize_t n);
int PyTuple_SetItem(PyObject *t, Py_ssize_t i, PyObject *v); /* steals v */
PyObject *PyList_New(Py_ssize_t n);
int PyList_SetItem(PyObject *l, Py_ssize_t i, PyObject *v); /* steals v */

PyObject *PyLong_FromLong(long v);
PyObject *PyLong_FromVoidPtr(void *p);
long PyLong_AsLong(PyObject *o);
void *PyLong_AsVoidPtr(PyObject *o);
PyObject *PyBytes_FromStringAndSize(const char *s, Py_ssize_t n);
int PyBytes_AsStringAndSize(PyObject *o, char **s, Py_ssize_t *n);
PyObject *PyUnicode_DecodeFSDefault(const char *s);
PyObject *PyUnicode_FromString(const char *s);
const char *PyUnicode_AsUTF8AndSize(PyObject *o, Py_ssize_t *n);

PyObject *PyErr_Occurred(void);
void PyErr_Print(void);
void PyErr_Clear(void);

#endif
