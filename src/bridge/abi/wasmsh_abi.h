/* wasmsh_abi.h - forced first include (-include) of every file of the Pyodide
 * build. Debian's Emscripten 3.1.6 headers have a 32-bit time_t; Pyodide
 * 0.29.5's main module (Emscripten 4.0.9) has a 64-bit one, so time() and every
 * struct holding a time_t (timespec, timeval, stat) must use 64 bits here.
 * musl defines time_t only when __DEFINED_time_t is unset, so defining it
 * first wins. See docs/pyodide.md ("ABI"). */
#ifndef WASMSH_ABI_H
#define WASMSH_ABI_H
#ifndef __EMSCRIPTEN__
#error "wasmsh_abi.h is for the Pyodide (Emscripten) build only"
#endif
typedef long long time_t;
#define __DEFINED_time_t
#endif
