/* registry.c - the table of utilities, sorted by name, with binary search. */
#include "util.h"

#include <string.h>

#define UTIL_MAIN(n) int util_##n##_main(UtilCtx *c, int argc, char **argv);
#define UTIL_PUSH(n) extern const UtilPushOps util_##n##_push;
UTIL_MAIN(arch)
UTIL_MAIN(awk) UTIL_PUSH(awk)
UTIL_MAIN(b2sum) UTIL_PUSH(b2sum)
UTIL_MAIN(base32) UTIL_PUSH(base32)
UTIL_MAIN(base64) UTIL_PUSH(base64)
UTIL_MAIN(basename)
UTIL_MAIN(basenc) UTIL_PUSH(basenc)
UTIL_MAIN(bat)
UTIL_MAIN(batcat)
UTIL_MAIN(bc)
UTIL_MAIN(bunzip2) UTIL_PUSH(bunzip2)
UTIL_MAIN(bzcat) UTIL_PUSH(bzcat)
UTIL_MAIN(bzip2) UTIL_PUSH(bzip2)
UTIL_MAIN(cal)
UTIL_MAIN(cat) UTIL_PUSH(cat)
UTIL_MAIN(chgrp)
UTIL_MAIN(chmod)
UTIL_MAIN(chown)
UTIL_MAIN(cksum) UTIL_PUSH(cksum)
UTIL_MAIN(cmp)
UTIL_MAIN(column)
UTIL_MAIN(comm)
UTIL_MAIN(cp)
UTIL_MAIN(csplit)
UTIL_MAIN(cut) UTIL_PUSH(cut)
UTIL_MAIN(date)
UTIL_MAIN(dc)
UTIL_MAIN(dd)
UTIL_MAIN(df)
UTIL_MAIN(diff)
UTIL_MAIN(dirname)
UTIL_MAIN(du)
UTIL_MAIN(egrep) UTIL_PUSH(egrep)
UTIL_MAIN(env)
UTIL_MAIN(expand) UTIL_PUSH(expand)
UTIL_MAIN(expr)
UTIL_MAIN(factor)
UTIL_MAIN(false)
UTIL_MAIN(fd)
UTIL_MAIN(fdfind)
UTIL_MAIN(fgrep) UTIL_PUSH(fgrep)
UTIL_MAIN(file)
UTIL_MAIN(find)
UTIL_MAIN(fmt)
UTIL_MAIN(fold) UTIL_PUSH(fold)
UTIL_MAIN(gawk) UTIL_PUSH(gawk)
UTIL_MAIN(getconf)
UTIL_MAIN(grep) UTIL_PUSH(grep)
UTIL_MAIN(groups)
UTIL_MAIN(gunzip) UTIL_PUSH(gunzip)
UTIL_MAIN(gzip) UTIL_PUSH(gzip)
UTIL_MAIN(head) UTIL_PUSH(head)
UTIL_MAIN(hexdump)
UTIL_MAIN(hostname)
UTIL_MAIN(iconv) UTIL_PUSH(iconv)
UTIL_MAIN(id)
UTIL_MAIN(install)
UTIL_MAIN(join)
UTIL_MAIN(jq) UTIL_PUSH(jq)
UTIL_MAIN(less)
UTIL_MAIN(ln)
UTIL_MAIN(logname)
UTIL_MAIN(ls)
UTIL_MAIN(mawk) UTIL_PUSH(mawk)
UTIL_MAIN(md5sum) UTIL_PUSH(md5sum)
UTIL_MAIN(mkdir)
UTIL_MAIN(mktemp)
UTIL_MAIN(more)
UTIL_MAIN(mv)
UTIL_MAIN(nawk) UTIL_PUSH(nawk)
UTIL_MAIN(nice)
UTIL_MAIN(nl) UTIL_PUSH(nl)
UTIL_MAIN(nohup)
UTIL_MAIN(nproc)
UTIL_MAIN(numfmt) UTIL_PUSH(numfmt)
UTIL_MAIN(od) UTIL_PUSH(od)
UTIL_MAIN(paste)
UTIL_MAIN(patch)
UTIL_MAIN(pathchk)
UTIL_MAIN(pr)
UTIL_MAIN(printenv)
UTIL_MAIN(printf)
UTIL_MAIN(readlink)
UTIL_MAIN(realpath)
UTIL_MAIN(rev) UTIL_PUSH(rev)
UTIL_MAIN(rg)
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
UTIL_MAIN(stdbuf)
UTIL_MAIN(strings) UTIL_PUSH(strings)
UTIL_MAIN(sum) UTIL_PUSH(sum)
UTIL_MAIN(sync)
UTIL_MAIN(tac) UTIL_PUSH(tac)
UTIL_MAIN(tail) UTIL_PUSH(tail)
UTIL_MAIN(tar) UTIL_PUSH(tar)
UTIL_MAIN(tee) UTIL_PUSH(tee)
UTIL_MAIN(timeout)
UTIL_MAIN(touch)
UTIL_MAIN(tr) UTIL_PUSH(tr)
UTIL_MAIN(tree)
UTIL_MAIN(true)
UTIL_MAIN(truncate)
UTIL_MAIN(tty)
UTIL_MAIN(uname)
UTIL_MAIN(unexpand) UTIL_PUSH(unexpand)
UTIL_MAIN(uniq) UTIL_PUSH(uniq)
UTIL_MAIN(unzip)
UTIL_MAIN(wc) UTIL_PUSH(wc)
UTIL_MAIN(which)
UTIL_MAIN(whoami)
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
    M(arch),
    P(awk),
    P(b2sum),
    P(base32),
    P(base64),
    M(basename),
    P(basenc),
    M(bat),
    M(batcat),
    M(bc),
    P(bunzip2),
    P(bzcat),
    P(bzip2),
    M(cal),
    P(cat),
    M(chgrp),
    M(chmod),
    M(chown),
    P(cksum),
    M(cmp),
    M(column),
    M(comm),
    M(cp),
    M(csplit),
    P(cut),
    M(date),
    M(dc),
    M(dd),
    M(df),
    M(diff),
    M(dirname),
    M(du),
    P(egrep),
    M(env),
    P(expand),
    M(expr),
    M(factor),
    M(false),
    M(fd),
    M(fdfind),
    P(fgrep),
    M(file),
    M(find),
    M(fmt),
    P(fold),
    P(gawk),
    M(getconf),
    P(grep),
    M(groups),
    P(gunzip),
    P(gzip),
    P(head),
    M(hexdump),
    M(hostname),
    P(iconv),
    M(id),
    M(install),
    M(join),
    P(jq),
    M(less),
    M(ln),
    M(logname),
    M(ls),
    P(mawk),
    P(md5sum),
    M(mkdir),
    M(mktemp),
    M(more),
    M(mv),
    P(nawk),
    M(nice),
    P(nl),
    M(nohup),
    M(nproc),
    P(numfmt),
    P(od),
    M(paste),
    M(patch),
    M(pathchk),
    M(pr),
    M(printenv),
    M(printf),
    M(readlink),
    M(realpath),
    P(rev),
    M(rg),
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
    M(stdbuf),
    P(strings),
    P(sum),
    M(sync),
    P(tac),
    P(tail),
    P(tar),
    P(tee),
    M(timeout),
    M(touch),
    P(tr),
    M(tree),
    M(true),
    M(truncate),
    M(tty),
    M(uname),
    P(unexpand),
    P(uniq),
    M(unzip),
    P(wc),
    M(which),
    M(whoami),
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
