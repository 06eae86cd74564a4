/* main.c - the wasmsh command-line interface over shell.h.
 *
 * The same file builds the native CLI (gcc/clang) and the standalone wasm CLI
 * (Emscripten; launched by js/cli/wasmsh-node.mjs). Usage follows bash:
 *
 *   wasmsh [options] -c SCRIPT [NAME [ARGS...]]   run SCRIPT; $0 = NAME
 *   wasmsh [options] FILE [ARGS...]               run the file; $0 = FILE
 *   wasmsh [options] [-s] [ARGS...]               read all of stdin, then run it
 *
 * The script's exit status (or the status given to `exit`) is the process's.
 * Messages name the program by the basename of argv[0], so a symlink called
 * `bash` reports `bash: ...`. Host fds 0/1/2 are the shell's fds 0/1/2 (the
 * ShellHost callbacks for I/O are left NULL).
 *
 * --host-exec (or WASMSH_HOST_EXEC=1, native build only) runs a command the
 * shell does not know as a host process (posix_spawnp + waitpid). The child
 * inherits host fds 0/1/2 and the process environment as it was at startup
 * (shell.h has no way to read the session's exported variables). */
#include "shell.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef __EMSCRIPTEN__
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#define WASMSH_HAVE_HOST_EXEC 1
#endif

#ifndef WASMSH_VERSION
#define WASMSH_VERSION "0.1.0"
#endif

extern char **environ;

/* One `set -o` / `shopt` change requested on the command line, applied in order. */
typedef struct CliOpt {
    const char *name;
    bool on;
    bool shopt; /* -O/+O: a shopt name (for the message on failure) */
    char letter; /* the single-letter form it came from, or 0 */
} CliOpt;

typedef struct Cli {
    const char *prog;      /* basename of argv[0]: the name in messages */
    const char *argv0;     /* argv[0] as given */
    bool command_mode;     /* -c */
    bool read_stdin;       /* -s */
    bool noexec;           /* -n: parse only */
    bool host_exec;        /* --host-exec */
    CliOpt *opts;
    size_t nopts;
    ShellLimits limits;
    int first_arg;         /* index of the first operand in argv */
} Cli;

/* The single-letter options of bash's `set`, by their -o names. */
typedef struct LetterOpt {
    char letter;
    const char *name;
} LetterOpt;

static const LetterOpt letter_opts[] = {
    {'a', "allexport"}, {'b', "notify"},      {'e', "errexit"},   {'f', "noglob"},
    {'h', "hashall"},   {'k', "keyword"},     {'m', "monitor"},   {'t', "onecmd"},
    {'u', "nounset"},   {'v', "verbose"},     {'x', "xtrace"},    {'B', "braceexpand"},
    {'C', "noclobber"}, {'E', "errtrace"},    {'H', "histexpand"}, {'P', "physical"},
    {'T', "functrace"}, {0, NULL},
};

static const char usage_text[] =
    "Usage:\t%s [option] ...\n"
    "\t%s [option] -c SCRIPT [NAME [ARG ...]]\n"
    "\t%s [option] FILE [ARG ...]\n"
    "\t%s [option] [-s] [ARG ...]          (script on stdin)\n"
    "Options:\n"
    "\t-c SCRIPT      run SCRIPT; NAME becomes $0, the ARGs $1...\n"
    "\t-s             read the script from stdin even when ARGs are given\n"
    "\t-n             check syntax only\n"
    "\t-aefhkmuvxBCEHPT, +...   set or unset shell options, as `set` does\n"
    "\t-o NAME, +o NAME         set or unset an option by name (set -o)\n"
    "\t-O NAME, +O NAME         set or unset a shopt option\n"
    "\t--host-exec    run unknown commands as host processes (native build;\n"
    "\t               also WASMSH_HOST_EXEC=1)\n"
    "\t--max-steps=N --timeout-ms=N --max-output=N --max-memory=N\n"
    "\t--max-depth=N --max-expansion=N --max-pipe-buffer=N\n"
    "\t                                   bounds per run (\"unlimited\" allowed)\n"
    "\t--no-fs-writes refuse file-writing redirections and utilities\n"
    "\t--posix, --norc, --noprofile, --login, -l, -i   accepted for bash compatibility\n"
    "\t--version, --help\n";

static void usage(const Cli *cli, FILE *to) {
    fprintf(to, usage_text, cli->prog, cli->prog, cli->prog, cli->prog);
}

static const char *base_name(const char *path) {
    const char *slash = strrchr(path, '/');
    if (slash && slash[1]) return slash + 1;
    if (!slash) return path;
    /* trailing slash: fall back to the whole string */
    return path;
}

static void push_opt(Cli *cli, const char *name, bool on, bool shopt, char letter) {
    cli->opts[cli->nopts].name = name;
    cli->opts[cli->nopts].on = on;
    cli->opts[cli->nopts].shopt = shopt;
    cli->opts[cli->nopts].letter = letter;
    cli->nopts++;
}

static bool env_flag(const char *name) {
    const char *v = getenv(name);
    return v && *v && strcmp(v, "0") != 0;
}

/* "--max-steps=N": returns true when `arg` is the limit option `name`, storing
 * the value. `ok` is cleared on a malformed number. */
static bool limit_opt(const char *arg, const char *name, uint64_t *out, bool *ok) {
    size_t n = strlen(name);
    if (strncmp(arg, name, n) != 0 || arg[n] != '=') return false;
    const char *v = arg + n + 1;
    if (strcmp(v, "unlimited") == 0) {
        /* Huge, yet far from overflowing when added to a clock or a counter. */
        *out = UINT64_MAX >> 2;
        return true;
    }
    char *end = NULL;
    errno = 0;
    unsigned long long x = strtoull(v, &end, 10);
    if (!*v || *end || errno || v[0] == '-') {
        *ok = false;
        return true;
    }
    *out = (uint64_t)x;
    return true;
}

/* Parses the options, bash style: they end at the first operand, `-` or `--`.
 * Returns -1 to go on, else an exit status. */
static int parse_args(Cli *cli, int argc, char **argv) {
    int i = 1;
    while (i < argc) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0 || strcmp(a, "-") == 0) {
            i++;
            break;
        }
        if (a[0] == '-' && a[1] == '-') {
            uint64_t depth = 0;
            bool ok = true;
            if (strcmp(a, "--help") == 0) {
                usage(cli, stdout);
                return 0;
            } else if (strcmp(a, "--version") == 0) {
                printf("wasmsh, version %s (bash 5.2 compatible)\n", WASMSH_VERSION);
                return 0;
            } else if (strcmp(a, "--host-exec") == 0) {
                cli->host_exec = true;
            } else if (strcmp(a, "--posix") == 0) {
                push_opt(cli, "posix", true, false, 0);
            } else if (strcmp(a, "--verbose") == 0) {
                push_opt(cli, "verbose", true, false, 'v');
            } else if (strcmp(a, "--norc") == 0 || strcmp(a, "--noprofile") == 0 ||
                       strcmp(a, "--login") == 0 || strcmp(a, "--noediting") == 0 ||
                       strcmp(a, "--debugger") == 0 || strcmp(a, "--dump-strings") == 0) {
                /* accepted, nothing to do for a non-interactive shell */
            } else if (strcmp(a, "--rcfile") == 0 || strcmp(a, "--init-file") == 0) {
                if (i + 1 >= argc) {
                    fprintf(stderr, "%s: %s: option requires an argument\n", cli->prog, a);
                    return 2;
                }
                i++;
            } else if (strcmp(a, "--no-fs-writes") == 0) {
                cli->limits.no_fs_writes = true;
            } else if (limit_opt(a, "--max-steps", &cli->limits.max_steps, &ok) ||
                       limit_opt(a, "--timeout-ms", &cli->limits.timeout_ms, &ok) ||
                       limit_opt(a, "--max-output", &cli->limits.max_output, &ok) ||
                       limit_opt(a, "--max-memory", &cli->limits.max_memory, &ok) ||
                       limit_opt(a, "--max-expansion", &cli->limits.max_expansion, &ok) ||
                       limit_opt(a, "--max-pipe-buffer", &cli->limits.max_pipe_buffer, &ok)) {
                if (!ok) {
                    fprintf(stderr, "%s: %s: invalid number\n", cli->prog, a);
                    return 2;
                }
            } else if (limit_opt(a, "--max-depth", &depth, &ok)) {
                if (!ok) {
                    fprintf(stderr, "%s: %s: invalid number\n", cli->prog, a);
                    return 2;
                }
                cli->limits.max_depth = depth > UINT32_MAX ? UINT32_MAX : (uint32_t)depth;
            } else {
                fprintf(stderr, "%s: %s: invalid option\n", cli->prog, a);
                usage(cli, stderr);
                return 2;
            }
            i++;
            continue;
        }
        if ((a[0] != '-' && a[0] != '+') || a[1] == 0) break; /* first operand */
        bool on = a[0] == '-';
        i++;
        for (const char *p = a + 1; *p; p++) {
            char c = *p;
            if (c == 'c' && on) {
                cli->command_mode = true;
            } else if (c == 's' && on) {
                cli->read_stdin = true;
            } else if (c == 'n') {
                cli->noexec = on;
            } else if (c == 'i' || c == 'l' || c == 'r' || c == 'D') {
                /* interactive, login, restricted, dump-strings: accepted, ignored */
            } else if (c == 'o' || c == 'O') {
                if (i >= argc) {
                    if (c == 'o') {
                        /* bash prints the option list here; a usage error will do */
                    }
                    fprintf(stderr, "%s: %c%c: option requires an argument\n", cli->prog, a[0], c);
                    return 2;
                }
                push_opt(cli, argv[i], on, c == 'O', 0);
                i++;
            } else {
                const LetterOpt *lo = letter_opts;
                while (lo->letter && lo->letter != c) lo++;
                if (!lo->letter) {
                    fprintf(stderr, "%s: %c%c: invalid option\n", cli->prog, a[0], c);
                    usage(cli, stderr);
                    return 2;
                }
                push_opt(cli, lo->name, on, false, c);
            }
        }
    }
    cli->first_arg = i;
    return -1;
}

/* Reads a whole fd. Returns a malloc'd, NUL-terminated buffer (NULL + errno on error). */
static char *read_fd(int fd, size_t *len_out) {
    size_t cap = 8192, len = 0;
    char *buf = malloc(cap + 1);
    if (!buf) return NULL;
    for (;;) {
        if (len == cap) {
            char *nb = realloc(buf, cap * 2 + 1);
            if (!nb) {
                free(buf);
                errno = ENOMEM;
                return NULL;
            }
            buf = nb;
            cap *= 2;
        }
        ssize_t n = read(fd, buf + len, cap - len);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno == EBADF) break; /* no stdin at all: an empty script */
            int e = errno;
            free(buf);
            errno = e;
            return NULL;
        }
        if (n == 0) break;
        len += (size_t)n;
    }
    buf[len] = 0;
    *len_out = len;
    return buf;
}

/* Reads a script file, bash's way of failing: 127 when it cannot be opened,
 * 126 for a directory. Returns -1 on success. */
static int read_script_file(const Cli *cli, const char *path, char **out, size_t *len) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        fprintf(stderr, "%s: %s: %s\n", cli->prog, path, strerror(errno));
        return errno == ENOENT ? 127 : 126;
    }
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        fprintf(stderr, "%s: %s: %s\n", path, path, strerror(EISDIR));
        close(fd);
        return 126;
    }
    *out = read_fd(fd, len);
    int e = errno;
    close(fd);
    if (!*out) {
        fprintf(stderr, "%s: %s: %s\n", cli->prog, path, strerror(e));
        return 126;
    }
    return -1;
}

#ifdef WASMSH_HAVE_HOST_EXEC
/* ShellHost.host_exec: the command as a host process, with the host's fds
 * 0/1/2 and the startup environment. Status as bash reports it. */
static int cli_host_exec(void *ctx, Shell *sh, char *const *argv) {
    const Cli *cli = ctx;
    (void)sh;
    if (!argv || !argv[0]) return 0;
    posix_spawnattr_t attr;
    if (posix_spawnattr_init(&attr) != 0) return 126;
    /* The child starts with default signal dispositions and an empty mask. */
    sigset_t none, deflt;
    sigemptyset(&none);
    sigemptyset(&deflt);
    sigaddset(&deflt, SIGPIPE);
    sigaddset(&deflt, SIGINT);
    sigaddset(&deflt, SIGQUIT);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &deflt);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], NULL, &attr, argv, environ);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) {
        if (rc == ENOENT && !strchr(argv[0], '/')) {
            fprintf(stderr, "%s: %s: command not found\n", cli->prog, argv[0]);
            return 127;
        }
        fprintf(stderr, "%s: %s: %s\n", cli->prog, argv[0], strerror(rc));
        return rc == ENOENT ? 127 : 126;
    }
    int st = 0;
    while (waitpid(pid, &st, 0) < 0) {
        if (errno != EINTR) return 127;
    }
    if (WIFEXITED(st)) return WEXITSTATUS(st);
    if (WIFSIGNALED(st)) return 128 + WTERMSIG(st);
    return 1;
}
#endif

static int apply_options(const Cli *cli, Shell *sh) {
    for (size_t k = 0; k < cli->nopts; k++) {
        const CliOpt *o = &cli->opts[k];
        if (shell_set_option(sh, o->name, o->on)) continue;
        if (o->letter) {
            /* A letter bash knows but this shell does not implement (e.g. -m):
             * say so, and go on as bash would with the option set. */
            fprintf(stderr, "%s: %c%c: option not supported, ignored\n", cli->prog,
                    o->on ? '-' : '+', o->letter);
            continue;
        }
        fprintf(stderr, "%s: %s: invalid %soption name\n", cli->prog, o->name,
                o->shopt ? "shell " : "");
        return 2;
    }
    return -1;
}

int main(int argc, char **argv) {
    Cli cli;
    memset(&cli, 0, sizeof cli);
    cli.argv0 = argc > 0 && argv[0] ? argv[0] : "wasmsh";
    cli.prog = base_name(cli.argv0);
    cli.opts = calloc((size_t)(argc > 0 ? argc : 1), sizeof *cli.opts);
    if (!cli.opts) {
        fprintf(stderr, "%s: out of memory\n", cli.prog);
        return 2;
    }
    int status = parse_args(&cli, argc, argv);
    if (status >= 0) {
        free(cli.opts);
        return status;
    }
    if (env_flag("WASMSH_HOST_EXEC")) cli.host_exec = true;
#ifndef WASMSH_HAVE_HOST_EXEC
    if (cli.host_exec && !getenv("WASMSH_HOST_EXEC")) {
        fprintf(stderr, "%s: --host-exec: not available in this build\n", cli.prog);
        free(cli.opts);
        return 2;
    }
    cli.host_exec = false;
#endif

    /* What to run, and the positional parameters. */
    char *script = NULL;
    size_t script_len = 0;
    const char *source_name = NULL;
    const char *dollar0 = cli.prog;
    int first = cli.first_arg;
    if (cli.command_mode) {
        if (first >= argc) {
            fprintf(stderr, "%s: -c: option requires an argument\n", cli.prog);
            free(cli.opts);
            return 2;
        }
        script_len = strlen(argv[first]);
        script = malloc(script_len + 1);
        if (!script) {
            free(cli.opts);
            return 2;
        }
        memcpy(script, argv[first], script_len + 1);
        first++;
        if (first < argc) dollar0 = argv[first++];
    } else if (!cli.read_stdin && first < argc) {
        status = read_script_file(&cli, argv[first], &script, &script_len);
        if (status >= 0) {
            free(cli.opts);
            return status;
        }
        source_name = argv[first];
        dollar0 = argv[first];
        first++;
    } else {
        script = read_fd(0, &script_len);
        source_name = "-";
        if (!script) {
            fprintf(stderr, "%s: stdin: %s\n", cli.prog, strerror(errno));
            free(cli.opts);
            return 2;
        }
    }

    ShellHost host;
    memset(&host, 0, sizeof host);
    host.ctx = &cli;
#ifdef WASMSH_HAVE_HOST_EXEC
    if (cli.host_exec) host.host_exec = cli_host_exec;
#endif
    Shell *sh = shell_new(&host, cli.prog);
    if (!sh) {
        fprintf(stderr, "%s: cannot create the shell\n", cli.prog);
        free(script);
        free(cli.opts);
        return 2;
    }
    shell_set_limits(sh, &cli.limits);
    shell_import_env(sh, environ);
    shell_set_args(sh, dollar0, argc - first, argv + first);
    status = apply_options(&cli, sh);
    if (status < 0) {
        if (cli.noexec) {
            status = shell_check_syntax(sh, script, script_len);
        } else {
            status = shell_run(sh, script, script_len, source_name);
            /* The script ended without `exit`: leave the way bash does, so
             * that an EXIT trap runs (and may still change the status). Not
             * after a budget stop, whose status must stand. */
            if (!shell_has_exited(sh) && !shell_stop_reason(sh)) status = shell_finish(sh, status);
        }
    }
    shell_free(sh);
    free(script);
    free(cli.opts);
    return status & 0xff;
}
