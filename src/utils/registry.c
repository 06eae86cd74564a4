/* registry.c - the table of utilities, sorted by name, with binary search. */
#include "util.h"

#include <string.h>

#define UTIL_MAIN(n) int util_##n##_main(UtilCtx *c, int argc, char **argv);
#define UTIL_PUSH(n) extern const UtilPushOps util_##n##_push;
UTIL_MAIN(awk) UTIL_PUSH(awk)
UTIL_MAIN(b2sum) UTIL_PUSH(b2sum)
UTIL_MAIN(base32) UTIL_PUSH(base32)
UTIL_MAIN(base64) UTIL_PUSH(base64)
UTIL_MAIN(basename)
UTIL_MAIN(basenc) UTIL_PUSH(basenc)
UTIL_MAIN(bc)
UTIL_MAIN(bunzip2) UTIL_PUSH(bunzip2)
UTIL_MAIN(bzcat) UTIL_PUSH(bzcat)
UTIL_MAIN(bzip2) UTIL_PUSH(bzip2)
UTIL_MAIN(cat) UTIL_PUSH(cat)
UTIL_MAIN(chmod)
UTIL_MAIN(cksum) UTIL_PUSH(cksum)
UTIL_MAIN(cmp)
UTIL_MAIN(column)
UTIL_MAIN(comm)
UTIL_MAIN(cp)
UTIL_MAIN(csplit)
UTIL_MAIN(cut) UTIL_PUSH(cut)
UTIL_MAIN(date)
UTIL_MAIN(dc)
UTIL_MAIN(diff)
UTIL_MAIN(dirname)
UTIL_MAIN(egrep) UTIL_PUSH(egrep)
UTIL_MAIN(env)
UTIL_MAIN(expand) UTIL_PUSH(expand)
UTIL_MAIN(expr)
UTIL_MAIN(false)
UTIL_MAIN(fgrep) UTIL_PUSH(fgrep)
UTIL_MAIN(find)
UTIL_MAIN(fmt)
UTIL_MAIN(fold) UTIL_PUSH(fold)
UTIL_MAIN(gawk) UTIL_PUSH(gawk)
UTIL_MAIN(grep) UTIL_PUSH(grep)
UTIL_MAIN(gunzip) UTIL_PUSH(gunzip)
UTIL_MAIN(gzip) UTIL_PUSH(gzip)
UTIL_MAIN(head) UTIL_PUSH(head)
UTIL_MAIN(hexdump)
UTIL_MAIN(iconv) UTIL_PUSH(iconv)
UTIL_MAIN(join)
UTIL_MAIN(jq) UTIL_PUSH(jq)
UTIL_MAIN(ln)
UTIL_MAIN(ls)
UTIL_MAIN(mawk) UTIL_PUSH(mawk)
UTIL_MAIN(md5sum) UTIL_PUSH(md5sum)
UTIL_MAIN(mkdir)
UTIL_MAIN(mktemp)
UTIL_MAIN(mv)
UTIL_MAIN(nawk) UTIL_PUSH(nawk)
UTIL_MAIN(nl) UTIL_PUSH(nl)
UTIL_MAIN(numfmt) UTIL_PUSH(numfmt)
UTIL_MAIN(od) UTIL_PUSH(od)
UTIL_MAIN(paste)
UTIL_MAIN(patch)
UTIL_MAIN(pr)
UTIL_MAIN(printenv)
UTIL_MAIN(printf)
UTIL_MAIN(readlink)
UTIL_MAIN(realpath)
UTIL_MAIN(rev) UTIL_PUSH(rev)
UTIL_MAIN(rm)
UTIL_MAIN(rmdir)
UTIL_MAIN(sed) UTIL_PUSH(sed)
UTIL_MAIN(seq)
UTIL_MAIN(sha1sum) UTIL_PUSH(sha1sum)
UTIL_MAIN(sha224sum) UTIL_PUSH(sha224sum)
UTIL_MAIN(sha256sum) UTIL_PUSH(sha256sum)
UTIL_MAIN(sha384sum) UTIL_PUSH(sha384sum)
UTIL_MAIN(sha512sum) UTIL_PUSH(sha512sum)
UTIL_MAIN(shuf)
UTIL_MAIN(sleep)
UTIL_MAIN(sort) UTIL_PUSH(sort)
UTIL_MAIN(split)
UTIL_MAIN(stat)
UTIL_MAIN(strings) UTIL_PUSH(strings)
UTIL_MAIN(sum) UTIL_PUSH(sum)
UTIL_MAIN(tac) UTIL_PUSH(tac)
UTIL_MAIN(tail) UTIL_PUSH(tail)
UTIL_MAIN(tar) UTIL_PUSH(tar)
UTIL_MAIN(tee) UTIL_PUSH(tee)
UTIL_MAIN(touch)
UTIL_MAIN(tr) UTIL_PUSH(tr)
UTIL_MAIN(true)
UTIL_MAIN(unexpand) UTIL_PUSH(unexpand)
UTIL_MAIN(uniq) UTIL_PUSH(uniq)
UTIL_MAIN(unzip)
UTIL_MAIN(wc) UTIL_PUSH(wc)
UTIL_MAIN(xargs)
UTIL_MAIN(xxd)
UTIL_MAIN(yes)
UTIL_MAIN(yq)
UTIL_MAIN(zcat) UTIL_PUSH(zcat)
UTIL_MAIN(zip)

#define P(n) {#n, util_##n##_main, &util_##n##_push}
#define M(n) {#n, util_##n##_main, NULL}

/* Keep sorted by name (strcmp order): util_lookup bisects it. */
static const UtilDef table[] = {
    P(awk),
    P(b2sum),
    P(base32),
    P(base64),
    M(basename),
    P(basenc),
    M(bc),
    P(bunzip2),
    P(bzcat),
    P(bzip2),
    P(cat),
    M(chmod),
    P(cksum),
    M(cmp),
    M(column),
    M(comm),
    M(cp),
    M(csplit),
    P(cut),
    M(date),
    M(dc),
    M(diff),
    M(dirname),
    P(egrep),
    M(env),
    P(expand),
    M(expr),
    M(false),
    P(fgrep),
    M(find),
    M(fmt),
    P(fold),
    P(gawk),
    P(grep),
    P(gunzip),
    P(gzip),
    P(head),
    M(hexdump),
    P(iconv),
    M(join),
    P(jq),
    M(ln),
    M(ls),
    P(mawk),
    P(md5sum),
    M(mkdir),
    M(mktemp),
    M(mv),
    P(nawk),
    P(nl),
    P(numfmt),
    P(od),
    M(paste),
    M(patch),
    M(pr),
    M(printenv),
    M(printf),
    M(readlink),
    M(realpath),
    P(rev),
    M(rm),
    M(rmdir),
    P(sed),
    M(seq),
    P(sha1sum),
    P(sha224sum),
    P(sha256sum),
    P(sha384sum),
    P(sha512sum),
    M(shuf),
    M(sleep),
    P(sort),
    M(split),
    M(stat),
    P(strings),
    P(sum),
    P(tac),
    P(tail),
    P(tar),
    P(tee),
    M(touch),
    P(tr),
    M(true),
    P(unexpand),
    P(uniq),
    M(unzip),
    P(wc),
    M(xargs),
    M(xxd),
    M(yes),
    M(yq),
    P(zcat),
    M(zip),
    {NULL, NULL, NULL},
};

const UtilDef *util_table(void) { return table; }

const UtilDef *util_lookup(const char *name) {
    size_t lo = 0, hi = sizeof table / sizeof table[0] - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int cmp = strcmp(name, table[mid].name);
        if (cmp == 0) return &table[mid];
        if (cmp < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}
