/* ident.h - the sandbox's fixed identity, shared by id, whoami, groups,
 * logname, hostname, uname, ls and chown: user "user" (uid 1000) in group
 * "user" (gid 1000), as the shell's $UID/$EUID/$GROUPS say; host "wasmsh".
 * Names of other ids come from the system's databases when it has them
 * (native builds), else "root" for 0, else the number. */
#ifndef WASMSH_IDENT_H
#define WASMSH_IDENT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define U_IDENT_UID 1000
#define U_IDENT_GID 1000
#define U_IDENT_USER "user"
#define U_IDENT_GROUP "user"
#define U_IDENT_HOST "wasmsh"
#define U_IDENT_HOME "/home/user"

/* uname's fields. */
#define U_UNAME_SYSNAME "Linux"
#define U_UNAME_RELEASE "6.1.0-wasmsh"
#define U_UNAME_VERSION "#1 SMP wasmsh"
#define U_UNAME_MACHINE "wasm32"
#define U_UNAME_OS "GNU/Linux"

/* The name of uid (gid) into buf; false (and the number) when it has none. */
bool u_user_name(uid_t uid, char *buf, size_t cap);
bool u_group_name(gid_t gid, char *buf, size_t cap);
/* The id of a user (group) name or number; false when unknown. */
bool u_user_id(const char *name, uid_t *out);
bool u_group_id(const char *name, gid_t *out);

#endif
