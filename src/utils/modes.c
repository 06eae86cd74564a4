/* modes.c - chmod-style mode parsing and ls-style mode strings (see modes.h). */
#include "modes.h"

#include <string.h>
#include <sys/stat.h>

enum { ALL_BITS = 07777 };

static bool parse_octal(const char *s, mode_t *out) {
    mode_t v = 0;
    if (!*s) return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '7') return false;
        v = v * 8 + (mode_t)(*s - '0');
        if (v > ALL_BITS) return false;
    }
    *out = v;
    return true;
}

static mode_t who_bits(char w) {
    switch (w) {
    case 'u': return S_IRWXU | S_ISUID;
    case 'g': return S_IRWXG | S_ISGID;
    case 'o': return S_IRWXO | S_ISVTX;
    default: return ALL_BITS;
    }
}

/* The rwx bits of class c in m, spread to all three classes. */
static mode_t copy_bits(mode_t m, char c) {
    mode_t three = c == 'u' ? (m >> 6) & 7 : c == 'g' ? (m >> 3) & 7 : m & 7;
    return three << 6 | three << 3 | three;
}

static mode_t perm_bits(const char **p, mode_t cur, bool is_dir) {
    mode_t bits = 0;
    if (**p && strchr("ugo", **p)) return copy_bits(cur, *(*p)++);
    for (; **p && strchr("rwxXst", **p); (*p)++) {
        switch (**p) {
        case 'r': bits |= S_IRUSR | S_IRGRP | S_IROTH; break;
        case 'w': bits |= S_IWUSR | S_IWGRP | S_IWOTH; break;
        case 'x': bits |= S_IXUSR | S_IXGRP | S_IXOTH; break;
        case 'X':
            if (is_dir || (cur & (S_IXUSR | S_IXGRP | S_IXOTH))) bits |= S_IXUSR | S_IXGRP | S_IXOTH;
            break;
        case 's': bits |= S_ISUID | S_ISGID; break;
        default: bits |= S_ISVTX; break;
        }
    }
    return bits;
}

/* One clause "[ugoa]*([-+=]perms)+"; advances *p. */
static bool parse_clause(const char **p, mode_t *cur, bool is_dir, mode_t umask_bits) {
    mode_t who = 0;
    for (; **p && strchr("ugoa", **p); (*p)++) who |= who_bits(**p);
    bool filtered = !who;
    if (!who) who = ALL_BITS;
    if (!**p || !strchr("+-=", **p)) return false;
    while (**p && strchr("+-=", **p)) {
        char op = *(*p)++;
        mode_t bits = perm_bits(p, *cur, is_dir) & who;
        if (filtered) bits &= ~umask_bits;
        if (op == '=') *cur = (*cur & ~(who & ALL_BITS)) | bits;
        else if (op == '+') *cur |= bits;
        else *cur &= ~bits;
    }
    return true;
}

bool u_mode_parse(const char *s, mode_t base, bool is_dir, mode_t umask_bits, mode_t *out) {
    if (*s >= '0' && *s <= '7') return parse_octal(s, out);
    mode_t cur = base & ALL_BITS;
    const char *p = s;
    for (;;) {
        if (!parse_clause(&p, &cur, is_dir, umask_bits)) return false;
        if (!*p) break;
        if (*p++ != ',') return false;
    }
    *out = cur;
    return true;
}

mode_t u_umask(void) {
    mode_t m = umask(022);
    umask(m);
    return m;
}

static char type_char(mode_t m) {
    if (S_ISDIR(m)) return 'd';
    if (S_ISLNK(m)) return 'l';
    if (S_ISCHR(m)) return 'c';
    if (S_ISBLK(m)) return 'b';
    if (S_ISFIFO(m)) return 'p';
    if (S_ISSOCK(m)) return 's';
    return '-';
}

void u_mode_string(mode_t m, char out[11]) {
    static const char rwx[] = "rwxrwxrwx";
    out[0] = type_char(m);
    for (int i = 0; i < 9; i++) out[1 + i] = (m & (1u << (8 - i))) ? rwx[i] : '-';
    if (m & S_ISUID) out[3] = (m & S_IXUSR) ? 's' : 'S';
    if (m & S_ISGID) out[6] = (m & S_IXGRP) ? 's' : 'S';
    if (m & S_ISVTX) out[9] = (m & S_IXOTH) ? 't' : 'T';
    out[10] = 0;
}
