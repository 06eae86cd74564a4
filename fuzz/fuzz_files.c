/* fuzz_files.c - libFuzzer target for the file utilities' parsers and
 * engines: find's expression and -printf formats, stat's formats, xargs'
 * input splitting, diff's comparison and formats, cmp, and patch's reading
 * and applying of all diff formats (with fuzz, offsets and rejects).
 *
 * The first input byte picks the tool and its options; the rest is split at
 * NUL bytes into the pieces the tool gets (find words, two files for diff
 * and cmp and a third piece as diff's line and group formats, a patch and
 * the file it patches). Everything runs through the
 * shell, with small budgets, in a scratch tree made once at start-up (files,
 * a directory, symlinks to a file, to nowhere and in a loop); the pieces are
 * written into a fresh per-input directory. Build and run with
 * `make fuzz-files` (FUZZ_SECONDS=N). */
#include "shell.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *const fuzz_env[] = {"PATH=/usr/bin:/bin", "HOME=/nonexistent", "LC_ALL=C", NULL};

static void discard_write(void *ctx, int fd, const char *data, size_t n) {
    (void)ctx, (void)fd, (void)data, (void)n;
}

static ssize_t empty_read(void *ctx, char *buf, size_t n) {
    (void)ctx, (void)buf, (void)n;
    return 0;
}

static void put_file(const char *name, const uint8_t *data, size_t n) {
    FILE *f = fopen(name, "wb");
    if (!f) abort();
    if (n && fwrite(data, 1, n, f) != n) abort();
    fclose(f);
}

/* The tree find and stat walk: made once, never written by the runs. */
static void make_tree(void) {
    if (mkdir("tree", 0755) != 0 || mkdir("tree/sub", 0755) != 0 || mkdir("tree/sub/deep", 0700) != 0) abort();
    put_file("tree/a.txt", (const uint8_t *)"hello\n", 6);
    put_file("tree/sub/b.c", (const uint8_t *)"int x;\n", 7);
    put_file("tree/sub/deep/empty", NULL, 0);
    if (symlink("a.txt", "tree/link") || symlink("nowhere", "tree/dangling") || symlink("..", "tree/sub/up"))
        abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp) tmp = "/tmp";
    size_t n = strlen(tmp) + sizeof "/wasmsh-fuzz-files-XXXXXX";
    char *dir = malloc(n);
    if (!dir) abort();
    snprintf(dir, n, "%s/wasmsh-fuzz-files-XXXXXX", tmp);
    if (!mkdtemp(dir) || chdir(dir) != 0) abort();
    free(dir);
    make_tree();
    return 0;
}

/* A fresh shell in which the utility may write only its own directory's files. */
static Shell *new_shell(bool writes) {
    ShellHost host;
    memset(&host, 0, sizeof host);
    host.write = discard_write;
    host.read = empty_read;
    Shell *sh = shell_new(&host, "wasmsh");
    ShellLimits lim;
    memset(&lim, 0, sizeof lim);
    lim.max_steps = 4000;
    lim.timeout_ms = 2000;
    lim.max_output = 1 << 20;
    lim.max_memory = 32u << 20;
    lim.max_depth = 32;
    lim.max_expansion = 10000;
    lim.no_fs_writes = !writes;
    shell_set_limits(sh, &lim);
    shell_import_env(sh, fuzz_env);
    return sh;
}

typedef struct Pieces {
    char *v[16];
    size_t len[16];
    int n;
} Pieces;

static void split(const uint8_t *data, size_t size, Pieces *p) {
    p->n = 0;
    size_t start = 0;
    for (size_t i = 0; i <= size && p->n < 16; i++) {
        if (i < size && data[i] != 0) continue;
        p->len[p->n] = i - start;
        p->v[p->n] = malloc(i - start + 1);
        if (!p->v[p->n]) abort();
        memcpy(p->v[p->n], data + start, i - start);
        p->v[p->n][i - start] = 0;
        p->n++;
        start = i + 1;
    }
}

/* find's actions that write files are replaced; the rest run as given. */
static void tame_find_word(char **w) {
    static const char *const writers[] = {"-delete", "-fprint", "-fprint0", "-fprintf", "-fls", NULL};
    for (int i = 0; writers[i]; i++)
        if (!strcmp(*w, writers[i])) {
            free(*w);
            *w = strdup("-print");
            if (!*w) abort();
        }
}

static void run(Shell *sh, const char *script, int argc, char **argv) {
    shell_set_args(sh, "fuzz", argc, argv);
    shell_run(sh, script, strlen(script), NULL);
    shell_free(sh);
}

static const char *const diff_opts[] = {"", "-u", "-c", "-y -W 40", "-e", "-n", "-U1 -b", "-w -B", "-i -y", "-q",
                                        "-C0 -p", "-E -Z", "-t -T", "-d -u", "--strip-trailing-cr", "-y --left-column"};
static const char *const patch_opts[] = {"", "-R", "-N", "-f", "-t", "-F0", "-F3", "-l", "-s", "-E", "-b"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!size) return 0;
    unsigned sel = data[0];
    Pieces p;
    split(data + 1, size - 1, &p);
    char dir[32];
    snprintf(dir, sizeof dir, "run%u", sel & 7);
    char cmd[256];
    switch (sel % 6) {
    case 0: /* find: the pieces are its words */
        for (int i = 0; i < p.n; i++) tame_find_word(&p.v[i]);
        run(new_shell(false), "find tree \"$@\" >/dev/null 2>&1; find -L tree \"$@\" -printf '%p %y %s\\n' >/dev/null 2>&1",
            p.n, p.v);
        break;
    case 1: /* stat and find formats */
        run(new_shell(false), "stat --printf=\"$1\" tree/a.txt tree/link tree/sub >/dev/null 2>&1; stat -c \"$1\" -L tree/link >/dev/null 2>&1; find tree -printf \"$1\" >/dev/null 2>&1",
            p.n ? 1 : 0, p.v);
        break;
    case 2: /* xargs: the first piece is its input */
        if (mkdir(dir, 0755) != 0 && access(dir, F_OK) != 0) abort();
        snprintf(cmd, sizeof cmd, "%s/in", dir);
        put_file(cmd, p.n ? (const uint8_t *)p.v[0] : NULL, p.n ? p.len[0] : 0);
        snprintf(cmd, sizeof cmd,
                 "xargs -a %s/in -n 3 echo >/dev/null 2>&1; xargs -a %s/in -0 -s 60 echo >/dev/null 2>&1; "
                 "xargs -a %s/in -I{} -E x echo {}{} >/dev/null 2>&1",
                 dir, dir, dir);
        run(new_shell(false), cmd, 0, NULL);
        break;
    default: { /* diff, cmp and patch on two pieces */
        if (mkdir(dir, 0755) != 0 && access(dir, F_OK) != 0) abort();
        char a[64], b[64];
        snprintf(a, sizeof a, "%s/a", dir);
        snprintf(b, sizeof b, "%s/b", dir);
        put_file(a, p.n > 0 ? (const uint8_t *)p.v[0] : NULL, p.n > 0 ? p.len[0] : 0);
        put_file(b, p.n > 1 ? (const uint8_t *)p.v[1] : NULL, p.n > 1 ? p.len[1] : 0);
        if (sel % 6 == 3) {
            snprintf(cmd, sizeof cmd, "diff %s %s %s >/dev/null 2>&1; cmp -l %s %s >/dev/null 2>&1",
                     diff_opts[(sel / 6) % 16], a, b, a, b);
            run(new_shell(false), cmd, 0, NULL);
            if (p.n > 2) { /* the third piece is a line and a group format (and -D's name) */
                snprintf(cmd, sizeof cmd,
                         "diff --old-line-format=\"$1\" --changed-group-format=\"$1\" %s %s >/dev/null 2>&1; "
                         "diff -D \"$1\" --new-line-format=\"$1\" %s %s >/dev/null 2>&1",
                         a, b, a, b);
                run(new_shell(false), cmd, 1, &p.v[2]);
            }
        } else {
            /* a is the patch, b the file it patches (the patch may only write
             * b, b.orig and b.rej: the file is named on the command line) */
            snprintf(cmd, sizeof cmd, "cd %s && patch %s b < a >/dev/null 2>&1; patch --dry-run -R b a >/dev/null 2>&1",
                     dir, patch_opts[(sel / 6) % 11]);
            run(new_shell(true), cmd, 0, NULL);
        }
        break;
    }
    }
    for (int i = 0; i < p.n; i++) free(p.v[i]);
    return 0;
}
