/* net.h - curl and wget over a host fetch hook (the session's fetch broker,
 * js/fetch_broker.mjs: the allowlist, redirects, limits). The whole API of
 * src/net/: the bridge registers the commands with the hook it got from JS.
 *
 * The hook takes a JSON request (see js/fetch_wire.mjs for both formats) and
 * fills *out with a reply the caller frees with free(): 0 and a JSON header
 * line, "\n", the body; or -1 and a JSON error {"error": kind, "message",
 * ...}. Nothing in src/net/ touches the network itself. */
#ifndef WASMSH_NET_H
#define WASMSH_NET_H

#include "shell.h"

#include <stddef.h>

typedef struct NetReply {
    char *data;
    size_t len;
} NetReply;

typedef int (*NetFetchFn)(const char *req, size_t n, NetReply *out);

/* Registers curl and wget with `sh`; *hook is read at each request (it may
 * be NULL: the commands then say that the session has no network) and must
 * outlive the shell. */
void net_register(Shell *sh, NetFetchFn *hook);

#endif
