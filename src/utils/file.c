/* file.c - the file utility for the common types, worded as Debian's file
 * 5.44: empty, directories, symlinks, devices; ELF, WebAssembly, PNG, GIF,
 * JPEG, PDF, gzip, bzip2, xz, zip, tar; scripts by their #! line; JSON,
 * HTML, XML; ASCII / UTF-8 / UTF-16 / ISO-8859 text with line-terminator
 * and long-line notes; otherwise "data". -b, -i, --mime-type, --mime-encoding,
 * -L/-h, -0? no; -F SEP, -N accepted, -f FILE. */
#include "ucommon.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#define PEEK (1 << 20) /* file looks at the first MiB */

typedef struct Kind {
    unsigned char tail[4]; /* the file's last 4 bytes (gzip's size) */
    bool have_tail;
    StrBuf desc;
    const char *mime;
    const char *charset; /* NULL: binary */
} Kind;

/* ---------------- text ---------------- */

typedef struct TextInfo {
    int enc; /* 0 not text, 1 ASCII, 2 UTF-8, 3 ISO-8859, 4 extended ASCII */
    bool crlf, cr, lf, escapes, overstrike;
    size_t longest;
    bool ends_without_newline;
} TextInfo;

static int utf8_len(const unsigned char *p, size_t n) {
    if (p[0] < 0x80) return 1;
    int len = p[0] >= 0xf0 && p[0] < 0xf5 ? 4 : p[0] >= 0xe0 ? 3 : p[0] >= 0xc2 && p[0] < 0xe0 ? 2 : 0;
    if (!len || (size_t)len > n) return 0;
    for (int i = 1; i < len; i++)
        if ((p[i] & 0xc0) != 0x80) return 0;
    return len;
}

static bool text_byte(unsigned char b) {
    return (b >= 0x20 && b < 0x7f) || b == '\t' || b == '\n' || b == '\r' || b == '\f' || b == '\b' || b == 0x1b ||
           b == '\a' || b == '\v';
}

static void classify_text(const unsigned char *d, size_t n, TextInfo *t) {
    memset(t, 0, sizeof *t);
    bool ascii = true, utf8 = true, latin = true, ext = true;
    size_t line = 0;
    for (size_t i = 0; i < n;) {
        unsigned char b = d[i];
        int step = 1;
        if (b < 0x80) {
            if (!text_byte(b)) return;
        } else {
            ascii = false;
            int l = utf8_len(d + i, n - i);
            if (!l) utf8 = false;
            else if (utf8) step = l;
            if (b < 0xa0) latin = false;
        }
        if (!utf8) step = 1;
        if (b == '\n') {
            t->lf |= !(i && d[i - 1] == '\r');
            if (i && d[i - 1] == '\r') t->crlf = true;
            if (line > t->longest) t->longest = line;
            line = 0;
        } else if (b == '\r') {
            if (i + 1 >= n || d[i + 1] != '\n') {
                t->cr = true;
                if (line > t->longest) t->longest = line;
                line = 0;
            }
        } else {
            if (b == 0x1b) t->escapes = true;
            if (b == '\b') t->overstrike = true;
            line++;
        }
        i += (size_t)step;
    }
    if (line > t->longest) t->longest = line;
    t->ends_without_newline = !t->lf && !t->crlf && !t->cr;
    (void)ext;
    t->enc = ascii ? 1 : utf8 ? 2 : latin ? 3 : 4;
}

static void text_notes(StrBuf *b, const TextInfo *t) {
    if (t->longest > 300) sb_printf(b, ", with very long lines (%zu)", t->longest);
    int kinds = t->crlf + t->cr + t->lf;
    if (t->ends_without_newline) sb_puts(b, ", with no line terminators");
    else if (kinds > 1 || t->crlf || t->cr) {
        sb_puts(b, ", with ");
        bool first = true;
        if (t->crlf) sb_puts(b, "CRLF"), first = false;
        if (t->cr) sb_puts(b, first ? "CR" : ", CR"), first = false;
        if (t->lf && kinds > 1) sb_puts(b, first ? "LF" : ", LF");
        sb_puts(b, " line terminators");
    }
    if (t->escapes) sb_puts(b, ", with escape sequences");
    if (t->overstrike) sb_puts(b, ", with overstriking");
}

static const char *enc_name(int enc) {
    return enc == 1 ? "ASCII text" : enc == 2 ? "Unicode text, UTF-8 text" : enc == 3 ? "ISO-8859 text"
                                                                                 : "Non-ISO extended-ASCII text";
}

static const char *enc_charset(int enc) {
    return enc == 1 ? "us-ascii" : enc == 2 ? "utf-8" : enc == 3 ? "iso-8859-1" : "unknown-8bit";
}

/* ---------------- JSON (file's is_json: an object or array) ---------------- */

static void js_ws(const unsigned char *d, size_t n, size_t *i) {
    while (*i < n && (d[*i] == ' ' || d[*i] == '\t' || d[*i] == '\n' || d[*i] == '\r')) (*i)++;
}

static bool js_value(const unsigned char *d, size_t n, size_t *i, int depth);

static bool js_string(const unsigned char *d, size_t n, size_t *i) {
    if (*i >= n || d[*i] != '"') return false;
    for ((*i)++; *i < n; (*i)++) {
        if (d[*i] == '\\') (*i)++;
        else if (d[*i] == '"') return (*i)++, true;
        else if (d[*i] < 0x20) return false;
    }
    return false;
}

static bool js_value(const unsigned char *d, size_t n, size_t *i, int depth) {
    js_ws(d, n, i);
    if (*i >= n || depth > 200) return false;
    unsigned char ch = d[*i];
    if (ch == '{' || ch == '[') {
        unsigned char close = ch == '{' ? '}' : ']';
        (*i)++;
        js_ws(d, n, i);
        if (*i < n && d[*i] == close) return (*i)++, true;
        for (;;) {
            if (ch == '{') {
                js_ws(d, n, i);
                if (!js_string(d, n, i)) return false;
                js_ws(d, n, i);
                if (*i >= n || d[*i] != ':') return false;
                (*i)++;
            }
            if (!js_value(d, n, i, depth + 1)) return false;
            js_ws(d, n, i);
            if (*i < n && d[*i] == ',') {
                (*i)++;
                continue;
            }
            if (*i < n && d[*i] == close) return (*i)++, true;
            return false;
        }
    }
    if (ch == '"') return js_string(d, n, i);
    static const char *const words[] = {"true", "false", "null"};
    for (int w = 0; w < 3; w++) {
        size_t l = strlen(words[w]);
        if (*i + l <= n && !memcmp(d + *i, words[w], l)) return *i += l, true;
    }
    size_t start = *i;
    if (d[*i] == '-') (*i)++;
    while (*i < n && ((d[*i] >= '0' && d[*i] <= '9') || d[*i] == '.' || d[*i] == 'e' || d[*i] == 'E' ||
                      d[*i] == '+' || d[*i] == '-'))
        (*i)++;
    return *i > start;
}

static bool is_json(const unsigned char *d, size_t n) {
    size_t i = 0;
    js_ws(d, n, &i);
    if (i >= n || (d[i] != '{' && d[i] != '[')) return false;
    if (!js_value(d, n, &i, 0)) return false;
    js_ws(d, n, &i);
    return i == n;
}

/* ---------------- scripts ---------------- */

static const char *script_kind(const unsigned char *d, size_t n, const char **mime, char *other, size_t cap) {
    if (n < 3 || d[0] != '#' || d[1] != '!') return NULL;
    size_t e = 2;
    while (e < n && d[e] != '\n') e++;
    char line[256];
    size_t l = e - 2 < sizeof line - 1 ? e - 2 : sizeof line - 1;
    memcpy(line, d + 2, l);
    line[l] = 0;
    char *p = line;
    while (*p == ' ') p++;
    char *prog = p;
    char *sp = strchr(prog, ' ');
    char first[128];
    snprintf(first, sizeof first, "%.*s", sp ? (int)(sp - prog) : (int)strlen(prog), prog);
    const char *base = strrchr(first, '/') ? strrchr(first, '/') + 1 : first;
    char interp[128];
    bool via_env = !strcmp(base, "env");
    if (via_env) {
        const char *a = sp ? sp + 1 : "";
        while (*a == ' ') a++;
        snprintf(interp, sizeof interp, "%s", a);
        if (interp[0] != '-') {
            char *s2 = strchr(interp, ' ');
            if (s2) *s2 = 0;
        }
    } else {
        snprintf(interp, sizeof interp, "%s", base);
    }
    *mime = "text/plain";
    if (!strcmp(interp, "sh") && !via_env) return *mime = "text/x-shellscript", "POSIX shell script";
    if (!strcmp(interp, "bash")) return *mime = "text/x-shellscript", "Bourne-Again shell script";
    if (!strcmp(interp, "zsh")) return *mime = "text/x-shellscript", "Paul Falstad's zsh script";
    if (!strncmp(interp, "python", 6)) return *mime = "text/x-script.python", "Python script";
    if (!strcmp(interp, "perl")) return *mime = "text/x-perl", "Perl script text executable";
    if (!strcmp(interp, "ruby")) return *mime = "text/x-ruby", "Ruby script";
    if (!strcmp(interp, "node")) return *mime = "application/javascript", "Node.js script executable";
    if (!strcmp(interp, "awk") || !strcmp(interp, "gawk")) return *mime = "text/x-awk", "awk script";
    if (!strcmp(interp, "tclsh") || !strcmp(interp, "wish")) return *mime = "text/x-tcl", "Tcl/Tk script";
    snprintf(other, cap, "a %s script", via_env ? interp : first);
    return other;
}

/* ---------------- binary formats ---------------- */

static uint32_t be32(const unsigned char *p) { return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3]; }

static uint64_t elf_word(const unsigned char *p, int size, bool le) {
    uint64_t v = 0;
    for (int i = 0; i < size; i++) v |= (uint64_t)p[le ? i : size - 1 - i] << (8 * i);
    return v;
}

static const char *elf_machine(unsigned m) {
    switch (m) {
    case 3: return "Intel 80386";
    case 8: return "MIPS, MIPS-I";
    case 20: return "PowerPC or cisco 4500";
    case 21: return "64-bit PowerPC or cisco 7500";
    case 40: return "ARM";
    case 62: return "x86-64";
    case 183: return "ARM aarch64";
    case 243: return "UCB RISC-V";
    default: return NULL;
    }
}

static void describe_elf(const unsigned char *d, size_t n, Kind *k) {
    bool is64 = d[4] == 2, le = d[5] == 1;
    unsigned type = (unsigned)elf_word(d + 16, 2, le), mach = (unsigned)elf_word(d + 18, 2, le);
    uint64_t phoff = elf_word(d + (is64 ? 32 : 28), is64 ? 8 : 4, le);
    uint64_t shoff = elf_word(d + (is64 ? 40 : 32), is64 ? 8 : 4, le);
    unsigned phentsize = (unsigned)elf_word(d + (is64 ? 54 : 42), 2, le), phnum = (unsigned)elf_word(d + (is64 ? 56 : 44), 2, le);
    unsigned shentsize = (unsigned)elf_word(d + (is64 ? 58 : 46), 2, le), shnum = (unsigned)elf_word(d + (is64 ? 60 : 48), 2, le);
    bool interp = false, dynamic = false;
    char interp_path[256] = "";
    StrBuf notes;
    sb_init(&notes);
    for (unsigned i = 0; i < phnum && phoff + (uint64_t)(i + 1) * phentsize <= n; i++) {
        const unsigned char *ph = d + phoff + (uint64_t)i * phentsize;
        unsigned pt = (unsigned)elf_word(ph, 4, le);
        if (pt == 2) dynamic = true;
        if (pt == 4) {
            uint64_t off = elf_word(ph + (is64 ? 8 : 4), is64 ? 8 : 4, le), sz = elf_word(ph + (is64 ? 32 : 16), is64 ? 8 : 4, le);
            for (uint64_t at = off; at + 12 <= off + sz && at + 12 <= n;) {
                uint32_t nsz = (uint32_t)elf_word(d + at, 4, le), dsz = (uint32_t)elf_word(d + at + 4, 4, le);
                uint32_t nt = (uint32_t)elf_word(d + at + 8, 4, le);
                uint64_t name = at + 12, desc = name + ((nsz + 3u) & ~3u);
                if (desc + dsz > n) break;
                if (nsz == 4 && !memcmp(d + name, "GNU", 4) && notes.len < 512) {
                    if (nt == 3) {
                        sb_printf(&notes, ", BuildID[%s]=", dsz == 20 ? "sha1" : dsz == 16 ? "md5" : "xxHash");
                        for (uint32_t j = 0; j < dsz; j++) sb_printf(&notes, "%02x", d[desc + j]);
                    } else if (nt == 1 && dsz >= 16 && elf_word(d + desc, 4, le) == 0) {
                        sb_printf(&notes, ", for GNU/Linux %u.%u.%u", (unsigned)elf_word(d + desc + 4, 4, le),
                                  (unsigned)elf_word(d + desc + 8, 4, le), (unsigned)elf_word(d + desc + 12, 4, le));
                    }
                }
                at = desc + ((dsz + 3u) & ~3u);
            }
        }
        if (pt == 3) {
            interp = true;
            uint64_t off = elf_word(ph + (is64 ? 8 : 4), is64 ? 8 : 4, le), sz = elf_word(ph + (is64 ? 32 : 16), is64 ? 8 : 4, le);
            if (off + sz <= n && sz < sizeof interp_path) memcpy(interp_path, d + off, (size_t)sz), interp_path[sz] = 0;
            if (sz && interp_path[sz - 1] == 0) {}
        }
    }
    bool symtab = false, debug = false;
    unsigned shstrndx = (unsigned)elf_word(d + (is64 ? 62 : 50), 2, le);
    uint64_t strtab = 0, strsz = 0;
    if (shstrndx < shnum && shoff + (uint64_t)(shstrndx + 1) * shentsize <= n) {
        const unsigned char *sh = d + shoff + (uint64_t)shstrndx * shentsize;
        strtab = elf_word(sh + (is64 ? 24 : 16), is64 ? 8 : 4, le);
        strsz = elf_word(sh + (is64 ? 32 : 20), is64 ? 8 : 4, le);
    }
    for (unsigned i = 0; i < shnum && shoff + (uint64_t)(i + 1) * shentsize <= n; i++) {
        const unsigned char *sh = d + shoff + (uint64_t)i * shentsize;
        if (elf_word(sh + 4, 4, le) == 2) symtab = true;
        uint64_t nm = elf_word(sh, 4, le);
        if (strtab && nm + 12 <= strsz && strtab + nm + 12 <= n && !memcmp(d + strtab + nm, ".debug_info", 12)) debug = true;
    }
    bool pie = false;
    for (unsigned i = 0; i < phnum && phoff + (uint64_t)(i + 1) * phentsize <= n; i++) {
        const unsigned char *ph = d + phoff + (uint64_t)i * phentsize;
        if (elf_word(ph, 4, le) != 2) continue;
        uint64_t off = elf_word(ph + (is64 ? 8 : 4), is64 ? 8 : 4, le), sz = elf_word(ph + (is64 ? 32 : 16), is64 ? 8 : 4, le);
        int w = is64 ? 8 : 4;
        for (uint64_t at = off; at + 2 * (uint64_t)w <= off + sz && at + 2 * (uint64_t)w <= n; at += 2 * (uint64_t)w) {
            uint64_t tag = elf_word(d + at, w, le);
            if (!tag) break;
            if (tag == 0x6ffffffb && (elf_word(d + at + w, w, le) & 0x08000000)) pie = true;
        }
    }
    const char *what = type == 1 ? "relocatable" : type == 2 ? "executable" : type == 3 ? (pie ? "pie executable" : "shared object")
                       : type == 4 ? "core file" : "unknown type";
    sb_printf(&k->desc, "ELF %s-bit %s %s", is64 ? "64" : "32", le ? "LSB" : "MSB", what);
    const char *m = elf_machine(mach);
    if (m) sb_printf(&k->desc, ", %s", m);
    else sb_printf(&k->desc, ", *unknown arch 0x%x*", mach);
    sb_printf(&k->desc, ", version %u (%s)", d[6], d[7] == 3 ? "GNU/Linux" : d[7] == 9 ? "FreeBSD" : "SYSV");
    if ((type == 2 || type == 3) && phnum) { /* file says nothing without program headers */
        if (dynamic || interp) sb_puts(&k->desc, ", dynamically linked");
        else sb_puts(&k->desc, ", statically linked");
        if (interp && interp_path[0]) sb_printf(&k->desc, ", interpreter %s", interp_path);
    }
    sb_puts(&k->desc, sb_cstr(&notes));
    sb_free(&notes);
    if (debug) sb_puts(&k->desc, ", with debug_info");
    /* as file 5.44: an object without sections says so; an executable
     * without program headers stops after its version */
    if (type == 1 && !shnum) sb_puts(&k->desc, ", no section header");
    else if (shoff && shnum && (phnum || type == 1)) sb_puts(&k->desc, symtab ? ", not stripped" : ", stripped");
    k->mime = type == 1 ? "application/x-object" : type == 2 ? "application/x-executable" : type == 3 ? (pie ? "application/x-pie-executable" : "application/x-sharedlib") : "application/x-coredump";
}

static bool describe_binary(const unsigned char *d, size_t n, Kind *k) {
    if (n >= 52 && !memcmp(d, "\x7f" "ELF", 4) && (d[4] == 1 || d[4] == 2)) {
        describe_elf(d, n, k);
        return true;
    }
    if (n >= 8 && !memcmp(d, "\0asm", 4)) {
        sb_printf(&k->desc, "WebAssembly (wasm) binary module version 0x%x%s", d[4] | d[5] << 8, d[4] == 1 ? " (MVP)" : "");
        k->mime = "application/wasm";
        return true;
    }
    if (n >= 24 && !memcmp(d, "\x89PNG\r\n\x1a\n", 8) && !memcmp(d + 12, "IHDR", 4)) {
        static const char *const color[] = {"grayscale", "", "RGB", "colormap", "gray+alpha", "", "RGBA"};
        unsigned ct = n > 25 ? d[25] : 0;
        sb_printf(&k->desc, "PNG image data, %u x %u, %u-bit%s%s, %s", be32(d + 16), be32(d + 20), n > 24 ? d[24] : 8,
                  ct == 3 ? " " : "/color ", ct < 7 ? color[ct] : "", n > 28 && d[28] ? "interlaced" : "non-interlaced");
        k->mime = "image/png";
        return true;
    }
    if (n >= 10 && (!memcmp(d, "GIF87a", 6) || !memcmp(d, "GIF89a", 6))) {
        sb_printf(&k->desc, "GIF image data, version %.3s, %u x %u", d + 3, d[6] | d[7] << 8, d[8] | d[9] << 8);
        k->mime = "image/gif";
        return true;
    }
    if (n >= 3 && !memcmp(d, "\xff\xd8\xff", 3)) {
        sb_puts(&k->desc, "JPEG image data");
        if (n >= 11 && !memcmp(d + 6, "JFIF", 4)) sb_printf(&k->desc, ", JFIF standard");
        k->mime = "image/jpeg";
        return true;
    }
    if (n >= 8 && !memcmp(d, "%PDF-", 5)) {
        size_t l = 0;
        while (5 + l < n && l < 8 && d[5 + l] != '\n' && d[5 + l] != '\r' && d[5 + l] != ' ') l++;
        sb_printf(&k->desc, "PDF document, version %.*s", (int)l, d + 5);
        k->mime = "application/pdf";
        k->charset = "us-ascii";
        return true;
    }
    if (n >= 10 && d[0] == 0x1f && d[1] == 0x8b) {
        sb_puts(&k->desc, "gzip compressed data");
        uint32_t mtime = d[4] | d[5] << 8 | d[6] << 16 | (uint32_t)d[7] << 24;
        if (d[3] & 8) {
            size_t e = 10;
            while (e < n && d[e]) e++;
            sb_printf(&k->desc, ", was \"%.*s\"", (int)(e - 10), d + 10);
        }
        if (mtime) {
            time_t t = (time_t)mtime;
            struct tm tm;
            gmtime_r(&t, &tm);
            char buf[64];
            strftime(buf, sizeof buf, "%a %b %e %H:%M:%S %Y", &tm);
            sb_printf(&k->desc, ", last modified: %s", buf);
        }
        if (d[8] == 2) sb_puts(&k->desc, ", max compression");
        else if (d[8] == 4) sb_puts(&k->desc, ", max speed");
        static const char *const os[] = {"FAT filesystem (MS-DOS, OS/2, NT)", "Amiga", "VMS", "Unix"};
        if (d[9] < 4) sb_printf(&k->desc, ", from %s", os[d[9]]);
        if (k->have_tail)
            sb_printf(&k->desc, ", original size modulo 2^32 %u",
                      k->tail[0] | k->tail[1] << 8 | k->tail[2] << 16 | (uint32_t)k->tail[3] << 24);
        k->mime = "application/gzip";
        return true;
    }
    if (n >= 4 && !memcmp(d, "BZh", 3) && d[3] >= '1' && d[3] <= '9') {
        sb_printf(&k->desc, "bzip2 compressed data, block size = %c00k", d[3]);
        k->mime = "application/x-bzip2";
        return true;
    }
    if (n >= 6 && !memcmp(d, "\xfd" "7zXZ\0", 6)) {
        sb_puts(&k->desc, "XZ compressed data, checksum");
        k->mime = "application/x-xz";
        return true;
    }
    if (n >= 4 && !memcmp(d, "PK\x05\x06", 4)) {
        sb_puts(&k->desc, "Zip archive data (empty)");
        k->mime = "application/zip";
        return true;
    }
    if (n >= 30 && !memcmp(d, "PK\x03\x04", 4)) {
        unsigned ver = d[4] | d[5] << 8, method = d[8] | d[9] << 8;
        const char *meth = method == 0 ? "store" : method == 8 ? "deflate" : method == 12 ? "bzip2" : NULL;
        sb_printf(&k->desc, "Zip archive data, at least v%u.%u to extract", ver / 10, ver % 10);
        if (meth) sb_printf(&k->desc, ", compression method=%s", meth);
        k->mime = "application/zip";
        return true;
    }
    if (n >= 512 && !memcmp(d + 257, "ustar", 5)) {
        sb_puts(&k->desc, !memcmp(d + 257, "ustar  \0", 8) ? "POSIX tar archive (GNU)" : "POSIX tar archive");
        k->mime = "application/x-tar";
        return true;
    }
    if (n >= 2 && ((d[0] == 0xff && d[1] == 0xfe) || (d[0] == 0xfe && d[1] == 0xff))) {
        bool le = d[0] == 0xff;
        bool nl = false;
        for (size_t i = 2; i + 1 < n; i += 2)
            if ((le ? d[i] : d[i + 1]) == '\n' && !(le ? d[i + 1] : d[i])) nl = true;
        sb_printf(&k->desc, "Unicode text, UTF-16, %s-endian text%s", le ? "little" : "big",
                  nl ? "" : ", with no line terminators");
        k->mime = "text/plain";
        k->charset = le ? "utf-16le" : "utf-16be";
        return true;
    }
    return false;
}

/* ---------------- putting it together ---------------- */

static bool starts_ci(const unsigned char *d, size_t n, const char *s) {
    size_t l = strlen(s), i = 0;
    while (i < n && (d[i] == ' ' || d[i] == '\n' || d[i] == '\t' || d[i] == '\r')) i++;
    if (n - i < l) return false;
    for (size_t j = 0; j < l; j++)
        if ((d[i + j] | 0x20) != (s[j] | 0x20)) return false;
    return true;
}

static void describe_data(const unsigned char *d, size_t n, bool exec_bit, Kind *k) {
    if (!n) {
        sb_puts(&k->desc, "empty");
        k->mime = "inode/x-empty";
        return;
    }
    if (describe_binary(d, n, k)) return;
    if (n == 1) {
        sb_puts(&k->desc, "very short file (no magic)");
        k->mime = "application/octet-stream";
        return;
    }
    TextInfo t;
    classify_text(d, n, &t);
    if (!t.enc) {
        sb_puts(&k->desc, "data");
        k->mime = "application/octet-stream";
        return;
    }
    k->charset = enc_charset(t.enc);
    k->mime = "text/plain";
    const char *smime, *script;
    char other[192];
    (void)exec_bit;
    if ((script = script_kind(d, n, &smime, other, sizeof other))) {
        k->mime = smime;
        if (!strcmp(script, "Perl script text executable")) {
            sb_puts(&k->desc, script);
        } else if (!strcmp(script, "Node.js script executable")) {
            sb_printf(&k->desc, "%s, %s", script, enc_name(t.enc));
        } else {
            sb_printf(&k->desc, "%s, %s executable", script, enc_name(t.enc));
        }
        text_notes(&k->desc, &t);
        return;
    }
    if (is_json(d, n)) {
        sb_puts(&k->desc, "JSON text data");
        k->mime = "application/json";
        return;
    }
    if (starts_ci(d, n, "<!doctype html") || starts_ci(d, n, "<html")) {
        sb_printf(&k->desc, "HTML document, %s", enc_name(t.enc));
        k->mime = "text/html";
    } else if (starts_ci(d, n, "<?xml version=\"")) {
        size_t i = 0;
        while (d[i] != '<') i++;
        sb_printf(&k->desc, "XML %.3s document, %s", d + i + 15, enc_name(t.enc));
        k->mime = "text/xml";
    } else {
        sb_puts(&k->desc, enc_name(t.enc));
    }
    text_notes(&k->desc, &t);
}

typedef struct FileOpts {
    bool brief, deref, mime_type, mime_enc, no_pad;
    const char *sep;
} FileOpts;

static void describe_path(UtilCtx *c, const FileOpts *o, const char *path, Kind *k) {
    (void)c;
    struct stat st;
    if ((o->deref ? stat(path, &st) : lstat(path, &st)) != 0) {
        int err = errno;
        sb_printf(&k->desc, "cannot open `%s' (%s)", path, u_strerror(err));
        k->mime = "cannot";
        return;
    }
    if (S_ISLNK(st.st_mode)) {
        char buf[4096];
        ssize_t n = readlink(path, buf, sizeof buf - 1);
        buf[n > 0 ? n : 0] = 0;
        struct stat tt;
        sb_printf(&k->desc, "%ssymbolic link to %s", stat(path, &tt) == 0 ? "" : "broken ", buf);
        k->mime = "inode/symlink";
        return;
    }
    if (S_ISDIR(st.st_mode)) {
        sb_puts(&k->desc, "directory");
        k->mime = "inode/directory";
        return;
    }
    if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
        sb_printf(&k->desc, "%s special (%u/%u)", S_ISCHR(st.st_mode) ? "character" : "block", major(st.st_rdev),
                  minor(st.st_rdev));
        k->mime = S_ISCHR(st.st_mode) ? "inode/chardevice" : "inode/blockdevice";
        return;
    }
    if (S_ISFIFO(st.st_mode)) {
        sb_puts(&k->desc, "fifo (named pipe)");
        k->mime = "inode/fifo";
        return;
    }
    if (S_ISSOCK(st.st_mode)) {
        sb_puts(&k->desc, "socket");
        k->mime = "inode/socket";
        return;
    }
    UcFile *f = uc_open(c, path, "r");
    if (!f) {
        sb_printf(&k->desc, "cannot open `%s' (%s)", path, u_strerror(errno));
        k->mime = "cannot";
        return;
    }
    size_t cap = st.st_size < PEEK ? (size_t)st.st_size + 1 : PEEK;
    unsigned char *buf = xmalloc(cap);
    size_t n = 0;
    ssize_t got;
    while (n < cap && (got = uc_fread(f, buf + n, cap - n)) > 0) n += (size_t)got;
    uc_close(f);
    if (n >= 4 && (off_t)n >= st.st_size) {
        memcpy(k->tail, buf + n - 4, 4);
        k->have_tail = true;
    } else if (st.st_size >= 4) {
        int fd = open(path, O_RDONLY);
        if (fd >= 0 && pread(fd, k->tail, 4, st.st_size - 4) == 4) k->have_tail = true;
        if (fd >= 0) close(fd);
    }
    describe_data(buf, n, (st.st_mode & 0111) != 0, k);
    free(buf);
}

static const UOptLong file_longs[] = {
    {"brief", UO_NOARG, 'b'}, {"mime", UO_NOARG, 'i'}, {"mime-type", UO_NOARG, 'T' + 0x100},
    {"mime-encoding", UO_NOARG, 'E' + 0x100}, {"dereference", UO_NOARG, 'L'}, {"no-dereference", UO_NOARG, 'h'},
    {"no-pad", UO_NOARG, 'N'}, {"separator", UO_REQ, 'F'}, {"files-from", UO_REQ, 'f'},
    {"print0", UO_NOARG, '0'}, {"keep-going", UO_NOARG, 'k'}, {"raw", UO_NOARG, 'r'}, {"special-files", UO_NOARG, 's'},
    {"uncompress", UO_NOARG, 'z'}, {NULL, 0, 0},
};

int util_file_main(UtilCtx *c, int argc, char **argv) {
    FileOpts fo = {.sep = ":"};
    UOpts o;
    uopt_init(&o, c, argc, argv, "bihLNF:f:0krszE", file_longs);
    StrList names;
    sl_init(&names);
    int k, r = -1;
    while (r < 0 && (k = uopt_next(&o)) != UO_END) {
        switch (k) {
        case 'b': fo.brief = true; break;
        case 'i': fo.mime_type = fo.mime_enc = true; break;
        case 'T' + 0x100: fo.mime_type = true; break;
        case 'E' + 0x100: fo.mime_enc = true; break;
        case 'L': fo.deref = true; break;
        case 'h': fo.deref = false; break;
        case 'N': fo.no_pad = true; break;
        case 'F': fo.sep = o.arg; break;
        case 'f': {
            UcFile *f = u_open_in(c, o.arg);
            if (!f) {
                r = 1;
                break;
            }
            char *line = NULL;
            size_t cap = 0;
            ssize_t n;
            while ((n = uc_getdelim(f, &line, &cap, '\n')) >= 0) {
                if (n && line[n - 1] == '\n') line[--n] = 0;
                if (n) sl_push_copy(&names, line);
            }
            free(line);
            uc_close(f);
            break;
        }
        case '0': case 'k': case 'r': case 's': case 'z': case 'E': break;
        case UO_HELP: r = u_help(c, "[OPTION...] [FILE...]"); break;
        case UO_VERSION: r = (uc_puts(c, 1, "file-5.44\nmagic file from /usr/share/misc/magic\n"), 0); break;
        default: r = 1; break;
        }
    }
    for (size_t i = 0; i < o.ops.n; i++) sl_push_copy(&names, o.ops.v[i]);
    if (r < 0 && !names.n) {
        uc_puts(c, 2, "Usage: file [-bcCdEhikLlNnprsSvzZ0] [--apple] [--extension] [--mime-encoding]\n"
                      "            [--mime-type] [-e <testname>] [-F <separator>]  [-f <namefile>]\n"
                      "            [-m <magicfiles>] [-P <parameter=value>] [--exclude-quiet]\n"
                      "            <file> ...\n       file -C [-m <magicfiles>]\n       file [--help]\n");
        r = 1;
    }
    if (r >= 0) {
        sl_free(&names);
        uopt_free(&o);
        return r;
    }
    size_t width = 0;
    for (size_t i = 0; i < names.n; i++)
        if (strlen(names.v[i]) > width) width = strlen(names.v[i]);
    UOut out;
    uout_init(&out, c, 1);
    for (size_t i = 0; i < names.n && !uc_should_stop(c); i++) {
        Kind kd = {.mime = "application/octet-stream"};
        sb_init(&kd.desc);
        describe_path(c, &fo, names.v[i], &kd);
        bool failed = !strcmp(kd.mime, "cannot");
        if (!fo.brief) {
            uout_printf(&out, "%s%s", names.v[i], fo.sep);
            if (!fo.no_pad)
                for (size_t p = strlen(names.v[i]); p < width; p++) uout_putc(&out, ' ');
            uout_putc(&out, ' ');
        }
        if (failed || (!fo.mime_type && !fo.mime_enc)) {
            uout_puts(&out, sb_cstr(&kd.desc));
        } else {
            if (fo.mime_type) uout_puts(&out, kd.mime);
            if (fo.mime_type && fo.mime_enc) uout_puts(&out, "; charset=");
            if (fo.mime_enc) uout_puts(&out, kd.charset ? kd.charset : "binary");
        }
        uout_putc(&out, '\n');
        sb_free(&kd.desc);
    }
    int w = uout_close(&out);
    sl_free(&names);
    uopt_free(&o);
    return w;
}
