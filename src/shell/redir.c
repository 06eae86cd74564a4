/* redir.c - redirections: opening files and special paths as streams and
 * installing them on the shell's virtual fds, with an undo record so a
 * command's redirections end with it. */
#include "state.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void fd_set_stream(Shell *sh, int fd, Stream *s, RedirUndo *undo) {
    if (undo) {
        if (undo->n == undo->cap) {
            undo->cap = undo->cap ? undo->cap * 2 : 4;
            undo->v = xrealloc(undo->v, (size_t)undo->cap * sizeof *undo->v);
        }
        undo->v[undo->n++] = (RedirSave){fd, sh->fds[fd]};
    } else {
        stream_unref(sh, sh->fds[fd]);
    }
    sh->fds[fd] = s;
}

void redir_undo(Shell *sh, RedirUndo *undo) {
    for (int i = undo->n - 1; i >= 0; i--) {
        int fd = undo->v[i].fd;
        stream_unref(sh, sh->fds[fd]);
        sh->fds[fd] = undo->v[i].old;
    }
    free(undo->v);
    undo->v = NULL;
    undo->n = undo->cap = 0;
}

Stream *open_path_stream(Shell *sh, const char *path, int flags, int mode, int *err) {
    Stream *s = NULL;
    if (!strcmp(path, "/dev/null")) s = stream_new(ST_NULL);
    else if (!strcmp(path, "/dev/zero")) s = stream_new(ST_ZERO);
    else if (!strcmp(path, "/dev/urandom") || !strcmp(path, "/dev/random")) s = stream_new(ST_RANDOM);
    else if (!strcmp(path, "/dev/stdin") || !strcmp(path, "/dev/stdout") || !strcmp(path, "/dev/stderr") ||
             !strncmp(path, "/dev/fd/", 8)) {
        int fd = !strcmp(path, "/dev/stdin") ? 0 : !strcmp(path, "/dev/stdout") ? 1
               : !strcmp(path, "/dev/stderr") ? 2 : atoi(path + 8);
        if (fd < 0 || fd >= SH_MAXFD || !sh->fds[fd]) { *err = EBADF; return NULL; }
        return stream_ref(sh->fds[fd]);
    } else if (!strcmp(path, "/dev/tty")) {
        s = stream_new(ST_HOST_OUT);
        s->fd = 2;
    }
    if (s) { s->readable = s->writable = true; return s; }
    bool writing = (flags & (O_WRONLY | O_RDWR)) != 0;
    if (writing && sh->run->lim.no_fs_writes) { *err = EROFS; return NULL; }
    int fd = open(path, flags | O_CLOEXEC, mode);
    if (fd < 0) { *err = errno; return NULL; }
    struct stat st;
    if (!writing && fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        /* reading a directory fails at read time in bash; report it now */
    }
    s = stream_new(ST_FILE);
    s->fd = fd;
    s->readable = !(flags & O_WRONLY);
    s->writable = writing;
    return s;
}

static int open_error(Shell *sh, const char *path, int err) {
    shell_errorf(sh, "%s: %s", path, strerror(err));
    return 1;
}

static int dup_redir(Shell *sh, const Redir *r, int fd, const char *target, RedirUndo *undo) {
    size_t tl = strlen(target);
    if (!strcmp(target, "-")) {
        fd_set_stream(sh, fd, NULL, undo);
        return 0;
    }
    bool move = tl > 1 && target[tl - 1] == '-';
    char *num = xstrndup(target, move ? tl - 1 : tl);
    char *end;
    long src = strtol(num, &end, 10);
    bool numeric = num[0] && !*end;
    free(num);
    if (!numeric) {
        if (r->op == R_DUPOUT && fd == 1) {
            /* >&word is &>word */
            int err = 0;
            Stream *s = open_path_stream(sh, target, O_WRONLY | O_CREAT | O_TRUNC, 0666, &err);
            if (!s) return open_error(sh, target, err);
            fd_set_stream(sh, 1, s, undo);
            fd_set_stream(sh, 2, stream_ref(s), undo);
            return 0;
        }
        shell_errorf(sh, "%s: ambiguous redirect", target);
        return 1;
    }
    if (src < 0 || src >= SH_MAXFD || !sh->fds[src]) {
        shell_errorf(sh, "%ld: Bad file descriptor", src);
        return 1;
    }
    if (src == fd) return 0;
    fd_set_stream(sh, fd, stream_ref(sh->fds[src]), undo);
    if (move) fd_set_stream(sh, (int)src, NULL, undo);
    return 0;
}

static int alloc_fd_var(Shell *sh, const char *var) {
    for (int fd = 10; fd < SH_MAXFD; fd++) {
        if (!sh->fds[fd]) {
            char buf[16];
            snprintf(buf, sizeof buf, "%d", fd);
            var_set(sh, var, buf);
            return fd;
        }
    }
    return -1;
}

int redir_apply(Shell *sh, const Redir *r, RedirUndo *undo) {
    int fd = r->fd;
    bool input = r->op == R_IN || r->op == R_DUPIN || r->op == R_HEREDOC || r->op == R_HERESTR || r->op == R_RDWR;
    if (fd < 0) fd = input ? 0 : 1;
    if (r->fd_var) {
        if (r->op == R_DUPOUT || r->op == R_DUPIN) {
            char *t = NULL;
            if (expand_string(sh, r->target, &t)) { free(t); return 1; }
            if (!strcmp(t, "-")) {
                const char *v = var_get(sh, r->fd_var);
                int vfd = v ? atoi(v) : -1;
                free(t);
                if (vfd >= 0 && vfd < SH_MAXFD) fd_set_stream(sh, vfd, NULL, NULL);
                return 0;
            }
            free(t);
        }
        fd = alloc_fd_var(sh, r->fd_var);
        if (fd < 0) { shell_errorf(sh, "redirection error: cannot duplicate fd"); return 1; }
        undo = NULL; /* {var} fds outlive the command */
    }
    if (fd >= SH_MAXFD) { shell_errorf(sh, "%d: Bad file descriptor", fd); return 1; }
    if (r->op == R_HEREDOC || r->op == R_HERESTR) {
        char *text = NULL;
        int st;
        if (r->op == R_HEREDOC) {
            if (r->heredoc_expand) st = expand_heredoc(sh, r->target, &text);
            else { text = xstrdup(r->target); st = 0; }
        } else {
            st = expand_string(sh, r->target, &text);
        }
        if (st) { free(text); return 1; }
        Stream *s = stream_new(ST_BUFFER);
        s->readable = true;
        sb_puts(&s->data, text);
        if (r->op == R_HERESTR) sb_putc(&s->data, '\n');
        free(text);
        fd_set_stream(sh, fd, s, undo);
        return 0;
    }
    char *target = NULL;
    if (expand_redir_target(sh, r->target, &target)) return 1;
    int st = 0;
    if (r->op == R_DUPIN || r->op == R_DUPOUT) {
        st = dup_redir(sh, r, fd, target, undo);
        free(target);
        return st;
    }
    int flags = 0;
    switch (r->op) {
    case R_IN: flags = O_RDONLY; break;
    case R_OUT: case R_CLOBBER: case R_ALL: flags = O_WRONLY | O_CREAT | O_TRUNC; break;
    case R_APPEND: case R_ALL_APPEND: flags = O_WRONLY | O_CREAT | O_APPEND; break;
    case R_RDWR: flags = O_RDWR | O_CREAT; break;
    default: break;
    }
    if (sh->opt.noclobber && (r->op == R_OUT || r->op == R_ALL)) {
        struct stat stt;
        if (stat(target, &stt) == 0 && S_ISREG(stt.st_mode)) {
            shell_errorf(sh, "%s: cannot overwrite existing file", target);
            free(target);
            return 1;
        }
    }
    int err = 0;
    Stream *s = open_path_stream(sh, target, flags, 0666, &err);
    if (!s) {
        st = open_error(sh, target, err);
        free(target);
        return st;
    }
    if (r->op == R_ALL || r->op == R_ALL_APPEND) {
        fd_set_stream(sh, 1, s, undo);
        fd_set_stream(sh, 2, stream_ref(s), undo);
    } else {
        fd_set_stream(sh, fd, s, undo);
    }
    free(target);
    return 0;
}
