/* rx.h - internals of the regex engine shared by its parts: the syntax tree
 * (parse.c), the byte program (compile.c), the matchers (pike.c,
 * backtrack.c, dfa.c) and Unicode helpers (unicode.c). Not part of the API. */
#ifndef WASMSH_RX_H
#define WASMSH_RX_H

#include "regex.h"

#include <stdint.h>

/* ---- code points, ranges and classes ---- */
typedef struct RxRange {
    uint32_t lo, hi;
} RxRange;

typedef struct RxClass {
    RxRange *v;
    int n, cap;
} RxClass;

void rxc_add(RxClass *c, uint32_t lo, uint32_t hi);
void rxc_normalize(RxClass *c);                 /* sort and merge */
void rxc_negate(RxClass *c, uint32_t maxcp);    /* complement within [0, maxcp] */
void rxc_fold(RxClass *c, bool bytes);          /* add case variants */
void rxc_free(RxClass *c);
/* Adds the members of a POSIX class name ("alpha", ...); false if unknown. */
bool rxc_add_named(RxClass *c, const char *name, size_t n, bool bytes);
/* \w \s \d \h as classes (Perl and GNU). */
void rxc_add_word(RxClass *c, bool bytes);
void rxc_add_space(RxClass *c, bool bytes);
void rxc_add_digit(RxClass *c);
void rxc_add_hspace(RxClass *c);
void rxc_add_vspace(RxClass *c);

uint32_t rx_lower(uint32_t cp);
uint32_t rx_upper(uint32_t cp);
bool rx_is_word_cp(uint32_t cp, bool bytes);
/* Decodes one UTF-8 character at s (n bytes available); returns its length
 * (1..4), or 0 when the bytes are not a valid character (then *cp = the byte). */
int rx_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);
int rx_utf8_encode(uint32_t cp, unsigned char *out);

/* ---- syntax tree ---- */
/* An N_CHAR that stands for one raw byte (not a character): an invalid UTF-8
 * byte in a pattern, or any byte >= 0x80 in byte mode. */
#define RX_RAW(b) (0x110000u + (uint32_t)(b))
#define RX_IS_RAW(cp) ((cp) >= 0x110000u)
#define RX_MAXCP 0x10FFFFu

typedef enum RxNodeKind {
    N_EMPTY,
    N_CHAR,    /* cp (a byte in byte mode) */
    N_CLASS,   /* cls */
    N_ANY,     /* . (flag: matches newline) */
    N_CAT,     /* kids */
    N_ALT,     /* kids */
    N_REP,     /* kid[0]{min,max}, max -1 = unbounded */
    N_GROUP,   /* capture group `group`, kid[0] */
    N_ASSERT,  /* zero-width `assert` */
    N_BACKREF, /* group */
    N_LOOK,    /* lookaround `look`, kid[0] */
    N_ATOMIC,  /* (?>kid[0]) */
} RxNodeKind;

typedef enum RxAssert {
    A_BOL,      /* ^ at the subject start (not with RX_NOTBOL) */
    A_EOL,      /* $ at the subject end (not with RX_NOTEOL) */
    A_MBOL,     /* multiline ^: also after a newline */
    A_MEOL,     /* multiline $: also before a newline */
    A_PEOL,     /* Perl $: the end, or before a final newline (not with RX_NOTEOL) */
    A_BOT,      /* \` \A */
    A_EOT,      /* \' \z */
    A_EOT_NL,   /* \Z: end, or before a final newline */
    A_WORDB,    /* \b */
    A_NWORDB,   /* \B */
    A_WSTART,   /* \< */
    A_WEND,     /* \> */
    A_NOTWBEF,  /* grep -w: no word character before */
    A_NOTWAFT,  /* grep -w: no word character after */
    A__COUNT
} RxAssert;

enum { LOOK_AHEAD = 1, LOOK_BEHIND = 2, LOOK_NEG = 4 };

typedef struct RxNode {
    RxNodeKind kind;
    int nkids;
    int *kids;      /* node indices */
    uint32_t cp;
    RxClass cls;
    int min, max;
    bool greedy, possessive, dotnl, icase, multiline;
    int group;      /* N_GROUP, N_BACKREF */
    RxAssert assert;
    int look;       /* LOOK_* */
    int minlen, maxlen; /* N_LOOK behind: byte lengths of the body */
} RxNode;

typedef struct RxTree {
    RxNode *nodes;
    int n, cap;
    int root;
    int ngroups;
    char **names;   /* names[i] for group i+1, or NULL */
    bool needs_bt;  /* backrefs, lookaround, atomic */
    const char *warnings[8];
    int nwarnings;
} RxTree;

/* Parses a pattern into t; returns false with *err filled. */
bool rx_parse(RxTree *t, const char *pat, size_t len, RxSyntax syn, unsigned flags, RxError *err);
void rx_tree_free(RxTree *t);

/* ---- byte program ---- */
typedef enum RxOp {
    I_BYTE,    /* lo <= byte <= hi */
    I_SET,     /* byte in set[x] (a 256-bit map) */
    I_SPLIT,   /* continue at x (first) and y */
    I_JMP,     /* x */
    I_SAVE,    /* slot x = pos */
    I_ASSERT,  /* assertion x */
    I_LOOP,    /* end of a loop body: slot y holds the iteration's start; if
                * pos moved, go to x and pc+1 (x first when lo, else pc+1 first);
                * if not, only pc+1 (an empty iteration ends the loop) */
    I_BACKREF, /* group x; lo = icase */
    I_LOOK,    /* lookaround looks[x]: sub-program at pc+1 .. y-1 ended by I_MATCH; continue at y */
    I_ATOMIC,  /* atomic group: sub-program pc+1 .. y-1 ended by I_MATCH; continue at y */
    I_MATCH,
    I_FAIL,
} RxOp;

typedef struct RxInst {
    uint8_t op, lo, hi;
    int x, y;
} RxInst;

typedef struct RxProg {
    RxInst *insts;
    int n, cap;
    uint32_t (*sets)[8];  /* 256-bit maps */
    int nsets, setcap;
    struct RxLook { int kind, minlen, maxlen; } *looks;
    int nlooks;
    int start;            /* first instruction of the anchored program */
    int nslots;           /* 2 * (ngroups + 1) + loop slots */
    int ngroups;
    bool needs_bt;
    bool has_word_assert; /* \b \B \< \> -w: the DFA quits on non-ASCII bytes in UTF-8 mode */
    bool bytes;
    bool anchored_start;  /* every match starts at 0 (leading \` or ^ without multiline) */
    unsigned char *prefix;/* a literal every match starts with (case-sensitive), or NULL */
    size_t prefix_len;
    unsigned char *req;   /* a literal every match contains, or NULL */
    size_t req_len;
    unsigned char *req_fold; /* the same ignoring ASCII case (lower case), when req is NULL */
    size_t req_fold_len;
} RxProg;

bool rx_compile_prog(RxProg *p, const RxTree *t, unsigned flags, RxError *err);
void rx_prog_free(RxProg *p);

/* ---- matching context ---- */
typedef struct RxCtx {
    const RxProg *prog;
    const unsigned char *s;
    size_t len;
    unsigned eflags;
    bool multiline;
    const RxExec *ex;
    unsigned long steps;   /* counted down to the next stop poll */
    bool stopped;
} RxCtx;

/* Evaluates a zero-width assertion at pos. */
bool rx_assert_at(const RxCtx *c, int kind, size_t pos);
bool rx_poll_stop(RxCtx *c); /* true when the caller's hook says stop */

/* Pike VM. Leftmost-first (perl) or leftmost-longest. Searches starting at
 * positions >= start (only at start when anchored). If end_at >= 0, only a
 * match ending there counts (used to fill POSIX captures once the span is
 * known). slots: nslots entries filled on a match. Returns RX_MATCH,
 * RX_NOMATCH, RX_BUDGET or RX_ENOMEM. */
int rx_pike(RxCtx *c, size_t start, bool anchored, bool longest, long end_at, long *slots);

/* Backtracking matcher for back-references and lookaround. Same contract. */
int rx_backtrack(RxCtx *c, size_t start, bool anchored, bool longest, long end_at, long *slots);

/* Lazy DFA: is there a match in s[start..len) (a whole subject)? Returns
 * RX_MATCH, RX_NOMATCH, or 2 when the DFA cannot decide (the caller falls
 * back to the Pike VM). */
typedef struct RxDfa RxDfa;
RxDfa *rx_dfa_new(const RxProg *p, bool multiline, int eol); /* eol: grep's record byte, or -1 */
void rx_dfa_free(RxDfa *d);
int rx_dfa_match(RxDfa *d, RxCtx *c, size_t start);
/* Finds the first record in buf[start..len) that matches (or does not, with
 * invert). 2 = cannot decide (fall back). */
int rx_dfa_lines(RxDfa *d, RxCtx *c, size_t start, unsigned char eol, bool invert, size_t *so,
                 size_t *eo);

#endif
