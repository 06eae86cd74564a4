/* modes.h - file mode helpers shared by the file utilities: chmod-style mode
 * parsing (octal or symbolic) and ls-style mode strings. */
#ifndef WASMSH_MODES_H
#define WASMSH_MODES_H

#include <stdbool.h>
#include <sys/types.h>

/* Applies MODE (e.g. "755", "u+x,go-w", "a=rX") to base. Symbolic clauses
 * without a who-list are filtered by umask_bits. False when malformed. */
bool u_mode_parse(const char *s, mode_t base, bool is_dir, mode_t umask_bits, mode_t *out);
/* The session's umask (the shell keeps the process's in step, sh_apply_umask). */
mode_t u_umask(void);
/* "drwxr-xr-x" (10 characters and a NUL). */
void u_mode_string(mode_t m, char out[11]);

#endif
