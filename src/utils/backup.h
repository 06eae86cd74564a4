/* backup.h - GNU's --backup[=CONTROL] and --suffix: before a destination is
 * replaced it is renamed to NAME~ (simple), NAME.~N~ (numbered), or numbered
 * only when numbered backups of it exist already (existing, the default). */
#ifndef WASMSH_BACKUP_H
#define WASMSH_BACKUP_H

#include "util.h"

#include <stdbool.h>

typedef enum { BK_NONE, BK_SIMPLE, BK_NUMBERED, BK_EXISTING } BackupKind;

typedef struct Backup {
    BackupKind kind;
    const char *suffix; /* simple backups: -S, else $SIMPLE_BACKUP_SUFFIX, else "~" */
} Backup;

/* Sets b from --backup's argument (NULL for -b: $VERSION_CONTROL or
 * existing). False, after GNU's message, when the word is not valid. */
bool u_backup_parse(UtilCtx *c, Backup *b, const char *arg);
/* Applies the suffix default once options are read. */
void u_backup_finish(UtilCtx *c, Backup *b);
/* Renames an existing dst to its backup name, stored in *made (malloc'd;
 * NULL when there was nothing to do); false after an error message. */
bool u_backup_make(UtilCtx *c, const Backup *b, const char *dst, char **made);

#endif
