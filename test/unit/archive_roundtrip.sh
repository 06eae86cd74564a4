#!/bin/bash
# archive_roundtrip.sh - archives written by wasmsh's tar, gzip, bzip2 and zip
# are read by GNU tar, gzip, bzip2 and Info-ZIP unzip, and theirs by wasmsh's.
#
# $WASMSH is the shell under test (build/native/wasmsh, or a .mjs wasm build
# run with node). The two sides share nothing but pipes: one side builds a
# tree (files, binary data, an empty file, long names, a symlink, a hard link,
# modes and times), prints its manifest and writes the archive to stdout; the
# other side reads the archive from stdin, extracts it and prints the
# manifest of what it got. The manifests must be equal. This works the same
# for the wasm build, whose filesystem is its own MEMFS.
#
# Prints "archive_roundtrip: N passed, N failed"; exits non-zero on failure;
# -v shows the differing manifests.
set -u
cd "$(dirname "$0")/../.." || exit 2
W=${WASMSH:-build/native/wasmsh}
VERBOSE=0
[ "${1:-}" = -v ] && VERBOSE=1
for t in tar gzip bzip2 unzip zip; do
    command -v "$t" >/dev/null || { echo "archive_roundtrip: $t is missing (make deps)"; exit 2; }
done
TMP=$(mktemp -d "${TMPDIR:-/tmp}/archive_rt.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT
export LC_ALL=C TZ=UTC

ours() { # SCRIPT: runs under wasmsh in a fresh directory
    local d
    d=$(mktemp -d "$TMP/ours.XXXXXX")
    if [[ $W == *.mjs ]]; then (cd "$d" && node "$OLDPWD/$W" -c "$1"); else (cd "$d" && "$OLDPWD/$W" -c "$1"); fi
}
gnu() { # SCRIPT: runs under GNU bash with the GNU tools
    local d
    d=$(mktemp -d "$TMP/gnu.XXXXXX")
    (cd "$d" && /bin/bash -c "$1")
}

# The tree, created the same way on either side (only utilities wasmsh has).
LONGDIR='$(printf "D%.0s" $(seq 1 60))'
LONGFILE='$(printf "f%.0s" $(seq 1 70))'
MK_TREE='
mkdir -p t/sub/deeper "t/'$LONGDIR'"
printf "hello\n" > t/a.txt
seq 1 30000 > t/sub/numbers
i=0; while [ $i -lt 256 ]; do printf "\\$(printf %03o $i)"; i=$((i + 1)); done > t/sub/bin
cat t/sub/bin t/sub/bin t/sub/numbers t/sub/bin > t/sub/mixed
: > t/empty
printf "long name\n" > "t/'$LONGDIR'/'$LONGFILE'"
ln -s a.txt t/link
chmod 750 t/sub/deeper; chmod 600 t/sub/bin; chmod 755 t/sub/numbers
for p in t/a.txt t/sub/numbers t/sub/bin t/sub/mixed t/empty "t/'$LONGDIR'/'$LONGFILE'" t/sub/deeper t/sub "t/'$LONGDIR'" t; do
    touch -d "2020-03-04 05:06:07" "$p"
done
touch -h -d "2019-01-01 00:00:00" t/link
'
HARDLINK='ln t/a.txt t/hard; touch -d "2020-03-04 05:06:07" t/a.txt t'
# The wasm build's MEMFS has no hard links, and its readlink returns the
# resolved absolute target: there, link targets are not compared.
WASM=0
[[ $W == *.mjs ]] && WASM=1
[ $WASM = 1 ] && HARDLINK=''
LINKLINE='ls -ld "$p" | tr -s " " | cut -d" " -f1,9-'
[ $WASM = 1 ] && LINKLINE='echo "$(ls -ld "$p" | cut -c1-10) $p"'
# The manifest: type, mode, size and time of each path, contents by md5sum
# (symlinks: only the target; extractors differ on their times).
PATHS='t t/a.txt t/sub t/sub/deeper t/sub/numbers t/sub/bin t/sub/mixed t/empty t/link "t/'$LONGDIR'" "t/'$LONGDIR'/'$LONGFILE'"'
manifest() { # EXTRA-PATHS
    echo 'for p in '"$PATHS $1"'; do
    if [ -L "$p" ]; then '"$LINKLINE"'
    elif [ -d "$p" ]; then ls -ld "$p" | tr -s " " | cut -d" " -f1,6-
    elif [ -e "$p" ]; then ls -ld "$p" | tr -s " " | cut -d" " -f1,5-; md5sum "$p"
    else echo "missing $p"; fi
done'
}

pass=0
fail=0
check() { # NAME EXPECTED-FILE GOT-FILE
    if cmp -s "$2" "$3" && [ -s "$2" ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: $1"
        [ $VERBOSE = 1 ] && diff "$2" "$3" | head -20
    fi
}

# roundtrip NAME WRITER CREATE READER EXTRACT WRITER-MANIFEST READER-MANIFEST [SETUP]
# CREATE writes the archive of t/ to stdout; EXTRACT reads it from stdin.
roundtrip() {
    local name=$1 wside=$2 create=$3 rside=$4 extract=$5 wman=$6 rman=$7 setup=${8:-}
    $wside "$MK_TREE $setup
        { $wman; } > /dev/stderr; $create" 2>"$TMP/exp" >"$TMP/archive"
    $rside "$extract
        $rman" <"$TMP/archive" >"$TMP/got" 2>"$TMP/err"
    check "$name" "$TMP/exp" "$TMP/got"
    [ $VERBOSE = 1 ] && [ -s "$TMP/err" ] && head -5 "$TMP/err"
    return 0
}

FULL=$(manifest "")
WITH_HARD=$(manifest "t/hard")
[ $WASM = 1 ] && WITH_HARD=$FULL
V7=$(manifest "" | sed 's|^for p in .*; do$|for p in t/a.txt t/sub t/sub/deeper t/sub/numbers t/sub/bin t/sub/mixed; do|')
MIXED='md5sum < t/sub/mixed'
for pair in "ours gnu" "gnu ours"; do
    set -- $pair
    w=$1 r=$2
    tag="$w->$r"
    roundtrip "tar gnu $tag" $w 'tar cf - t' $r 'tar xf -' "$WITH_HARD" "$WITH_HARD" "$HARDLINK"
    roundtrip "tar ustar $tag" $w 'tar cf - --format=ustar t' $r 'tar xf -' "$FULL" "$FULL"
    roundtrip "tar pax $tag" $w 'tar cf - --format=pax t' $r 'tar xf -' "$FULL" "$FULL"
    roundtrip "tar v7 $tag" $w 'tar cf - --format=v7 t/a.txt t/sub' $r 'tar xf -' "$V7" "$V7"
    roundtrip "tar gzip $tag" $w 'tar czf - t' $r 'tar xzf -' "$FULL" "$FULL"
    roundtrip "tar through gzip $tag" $w 'tar cf - t | gzip -9' $r 'gunzip | tar xf -' "$FULL" "$FULL"
    for level in 1 6 9; do
        roundtrip "gzip -$level $tag" $w "gzip -$level -c t/sub/mixed" $r 'gunzip -c > m' "$MIXED" 'md5sum < m'
    done
    roundtrip "gzip multi-member $tag" $w 'gzip -c t/a.txt; gzip -1 -c t/sub/numbers' $r 'zcat > m' \
        'cat t/a.txt t/sub/numbers | md5sum' 'md5sum < m'
    roundtrip "tar bzip2 $tag" $w 'tar cjf - t' $r 'tar xjf -' "$FULL" "$FULL"
    for level in 1 9; do
        roundtrip "bzip2 -$level $tag" $w "bzip2 -$level -c t/sub/mixed" $r 'bunzip2 -c > m' "$MIXED" 'md5sum < m'
    done
    roundtrip "bzip2 multi-stream $tag" $w 'bzip2 -c t/a.txt; bzip2 -1 -c t/sub/numbers' $r 'bzcat > m' \
        'cat t/a.txt t/sub/numbers | md5sum' 'md5sum < m'
    roundtrip "zip $tag" $w 'zip -qry - t' $r 'cat > x.zip; unzip -q x.zip' "$FULL" "$FULL"
    roundtrip "zip stored $tag" $w 'zip -qr0y - t' $r 'cat > x.zip; unzip -q x.zip' "$FULL" "$FULL"
done

# The listing of one archive by both tars, and gzip -l of one file by both gzips.
gnu "$MK_TREE tar cf - --sort=name t" > "$TMP/l.tar"
gnu 'tar tvf -' < "$TMP/l.tar" > "$TMP/exp"
ours 'tar tvf -' < "$TMP/l.tar" > "$TMP/got"
check "tar tv of a GNU archive" "$TMP/exp" "$TMP/got"
ours "$MK_TREE tar cf - --sort=name t" > "$TMP/o.tar"
gnu 'tar tvf -' < "$TMP/o.tar" > "$TMP/exp"
ours 'tar tvf -' < "$TMP/o.tar" > "$TMP/got"
check "tar tv of a wasmsh archive" "$TMP/exp" "$TMP/got"
# byte for byte the same archive (not in wasm, where MEMFS gives other modes)
if [ $WASM = 0 ]; then
    cmp -s "$TMP/l.tar" "$TMP/o.tar" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: tar archives differ"; }
fi
gnu "$MK_TREE zip -qr - t" > "$TMP/g.zip"
gnu 'cat > x.zip; unzip -l x.zip' < "$TMP/g.zip" > "$TMP/exp"
ours 'cat > x.zip; unzip -l x.zip' < "$TMP/g.zip" > "$TMP/got"
check "unzip -l of an Info-ZIP archive" "$TMP/exp" "$TMP/got"

echo "archive_roundtrip: $pass passed, $fail failed"
[ $fail -eq 0 ]
