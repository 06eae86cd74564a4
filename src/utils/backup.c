/* backup.c - backup names as GNU's backupfile.c makes them (see backup.h). */
#include "backup.h"

#include "common.h"
#include "ucommon.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const struct {
    const char *word;
    BackupKind kind;
} backup_words[] = {
    {"none", BK_NONE},       {"off", BK_NONE},          {"simple", BK_SIMPLE}, {"never", BK_SIMPLE},
    {"existing", BK_EXISTING}, {"nil", BK_EXISTING},    {"numbered", BK_NUMBERED}, {"t", BK_NUMBERED},
};

/* GNU's argmatch: an exact word, or an unambiguous prefix. */
static int match_word(const char *w) {
    size_t n = strlen(w), count = sizeof backup_words / sizeof backup_words[0];
    int found = -1;
    for (size_t i = 0; i < count; i++) {
        if (!strcmp(backup_words[i].word, w)) return (int)i;
        if (!strncmp(backup_words[i].word, w, n)) {
            if (found >= 0 && backup_words[found].kind != backup_words[i].kind) return -2;
            found = (int)i;
        }
    }
    return found;
}

bool u_backup_parse(UtilCtx *c, Backup *b, const char *arg) {
    const char *env = uc_getenv(c, "VERSION_CONTROL");
    const char *w = arg ? arg : env;
    if (!w || !*w) {
        b->kind = BK_EXISTING;
        return true;
    }
    int i = match_word(w);
    if (i >= 0) {
        b->kind = backup_words[i].kind;
        return true;
    }
    char *q = u_quote(w);
    uc_error(c, "%s argument %s for %s", i == -2 ? "ambiguous" : "invalid", q,
             arg ? "'backup type'" : "'$VERSION_CONTROL'");
    free(q);
    uc_printf(c, 2, "Valid arguments are:\n  - 'none', 'off'\n  - 'simple', 'never'\n"
                    "  - 'existing', 'nil'\n  - 'numbered', 't'\n");
    u_try_help(c);
    return false;
}

void u_backup_finish(UtilCtx *c, Backup *b) {
    if (b->suffix) return;
    const char *env = uc_getenv(c, "SIMPLE_BACKUP_SUFFIX");
    b->suffix = env && *env && !strchr(env, '/') ? env : "~";
}

/* The highest N of existing NAME.~N~ files next to path (0 when none). */
static unsigned long highest_numbered(const char *path) {
    const char *slash = strrchr(path, '/');
    char *dir = slash ? xstrndup(path, (size_t)(slash - path) + 1) : xstrdup(".");
    const char *base = slash ? slash + 1 : path;
    size_t blen = strlen(base);
    unsigned long best = 0;
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        const char *n = e->d_name;
        if (strncmp(n, base, blen) || strncmp(n + blen, ".~", 2)) continue;
        char *end;
        unsigned long v = strtoul(n + blen + 2, &end, 10);
        if (end != n + blen + 2 && !strcmp(end, "~") && v > best) best = v;
    }
    if (d) closedir(d);
    free(dir);
    return best;
}

bool u_backup_make(UtilCtx *c, const Backup *b, const char *dst, char **made) {
    struct stat st;
    *made = NULL;
    if (b->kind == BK_NONE || lstat(dst, &st) != 0) return true;
    StrBuf name;
    sb_init(&name);
    unsigned long n = b->kind == BK_SIMPLE ? 0 : highest_numbered(dst);
    if (b->kind == BK_NUMBERED || (b->kind == BK_EXISTING && n > 0))
        sb_printf(&name, "%s.~%lu~", dst, n + 1);
    else
        sb_printf(&name, "%s%s", dst, b->suffix ? b->suffix : "~");
    bool ok = rename(dst, name.s) == 0;
    if (!ok) {
        char *a = u_quote(dst), *q = u_quote(name.s);
        uc_error(c, "cannot backup %s to %s: %s", a, q, u_strerror(errno));
        free(a), free(q);
    }
    if (ok) *made = sb_take(&name);
    else sb_free(&name);
    return ok;
}
