#!/bin/bash
# utils_diff.sh - differential tests of the wasmsh utilities against the GNU
# tools installed here (util-linux rev; /usr/bin/printf, not bash's builtin, for printf).
#
# $U (default /tmp/u) is test/unit/util_harness.c built with src/utils: each
# case runs a shell snippet where X is the GNU tool on one side and `$U NAME`
# (pull: main) or `$U -p NAME` (push: start/feed/finish, stdin in random-size
# chunks) on the other, and compares stdout and exit status (t), plus stderr
# (te). File-system cases (tf) compare output and the resulting tree.
# Prints "N passed, N failed"; exits non-zero on failure. -v shows diffs.
U=${U:-/tmp/u}
VERBOSE=0
[ "${1:-}" = -v ] && VERBOSE=1
export LC_ALL=C TZ=UTC
W=$(mktemp -d "${TMPDIR:-/tmp}/utils_diff.XXXXXX") || exit 2
trap 'rm -rf "$W"' EXIT
cd "$W" || exit 2
pass=0
fail=0

report() { # name ok
    if [ "$2" = 1 ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: $1"
        if [ $VERBOSE = 1 ]; then diff exp.out got.out | head -20; diff exp.err got.err | head -10; fi
    fi
}

# run SIDE SNIPPET: SIDE is gnu, main or push. t/te snippets run in a fresh
# directory holding links to the fixtures, so side effects do not leak.
run() {
    case $1 in
    gnu) X() { if [ "$1" = printf ]; then shift; /usr/bin/printf "$@"; else "$@"; fi; } ;;
    main) X() { "$U" "$@"; } ;;
    push) X() { "$U" -p "$@"; } ;;
    esac
    (eval "$2")
}
fresh() {
    rm -rf "$W/r" && mkdir "$W/r" && cd "$W/r" && ln -s "$W"/fx/* . || exit 2
}

# t SNIPPET / te SNIPPET: compare stdout + status (te: stderr too), both modes.
cmp_snippet() {
    local with_err=$1 snippet=$2 mode ok
    fresh
    run gnu "$snippet" >"$W/exp.out" 2>"$W/exp.err"
    echo "status=$?" >>"$W/exp.out"
    for mode in main push; do
        fresh
        run $mode "$snippet" >"$W/got.out" 2>"$W/got.err"
        echo "status=$?" >>"$W/got.out"
        cd "$W" || exit 2
        ok=1
        cmp -s exp.out got.out || ok=0
        [ "$with_err" = 1 ] && ! cmp -s exp.err got.err && ok=0
        report "[$mode] $snippet" $ok
    done
}
t() { cmp_snippet 0 "$1"; }
te() { cmp_snippet 1 "$1"; }

# tf SETUP SNIPPET: fresh directories; compares output, status and the tree.
snap() {
    find . -mindepth 1 | sort | while read -r f; do
        printf '%s %s %s\n' "$f" "$(stat -c '%F %a' "$f")" \
            "$(if [ -L "$f" ]; then readlink "$f"; elif [ -f "$f" ]; then cksum <"$f"; fi)"
    done
}
tf() {
    local side
    for side in gnu main; do
        rm -rf "$W/fs" && mkdir "$W/fs" && cd "$W/fs" || exit 2
        eval "$1"
        run $side "$2" >"$W/$side.out" 2>"$W/$side.err"
        echo "status=$?" >>"$W/$side.out"
        snap >>"$W/$side.out"
        cd "$W" || exit 2
    done
    mv gnu.out exp.out; mv gnu.err exp.err; mv main.out got.out; mv main.err got.err
    local ok=1
    cmp -s exp.out got.out && cmp -s exp.err got.err || ok=0
    report "[fs] $2" $ok
}

# tfs SETUP SNIPPET...: one tf case per snippet.
tfs() {
    local setup=$1 c
    shift
    for c in "$@"; do tf "$setup" "$c"; done
}

# ---------------------------------------------------------------- fixtures
mkdir fx && cd fx || exit 2
seq 20 >s20
seq 100000 >big
printf 'hello world\n\tfoo  bar baz\n\nline with trailing   \nunterminated' >text
printf 'a\tb\x01c\x7f\xe9\n\n\n\nx\r\ny\n' >ctrl
printf 'b 1\na 1\nB 2\n_x 3\n c 10\n\ta 2\nA 1\n10 x\n9 y\n' >keys
printf '1K\n1000\n-1K\n-5\n2M\n0\n-0\n1k\n1.5\n-.5\n+5\n00\n1e3\nnan\n-inf\ninf\nx\n\n' >nums
printf 'a-1.10\na-1.9\na-1.1~rc\na-1.1\nfoo.tar.gz\nfoo1.tar.gz\n.hid\n.\n..\nv10\nv9\nv1.0a\nv1.0\n' >vers
printf 'a\na\nA\nb x\nc x\nc x\nd\n\n\nd\nd' >dups
printf 'a:b:c:d\nabcdef\n\tx\ty\nnodelim\n:\n\na:b' >fields
printf 'aaaa bbbb cccc dddd eeee ffff gggg\n\tx\ty\tz\tw\tq\nab\bcd\r\x01efgh ij\nshort\nabc def ghi jkl mno pqr stu vwx yz abc def ghi jkl\nend' >wide
printf 'h\n\\:\\:\\:\nH\n\\:\\:\nB\n\nB2\n\\:\nF\n\n\n\nab\n  \nac\nlast' >sections
printf '1\n2\n3\n' >p1
printf 'a\nb' >p2
: >empty
mkdir -p tree/sub && touch tree/a tree/.hidden tree/sub/x
cd "$W" || exit 2

# ---------------------------------------------------------------- cat
t 'cat text | X cat'
t 'X cat text s20'
t 'cat ctrl | X cat -A'
t 'cat ctrl | X cat -n -s'
t 'cat text | X cat -b -E'
t 'cat ctrl | X cat -vT'
t 'cat ctrl | X cat -et'
t 'X cat p2 p2 - <p1'
t 'X cat -n p2 p1'
te 'X cat nonex p1'
te 'X cat tree'
te 'X cat -x'
t 'X cat big | head -c 100'

# ---------------------------------------------------------------- head / tail
for a in '' '-n 3' '-n -3' '-c 5' '-c -5' '-3' '-n 0' '-c 0' '-n +2' '-c 1k' '-5c' '-q'; do
    t "cat s20 | X head $a"
done
t 'cat text | X head -n -1'
t 'cat text | X head -c -3'
t 'X head -n 2 s20 text'
t 'X head -v -c 3 p1'
te 'X head nonex s20'
te 'X head -n x'
te 'X head -c 5Q'
te 'X head tree'
t 'X yes | X head -n 3'
t 'cat big | X head -n 2'
for a in '' '-n 3' '-n +3' '-c 5' '-c +5' '-3' '+3' '-n 0' '-n +0' '-5c' '-c 0'; do
    t "cat s20 | X tail $a"
done
t 'cat text | X tail -n 2'
t 'cat text | X tail -c 7'
t 'cat big | X tail -n 3'
t 'X tail -n 2 s20 text'
t 'X tail -q -n 1 p1 p2'
t 'cat p1 | X tail -z -n 1'
te 'X tail nonex'
te 'X tail -n x'
te 'X tail tree'

# ---------------------------------------------------------------- wc
for a in '' -l -w -c -m -L -lw -lwcmL; do t "cat text | X wc $a"; done
t 'X wc s20'
t 'X wc -l s20 text big'
t 'X wc -c s20 /dev/null'
t 'X wc -L s20 p2'
t 'cat ctrl | X wc -L'
t 'cat s20 | X wc - p1'
te 'X wc nonex s20'
te 'X wc tree s20'
te 'X wc -l p1 nonex'

# ---------------------------------------------------------------- yes / seq / true / false
t 'X yes | head -n 3'
t 'X yes a b c | head -n 2'
t 'X yes -- -x | head -n 1'
t 'X yes "" | head -c 10'
t 'X yes | head -c 100000 | wc -c'
te 'X yes -x | head -n 1'
t 'X yes long-line-of-text | head -c 20000 | tail -c 30'
t 'X yes y | X head -n 2'
for a in '5' '2 5' '1 2 9' '5 -1 1' '0.1 0.1 1' '1 0.5 3' '-w 8 11' '-w -1 1' '-w 1 0.5 10' \
    '-s, 3' "-s '' 3" '-f %03g 3' '-f %.2f 1 3' '-f x%gy 2' '1.5e1 20' '1e-1 0.1 0.3' '1 0x10 40' \
    '-- -3 -1' '3 1' '1 1e0 3' '-w 5 -1 -5' '2 0.25 3' '-w -- -.5 6' '-- -0 5' '15 -0.6 0' '0.994' \
    '-w 0 2 00' '-w 1.5e1' '-f x%06.2fy 10' '0 0.000001 0.000003' '0x10 -4.5 0'; do
    t "X seq $a"
done
t 'X seq 1000000 | tail -n 1'
t 'X seq 100000000 | head -n 2'
for a in 'nan' 'x' '' '1 2 3 4' '1 0 3' '-f %d 1' '-f %g%g 1' '-f x 1' '-w -f %g 1' '1 3 -w' '-f %5d 1'; do
    te "X seq $a"
done
for a in '' '--help' 'x y' '--version' '--help x' '-x' '--' '--vers'; do
    t "X true $a >/dev/null"
    t "X false $a >/dev/null"
done

# ---------------------------------------------------------------- sort
for a in '' -r -n -h -g -V -M -f -d -i -b -u -s '-k2' '-k2,2' '-k2n' '-k2,2n -r' '-k2,2 -r' \
    '-k1.2' "-t' ' -k2" '-s -k2,2n' '-k2bn,2 -k1,1r' '-fu' '-z' '-nr' '-rh' '--sort=numeric' \
    '-bk2' '-t. -k2n'; do
    t "cat keys | X sort $a"
done
for a in -n -h -g -V '-u -n' '-nr'; do t "cat nums | X sort $a"; done
for a in -V '-t. -k2,2 -k1' '-k1.2,1.3' '-rV'; do t "cat vers | X sort $a"; done
t 'X sort -o out keys; cat out'
t 'X sort -m p1 s20'
t 'X sort keys s20 text'
t 'cat big | X sort -n -r | head -n 3'
te 'cat keys | X sort -c'
te 'X sort -C keys'
te 'X sort -cu p1'
te 'X sort nonex'
te 'X sort tree'
te 'X sort -k0 keys'
te 'X sort -k 1.2x keys'
te 'X sort -k x keys'
te 'X sort -t ab keys'
te 'X sort -nM keys'
te 'X sort -ng keys'
te 'X sort -o /nonexdir/x keys'

# ---------------------------------------------------------------- uniq
for a in '' -c -d -u -D -i -ic -f1 -s1 -w1 '-D --all-repeated=prepend' '--all-repeated=separate' \
    -dc -du -z '-s 1 -w 1 -c' -Di '- out; cat out'; do
    t "cat dups | X uniq $a"
done
te 'X uniq -cD dups'
te 'X uniq -f x dups'
te 'X uniq dups dups dups'
te 'X uniq nonex'
te 'X uniq --all-repeated=x dups'

# ---------------------------------------------------------------- tr
while IFS= read -r a; do t "cat ctrl text | X tr $a"; done <<'EOF'
a-z A-Z
'[:lower:]' '[:upper:]'
'[:lower:][:upper:]' '[:upper:][:lower:]'
-d '[:space:]'
-d '\n'
-s ' '
-cs 'a-z' '\n'
-cd 'a-z\n'
-ds 'l' 'o'
'el' '[x*]'
'helo' '[x*2]Y'
'a-z' '[x*]Y'
-t 'hel' 'HE'
'hel' 'HE'
'\0-\377' 'a'
'\t\a\b\f\v\r' 'abcdef'
'[=e=]' x
'a-c-e' 'X'
'[:lower:]' 'a-'
-C 'a-z' '_'
'[:alpha:][:digit:]' '[x*]'
-- -a x
l -d
'\1-\7' x
EOF
while IFS= read -r a; do te "cat text | X tr $a"; done <<'EOF'
a-z '[:upper:]'
'[:digit:]' '[:upper:]'
a-z '[:digit:]'
z-a x
-d

a
-d a b
-ds a
l ''
'[:foo:]' x
'[a*]' x
h '[x*][y*]'
h '[x*9a]'
hel '[:lower:]'
-c '[:lower:]' '[:upper:]'
'a\' x
EOF

# ---------------------------------------------------------------- cut
while IFS= read -r a; do t "cat fields | X cut $a"; done <<'EOF'
-f2
-d: -f2
-d: -f1,3
-d: -f2-
-d: -f-2
-d: -s -f1,3
-d: -f 2,4 --complement
-d: -f 1-2,3 --output-delimiter=XX
-c1-3
-b3-
-c 2-,1
-b1,2 --output-delimiter=:
-b1-3,2-5,6 --output-delimiter=:
-b 2,4 --complement --output-delimiter=:
-d '' -f1
-z -d: -f1
-f '1 2'
-n -b 2
EOF
t 'X cut -d: -f1 fields p1'
while IFS= read -r a; do te "X cut $a fields"; done <<'EOF'

-b1 -f1
-f0
-fx
-f-
-f3-1
-d ab -f1
-d: -b1
-s -b1
-f 1,,2
EOF
te 'X cut -f1 nonex'

# ---------------------------------------------------------------- tee
t 'cat text | X tee o1 o2; cat o1 o2'
t 'cat s20 | X tee -a o1 >/dev/null; X tee -a o1 <p1 >/dev/null; cat o1'
t 'cat p1 | X tee; echo'
t 'cat big | X tee o3 | tail -n 1; tail -n 1 o3'
t 'cat p1 | X tee - >/dev/null; cat ./-'
t 'X seq 5 | X tee o4 | X head -n 1; sleep 0.1'
te 'cat p1 | X tee /nonexdir/x'
te 'cat p1 | X tee -x'
t 'cat p1 | X tee -p o5 | head -c 1; cat o5'

# ---------------------------------------------------------------- rev
for f in text p2 empty s20 keys fields; do t "cat $f | X rev"; done
t 'X rev p1 p2'
t 'X rev text p1'
t 'cat big | X rev | tail -n 2'
te 'X rev nonex'

# ---------------------------------------------------------------- nl
while IFS= read -r a; do t "cat sections | X nl $a"; done <<'EOF'

-ba
-ba -nln -s: -w3
-ha -fa
-ba -l2
-bp^a
-v-3
-nrz -i5 -v 98
-s ':::'
-s '' -w2
-d XY
-d X
-p
-bn
-ht -ft -bt
EOF
t 'X nl sections p2 p1'
while IFS= read -r a; do te "X nl $a p1"; done <<'EOF'
-bx
-nxx
-w0
-i x
-v x
-l 0
EOF

# ---------------------------------------------------------------- fold
for a in '' '-w 10' '-w10 -s' '-b -w 5' '-s -w 7' '-5' '-w 1' '-bs -w 4' '-w 3 -s'; do
    t "cat wide | X fold $a"
done
t 'X fold -w 4 wide p1'
te 'X fold -w 0 p1'
te 'X fold -w x p1'

# ---------------------------------------------------------------- paste
for a in 'p1 p2' '-s p1 p2' "-d ',;' p1 p2 p1" "-s -d '\n\t' p1" '- - <p1' "-d '\0' p1 p2" \
    "-d '' p1 p2" "-s -d '' p1" '-z p1' 'p1 - p2 - <p1' '-s - <p2' '-d: -s p1 p2 p1' '/dev/null p1'; do
    t "X paste $a"
done
te 'X paste nonex p1'
te "X paste -d'\\' p1 p1"

# ---------------------------------------------------------------- basename / dirname
for a in / // a a/ /a/ a//b// //a '' . a/.. /usr/lib/ x//y; do
    t "X basename -- '$a'"
    t "X dirname -- '$a'"
done
t 'X basename a.txt .txt'
t 'X basename .txt .txt'
t 'X basename -s .c a.c b.c'
t 'X basename -a a/b c/d'
t 'X basename -z a | od -c'
t 'X basename x.c -s'
t 'X dirname -z a/b c | od -c'
te 'X basename'
te 'X basename a b c'
te 'X dirname'

# ---------------------------------------------------------------- readlink / realpath
RL_SETUP='mkdir -p d; ln -s d ld; ln -s ../fs/ld/x dangling; ln -s loop loop; touch d/f'
for o in realpath "realpath -e" "realpath -m" "realpath -s" "realpath -q" "realpath --relative-to=d" \
    "realpath --relative-base=.." "realpath --relative-to=/usr/bin" readlink "readlink -f" "readlink -e" \
    "readlink -m" "readlink -v" "readlink -n" "readlink -fn"; do
    tf "$RL_SETUP" 'for a in d ld dangling loop nonex nonex/x d/f/x ld/f ld/../d . .. / ""; do
        X '"$o"' "$a" | sed "s|$PWD|PWD|"; echo "$a: $?"; done'
done
tfs "$RL_SETUP" 'X realpath --relative-to=d d/f ld /' 'X readlink -n ld ld' 'X readlink' 'X realpath' \
    'X realpath -z d ld | od -c | sed "s|[0-9]||g" | wc -c' 'X readlink -f -z ld | wc -c'

# ---------------------------------------------------------------- mkdir / rmdir / rm / touch
tf '' 'X mkdir a; X mkdir a; X mkdir -p a/b/c; X mkdir -pv x/y/z; X mkdir -v q; X mkdir nonex/d'
tf '' 'X mkdir -m 700 m; X mkdir -m x y; X mkdir; X mkdir -m u=rwx,g=rx,o= m2 -v; X mkdir -p -m 711 p1/p2'
tf '' 'X mkdir -m +t st; X mkdir -p a; X mkdir -p ./a/./b//e/; X mkdir -m a-w,u+w ro'
tf 'mkdir -p a/b x/y/z q; touch f' 'X rmdir a; X rmdir nonex; X rmdir -p x/y/z -v; X rmdir --ignore-fail-on-non-empty a; echo $?; X rmdir f; X rmdir; X rmdir q/ -v'
tf 'mkdir -p a/b/c d/e; touch a/b/f d/g; mkdir em' 'X rmdir -p a/b/c; X rmdir -p --ignore-fail-on-non-empty d/e; echo $?'
tf 'mkdir -p a/b/c e; touch f g a/b/c/h; ln -s a l' 'X rm f g2; X rm -f g2; echo $?; X rm a; X rm -d e; X rm -r a -v; X rm; X rm -f; echo $?'
tf 'mkdir -p a/b/c; touch a/x' 'X rm -rf /; X rm -r .; X rm -r ..; X rm -r ./.; X rm -d a; X rm -rfv a/; X rm -r //'
tf 'mkdir -p a/b/c; touch a/x a/b/y a/b/c/z; ln -s a l; mkdir e' 'X rm -rv a; X rm -v l; X rm -dv e; X rm -r nonex; X rm -rf nonex'
tf 'touch -d @1000000 old' 'X touch f; X touch -c g; X touch nonex/f; X touch -d @0 old; X touch -d "2020-01-02 03:04:05" h; X touch -t 202001020304.05 i; X touch -r old j'
tf 'touch -d @1000000 old' 'X touch -t 12 l; X touch -m -d @5 old; X touch; X touch -a -d @7 old; X touch -d "2001-02-03" -m old; stat -c "%X %Y" old'
tf '' 'X touch a b c; X touch -d 2020-01-01T00:00:00Z a; stat -c %Y a; X touch --time=x a; X touch -c -t 200001010000 b nonex; stat -c %Y b'
tf 'mkdir d' 'X touch d; X touch d/new; X touch -r nonex x; X touch -d "1 day ago" -d @100 y; stat -c %Y y'

tfs '' 'X mkdir -p a/b' 'X mkdir -v a b' 'X mkdir -m 0 z' 'X mkdir -- -x' 'X mkdir ""' 'X mkdir -pv ./x/../y'
tfs 'mkdir -p a/b/c; touch a/f' 'X rmdir a/b/c' 'X rmdir -p a/b/c' 'X rmdir -v a/b/c a/b' 'X rmdir a/f' \
    'X rmdir --ignore-fail-on-non-empty -p a/b/c' 'X rmdir a/b/c/' 'X rmdir -p a/b/c/'
tfs 'mkdir -p a/b; touch f g a/b/h; ln -s a l' 'X rm -r l' 'X rm -i f' 'X rm -- f' 'X rm -fv f nonex' 'X rm -R a' \
    'X rm -dr a' 'X rm a/b' 'X rm -rf a/b a/b'
tfs 'touch -d @0 f' 'X touch -d @5 f; stat -c %Y f' 'X touch -a -d @9 f; stat -c "%X %Y" f' \
    'X touch -t 0102030405 g; stat -c %Y g' 'X touch -d "2024-01-02 03:04:05.5" h; stat -c %y h' \
    'X touch -m -t 197001010000 f; stat -c %Y f' 'X touch -c nonex; ls'

# ---------------------------------------------------------------- cp / mv / ln
tf 'mkdir d d2; echo hi > f; mkdir -p e/d; ln -s f l; touch -d @100 old' 'X cp; X cp f; X cp d x; X cp nonex x; X cp f f; X cp f g h; X cp -r d d/sub; X cp -v f g; X cp -rv d d3'
tf 'mkdir d d2; echo hi > f; mkdir -p e/d; ln -s f l; touch -d @100 old; echo x > g' 'X cp -n -v f g; X cp f nonexd/x; X cp -r d f; X cp f e; X cp -r f e/d; X cp -rT d f; X cp l lc; X cp -r l lr'
tf 'mkdir d d2; echo hi > f; ln -s f l; touch -d @100 old; echo x > g' 'X cp -a f fa -v; X cp -t d f g -v; X cp -T f d; X cp -p old old2; stat -c %Y old2; X cp -u old g; X cp -uv f g; X cp -s f sl; X cp -l f hl; X cp -r d d2 e'
tf 'mkdir -p src/a/b dst; echo 1 > src/a/f; echo 2 > src/a/b/g; ln -s f src/a/lnk; chmod 750 src/a/b' 'X cp -r src dst; X cp -a src dst2; X cp -R src/ dst3/; X cp -rv src/a dst/src; X cp -r src/a/lnk x1; X cp -rL src/a/lnk x2; X cp src/a/lnk x3; X cp -P src/a/lnk x4'
tf 'mkdir -p a/x b/a/y c m; touch f g h; ln -s c lc' 'X mv; X mv f; X mv nonex x; X mv g g; X mv -v g g2; X mv a b; X mv -T f c; X mv f lc'
tf 'mkdir -p c m; touch f g h; ln -s c lc' 'X mv h m -v; X mv m m/sub; X mv -n g lc 2>&1; X mv -t m g; X mv c m/; X mv lc m/lc2; X mv -f m/g m/h -v'
tf 'mkdir -p d/e; echo 1 > d/e/f; touch x y' 'X mv d d2; X mv -v x y; X mv -T d2 z; X mv -u z/e z/e2; X mv z/e2/f .'
tf 'mkdir d m; touch f e; echo x > e2' 'X ln -s f s1 -v; X ln -s f s1; X ln f h1 -v; X ln nonex h2; X ln -sf x s1 -v; X ln -s a b c; X ln; X ln d dh; X ln -s x d'
tf 'mkdir d m; touch f e; echo x > e2' 'X ln e e; X ln -f e e; X ln -s e e; X ln -s d ld; X ln -sn f ld; X ln -sfn f ld; X ln -sv f; X ln -s /tmp m/; X ln -t m f e2 -v; X ln -sfv e2 e; X ln -T f d'

tfs 'mkdir d; echo a > f; echo b > g' 'X cp f d' 'X cp f g' 'X cp -v f g d' 'X cp -r d e' 'X cp -i f g' \
    'X cp --preserve f x' 'X cp -rv d/ e/'
tfs 'mkdir d; echo a > f; echo b > g' 'X mv f d' 'X mv f g' 'X mv -v f g d' 'X mv -n f g' 'X mv d e' 'X mv -- f -x'
tfs 'mkdir d; echo a > f' 'X ln -s f' 'X ln f d' 'X ln -s f d/' 'X ln -sv ../f d/x' 'X ln -f f h' 'X ln -s d/ ld; ls ld'

tfs 'mkdir -p a/b e; touch f a/b/g; echo x > h; ln -s f l' 'printf "n\n" | X rm -ri a e f h l' \
    'printf "y\ny\ny\ny\ny\ny\n" | X rm -ri a e f' 'X rm -i f h </dev/null' 'yes | X rm -ri a' \
    'echo y | X cp -i h f' 'echo n | X cp -i h f' 'echo y | X mv -i h f' 'X mv -i h f </dev/null' \
    'echo y | X ln -si h f' 'echo n | X ln -i h f' 'X cp -in h f' 'X mv -if h f'

# ---------------------------------------------------------------- ls
LS_SETUP='mkdir -p d/sub e; touch -d @100000 d/old d/sub; echo hello > f; ln -s f l; ln -s nonex dl
mkfifo p; chmod +x f; touch .hid; head -c 5000 /dev/zero > big; touch -d "2020-05-06 07:08" f big l dl p e d .hid .'
for a in "" "-la" "-F" "-p" "d f e" "-R" "-ld d" "-l d" "-lh big" "-s" "nonex f" "-l l dl" "-lF l" "-S" "-t d" "-A" \
    "-ln f" "-r" "-1" "-aR" "-lS" "-lt" "-d . d" "-F d l dl" "-lR" "-sh" "-lhs" "-g" "-o" "-lG" "-v" "-RA" "d/" "-Fl"; do
    tf "$LS_SETUP" "X ls $a"
done
te 'X ls -y'

# ---------------------------------------------------------------- sleep / date / env / printenv / printf / mktemp
t 'X sleep 0.05; echo $?'
t 'X sleep 0.01s 0.01; echo $?'
t 'X sleep 0'
te 'X sleep x'
te 'X sleep'
te 'X sleep -1'
te 'X sleep 1y'
te 'X sleep --foo'
for d in @0 @1700000000.5 2024-01-02 "2024-01-02 03:04:05" 2024-01-02T03:04:05Z "2024-01-02T03:04:05+02:00" \
    "Jan 2 2024" "2 Jan 2024" "Tue, 02 Jan 2024 03:04:05 +0000" 20240102 "12/25/2023" "2024-01-02 3pm" \
    "2024-01-31 1 month" "2024-01-02 +1 day" "@-1" "2024-01-02 03:04:05.123456789"; do
    t "X date -d '$d' '+%F %T.%N %z %s'"
done
t "X date -d @1700000000.123 '+%-d|%_m|%05d|%^a|%#b|%10Y|%-H|%e|%3N|%:z|%::z|%q|%P|%j|%U|%G|%V|%u|%C|%y|%k|%l|%I|%p|%x|%X|%c|%D|%R|%r|%T|%Z|%#Z|%10a|%-10a|%_5d|%%'"
for a in '-u -d @0' '-d @0 -R' '-d @0 -I' '-d @0 -Iseconds' '-d @0 -Ins' '-d @0 -Ih' '-d @0 --rfc-3339=ns' \
    '-d @0 --rfc-3339=seconds' '-r p1 +%Y' "-d '1 day ago' +%F" '-d yesterday +%F' '-d tomorrow +%F'; do
    t "X date $a"
done
for a in '-d 2024-02-30' '0101' '-d @0 -Ix' '-r nonex' '-d @0 +%Y x' '-d @0 Jan' '--rfc-3339=x'; do
    te "X date $a"
done
t 'X env -i A=1 B=2'
t 'X env - A=1'
t 'X env A=1 B=2 sh -c "echo \$A\$B"'
t 'X env -u HOME printenv HOME'
t 'X env -i A=1 printenv A'
t 'X env HOME=/x printenv HOME'
t 'X env -C /tmp pwd'
t 'X env -u HOME | grep -c ^HOME='
t 'X env | grep -c ^HOME='
t 'X env -0 | tr "\0" "\n" | grep -c ^HOME='
te 'X env -0 x=1 true'
te 'X env -x'
t 'X printenv HOME'
t 'X printenv NOPE HOME'
t 'X printenv | grep -c ^HOME='
t 'X printenv -0 HOME | od -c'
te 'X printenv -x'
t 'X printenv -0 | tr "\0" "\n" | grep -c ^HOME='
t 'X printenv A=1'
t 'FOO=bar X printenv FOO'
t 'X printenv HOME HOME'
for a in "'%s\n' a b c" "'%d|%5.2f|%x|%o|%e\n' 42 3.14159 255 8 1234.5" "'%q\n' 'a b'" "'%b\n' 'x\ty'" \
    "'%s %s\n' 1" "'%c%c\n' abc d" "'%10s|%-5d|\n' r 7" "'\x41\101\n'" "-- '%s\n' x"; do
    t "X printf $a"
done
t 'X printf "%d\n" abc 2>/dev/null'
t 'X mktemp -p "$PWD" | sed "s/\.[A-Za-z0-9]*$/.R/;s|$PWD|P|"; ls | wc -l'
t 'X mktemp -d -p "$PWD" fooXXXXbar | sed "s/foo.*bar/F/;s|$PWD|P|"; ls -d foo*bar | wc -l'
t 'X mktemp -u -p "$PWD" | grep -c .; ls | wc -l'
t 'TMPDIR=$PWD X mktemp -t a.XXXX | sed "s/a\..*$/A/;s|$PWD|P|"'
t 'X mktemp --suffix=.c -p "$PWD" | grep -c "\.c$"'
te 'X mktemp fooXX'
te 'X mktemp /nonex/tmp.XXX'
te 'X mktemp -d -p /nonex'
te 'X mktemp -q /nonex/xXXX'
te 'X mktemp a b'

# ---- chmod
tf 'touch f g; mkdir d' 'X chmod 755 f; stat -c %a f; X chmod u-x,go= f; stat -c %a f; X chmod -x g; stat -c %a g'
tf 'touch f; mkdir -p d/e; touch d/e/x' 'X chmod -R 700 d; stat -c %a d d/e d/e/x; X chmod a+rX d; stat -c %a d'
tf 'touch f' 'X chmod -v 600 f; X chmod -c 600 f; X chmod -c 640 f; stat -c %a f'
tf 'touch f g; chmod 711 g' 'X chmod --reference=g f; stat -c %a f'
te 'X chmod zz f'
te 'X chmod'
te 'X chmod 644'
te 'X chmod 644 nonex'
tf 'touch f' 'X chmod =r f; stat -c %a f; X chmod u+w,+x f; stat -c %a f; X chmod 0 f; stat -c %a f; X chmod 4755 f; stat -c %a f'
tf 'touch f; ln -s f l' 'X chmod 600 l; stat -c %a f'

# ---------------------------------------------------------------- sed
for a in p 's/1/X/g' 's/\(1\)\(2*\)/[\2\1]/g' '$!N;P;D' '1!G;h;$!d' -n\ '$=' '/5$/,/9$/d' '0~7d' \
    ':a;N;$!ba;s/\n/,/g' 'n;d' 'N;N;s/\n/+/g' '$!N;s/\n/ /' '/0$/{x;p;x}' 's/$/\r/' 'y/0123/abcd/' \
    '3q' '/777/q5' '/^$/d;G' 'l 20' '=' 's/^/>/;$a end'; do
    t "cat big | X sed '$a' | cksum"
    t "cat text | X sed '$a'"
    t "cat ctrl | X sed '$a'"
done
for f in text ctrl dups fields wide sections p2 empty; do
    t "X sed -n 'p;l' $f"
    t "cat $f | X sed -E 's/(.)(.)/\\2\\1/g;\$!N;P;D'"
    t "cat $f | X sed -z 's/a/A/g'"
done
t 'cat big | X sed -n "99995,\$p"'
t 'cat p2 | X sed p'
t 'cat p2 | X sed "\$a x"'
t 'X sed -s -n "\$p;F" p1 p2 text'
t 'X sed -n "\$=" p1 p2 empty text'
te 'X sed "s/x" p1'
te 'X sed p nonex p1'
te 'X sed "b nolabel" p1'
# ---------------------------------------------------------------- grep
# push mode feeds random-size chunks: records, context and counts across chunk ends
for a in '7' '-c 7' '-v -c 1' '-n 99' '-b 5$' '-C2 -n 5000' '-B3 -A1 -e 123 -e 9999' '-m3 -A2 9' \
    '-c -E "^(1|2)+$"' '-o -E "[05]+"' '-x 42' '-w 77' '-c -F -e 11 -e 22' '-n ^$' '-c ""' \
    '-vn "[0-9]"' '-q 99999' '-l 5' '-L 5' '-c -P "^\d{5}$"' '-zc 9'; do
    t "cat big | X grep $a"
done
t 'cat text | X grep -n "o"'
t 'cat text | X grep -c ""'
t 'cat text | X grep -v -n "a"'
t 'cat dups | X grep -A1 -B1 -n d'
t 'cat ctrl | X grep -c .'
t 'cat ctrl | X grep -a x'
te 'cat ctrl | X grep -n y'
t 'X grep -H 3 p1 p2'
te 'X grep 1 nonex p1'
te 'X grep -E "(" p1'
t 'X grep -c a p2 dups empty'

# ---- the text-processing utilities fed in random chunks (chunk boundaries)
head -c 3000 /dev/urandom > "$W/fx/rnd" 2>/dev/null || seq 1 3000 > "$W/fx/rnd"
printf 'caf\303\251 na\303\257ve \342\202\254 \344\270\255 x\n%.0s' $(seq 1 200) > "$W/fx/utf8"
for a in "od -c" "od -t x1z" "od -An -t d2 -w10" "base64" "base32" "basenc --z85 -w 7" "strings -n 3" \
    "xxd" "hexdump -C" "tac" "iconv -f latin1 -t utf-16" "expand -t 3" "unexpand -a"; do
    t "X $a < rnd | cksum"
done
for a in "base64" "base32" "basenc --base16" "basenc --base2msbf"; do
    t "$a < rnd | X $a -d | cksum"
done
for a in "wc -m" "wc -L" "wc -w" "rev" "iconv -f utf-8 -t utf-16le" "iconv -f utf-8 -t ascii//TRANSLIT" "column" \
    "fmt -w 30" "tac -s e"; do
    t "LC_ALL=C.UTF-8 X $a < utf8 | cksum"
done
t 'X sort -k2 text | cksum'
t 'X uniq -c dups'
t 'X numfmt --to=si 123456 999999'
t 'X shuf --random-source=text -i 1-50 | tr "\n" " "'

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
