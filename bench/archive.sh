#!/usr/bin/env bash
# bench/archive.sh - wasmsh's compressors and checksums against the GNU tools.
#
#   bench/archive.sh [NAME...]      (also run by `make bench`)
#
# A table of (name, command) run three ways on the same 50 MB text file
# (generated under build/bench/ at first use): GNU (bash with /usr/bin), the
# native wasmsh and the wasm build under node. Commands read stdin and write
# stdout, so the wasm build (whose filesystem is its own MEMFS) sees the same
# bytes. The time is the median wall time of BENCH_RUNS runs (default 3).
# Columns: seconds for GNU, native and wasm, then native/GNU and wasm/GNU.
# Outputs are compared (the hash, or the decompressed bytes for gzip), and the
# compressed sizes are shown for gzip.
set -u
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 2

RUNS=${BENCH_RUNS:-3}
NATIVE=${WASMSH_NATIVE:-build/native/wasmsh}
WASM=${WASMSH_WASM:-build/wasm/wasmsh.mjs}
FLAGS=(--max-steps=unlimited --timeout-ms=unlimited)
DATA=build/bench/text50.txt
SIZE=$((50 * 1024 * 1024))

# name | input file | command (stdin -> stdout)
BENCHES=(
    "gzip-6|$DATA|gzip -6 -c"
    "gunzip|$DATA.gz|gunzip -c"
    "gzip-1|$DATA|gzip -1 -c"
    "gzip-9|$DATA|gzip -9 -c"
    "sha256sum|$DATA|sha256sum"
    "md5sum|$DATA|md5sum"
    "cksum|$DATA|cksum"
    "tar-xO|$DATA.tar|tar xOf -"
    "bzip2-9|$DATA|bzip2 -9 -c"
    "bunzip2|$DATA.bz2|bunzip2 -c"
)

make_data() {
    [ -f "$DATA" ] && [ "$(stat -c %s "$DATA")" = $SIZE ] && [ -f "$DATA.gz" ] && [ -f "$DATA.tar" ] && [ -f "$DATA.bz2" ] && return
    mkdir -p build/bench
    echo "bench: generating $DATA (50 MB of text)" >&2
    local seedf=build/bench/seed.txt
    cat src/*/*.c docs/*.md > "$seedf"
    : > "$DATA"
    while [ "$(stat -c %s "$DATA")" -lt $SIZE ]; do cat "$seedf" >> "$DATA"; done
    truncate -s $SIZE "$DATA"
    rm -f "$seedf"
    gzip -6 -c "$DATA" > "$DATA.gz"
    bzip2 -9 -c "$DATA" > "$DATA.bz2"
    (cd build/bench && tar cf text50.txt.tar text50.txt)
}

median() { # command string, input file -> median seconds
    local cmd=$1 in=$2 i t0 t1 times=()
    for ((i = 0; i < RUNS; i++)); do
        t0=$(date +%s%N)
        eval "$cmd" < "$in" > /dev/null 2>&1
        t1=$(date +%s%N)
        times+=($(((t1 - t0) / 1000)))
    done
    printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((RUNS + 1) / 2))p" | awk '{ printf "%.3f", $1 / 1e6 }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print "-"; else printf "%.2f", a / b }'; }

run_gnu() { bash -c "$1"; }
run_native() { "$NATIVE" "${FLAGS[@]}" -c "$1"; }
run_wasm() { node "$WASM" "${FLAGS[@]}" -c "$1"; }

# The output, reduced to something comparable: decompressed bytes' hash for
# compressors, the output itself otherwise.
digest() { # side cmd input
    local out
    case $2 in
    gzip*|*"| gzip"*) out=$("run_$1" "$2" < "$3" | gunzip -c | md5sum) ;;
    bzip2*) out=$("run_$1" "$2" < "$3" | bunzip2 -c | md5sum) ;;
    *) out=$("run_$1" "$2" < "$3" | md5sum) ;;
    esac
    echo "$out"
}

make_data
have_wasm=0
[ -f "$WASM" ] && command -v node >/dev/null && have_wasm=1
printf '%-10s %8s %8s %8s %8s %8s  %s\n' bench gnu native wasm nat/gnu wasm/gnu note
for b in "${BENCHES[@]}"; do
    IFS='|' read -r name in cmd <<<"$b"
    if [ $# -gt 0 ] && [[ " $* " != *" $name "* ]]; then continue; fi
    tg=$(median "run_gnu '$cmd'" "$in")
    tn=$(median "run_native '$cmd'" "$in")
    tw=""
    [ $have_wasm = 1 ] && tw=$(median "run_wasm '$cmd'" "$in")
    note=""
    want=$(digest gnu "$cmd" "$in")
    [ "$(digest native "$cmd" "$in")" = "$want" ] || note="! native output differs"
    if [ $have_wasm = 1 ] && [ "$(digest wasm "$cmd" "$in")" != "$want" ]; then note="$note ! wasm output differs"; fi
    if [[ $cmd == gzip* || $cmd == bzip2* ]]; then
        note="$note size gnu $(run_gnu "$cmd" < "$in" | wc -c) ours $(run_native "$cmd" < "$in" | wc -c)"
    fi
    printf '%-10s %8s %8s %8s %8s %8s  %s\n' "$name" "$tg" "$tn" "${tw:--}" "$(ratio "$tn" "$tg")" \
        "$(ratio "$tw" "$tg")" "$note"
done
