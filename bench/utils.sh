#!/usr/bin/env bash
# bench/utils.sh - wasmsh's utilities against the GNU ones on big inputs
# generated under build/bench/ at run time (never committed).
#
#   bench/utils.sh [NAME...]      (make bench runs it after bench/run.sh)
#
# Each line of UTIL_BENCHES is "name|our command|GNU command|what" (or, when a
# command holds a pipe, the same with " ;; " between the fields); the
# commands run in build/bench/ and read a 100 MB text file on stdin (the wasm
# build has its own in-memory file system, so the text is copied into it
# first). Ours runs in `wasmsh -c` (native, and the wasm build under node
# when built), the GNU one in `bash -c` with /usr/bin first on PATH. Outputs
# are compared (a differing one is flagged "!"). Adding a benchmark is one line.
set -u
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 2

UTIL_BENCHES=(
    "grep-literal|grep -c zebra|grep -c zebra|grep -c literal (UTF-8)"
    "grep-ere|grep -cE '[a-z]+ing\\b'|grep -cE '[a-z]+ing\\b'|grep -cE '[a-z]+ing\\b' (UTF-8)"
    "grep-icase|grep -ci hello|grep -ci hello|grep -ci word (UTF-8)"
    "grep-literal-C|LC_ALL=C grep -c zebra|LC_ALL=C grep -c zebra|grep -c literal (C locale)"
    "grep-ere-C|LC_ALL=C grep -cE '[a-z]+ing\\b'|LC_ALL=C grep -cE '[a-z]+ing\\b'|grep -cE (C locale)"
    "grep-icase-C|LC_ALL=C grep -ci hello|LC_ALL=C grep -ci hello|grep -ci word (C locale)"
    "sha256sum|sha256sum|sha256sum|sha256sum of the text (compressors: bench/archive.sh)"
    "md5sum|md5sum|md5sum|md5sum of the text"
    "cksum|cksum|cksum|cksum (POSIX CRC) of the text"
    "awk-sum|awk '{ s += \$2 } END { print s }'|awk '{ s += \$2 } END { print s }'|awk sums a column, 1M lines (vs gawk)|cols.txt"
    "awk-fields|awk '{ n += NF; c[\$1]++ } END { print n, length(c) }'|awk '{ n += NF; c[\$1]++ } END { print n, length(c) }'|awk NF and an array, 1M lines|cols.txt"
    "awk-count|awk '{ c[\$2 \"-\" \$4]++ } END { for (k in c) { n++; t += c[k] } print n, t }'|awk '{ c[\$2 \"-\" \$4]++ } END { for (k in c) { n++; t += c[k] } print n, t }'|awk counts 12000 keys, 1M lines|cols.txt"
    "awk-printf|awk '{ printf \"%-8s %5d %8.3f\\n\", \$1, \$2, \$3 }' >out.txt|awk '{ printf \"%-8s %5d %8.3f\\n\", \$1, \$2, \$3 }' >out.txt|awk printf of 1M lines|cols.txt"
    "bc-pi|bc -l|bc -l|bc -l: scale=2000; 4*a(1)|pi.bc"
    "sed-subst|sed 's/a/b/g'|sed 's/a/b/g'|sed s/a/b/g, 100 MB out (UTF-8)"
    "sed-subst-C|LC_ALL=C sed 's/a/b/g'|LC_ALL=C sed 's/a/b/g'|sed s/a/b/g (C locale)"
    "sed-regex|sed -E 's/([a-z]+)ing/\\1ed/g'|sed -E 's/([a-z]+)ing/\\1ed/g'|sed -E with a group (UTF-8)"
    "sed-print|sed -n '/zebra/p'|sed -n '/zebra/p'|sed -n /re/p (UTF-8)"
    "sort-1M-C ;; head -n 1000000 | LC_ALL=C sort ;; head -n 1000000 | LC_ALL=C sort ;; sort of 1M lines (C locale)"
    "sort-k2-1M ;; head -n 1000000 | LC_ALL=C sort -s -t' ' -k2,2 ;; head -n 1000000 | LC_ALL=C sort -s -t' ' -k2,2 ;; sort -s -k2,2 of 1M lines (C)"
    "wc-l|wc -l|wc -l|wc -l of 100 MB"
    "wc-C|LC_ALL=C wc|LC_ALL=C wc|wc of 100 MB (C locale)"
    "wc-m|wc -m|wc -m|wc -m of 100 MB (UTF-8)"
    "sort-uniq ;; export LC_ALL=C; sort | uniq -c | sort -rn | head -n 5 ;; export LC_ALL=C; sort | uniq -c | sort -rn | head -n 5 ;; sort | uniq -c | sort -rn | head (C)"
    "tr|tr a-z A-Z|tr a-z A-Z|tr a-z A-Z of 100 MB"
    "cut|cut -d' ' -f2,4|cut -d' ' -f2,4|cut -d' ' -f2,4 of 100 MB"
    "base64|base64|base64|base64 of 100 MB"
    "tac|tac|tac|tac of 100 MB"
    "tail ;; cat | tail -n 5 ;; cat | tail -n 5 ;; tail -n 5 of 100 MB through a pipe"
)
# mawk is faster than gawk; its line is only there when it is installed.
if command -v mawk >/dev/null 2>&1; then
    UTIL_BENCHES+=("awk-sum-mawk|awk '{ s += \$2 } END { print s }'|mawk '{ s += \$2 } END { print s }'|awk sums a column (vs mawk)|cols.txt")
fi
# The locale of the commands without their own LC_ALL=.
export LC_ALL=${BENCH_LC_ALL:-C.UTF-8}

RUNS=${BENCH_RUNS:-3}
NATIVE=${WASMSH_NATIVE:-build/native/wasmsh}
WASM=${WASMSH_WASM:-build/wasm/wasmsh.mjs}
FLAGS="--max-steps=unlimited --timeout-ms=unlimited"
DIR=build/bench
TEXT_MB=${BENCH_TEXT_MB:-100}

have() { command -v "$1" >/dev/null 2>&1; }

mkdir -p "$DIR"
TEXT=text.txt
if [ ! -s "$DIR/$TEXT" ] || [ "$(($(wc -c <"$DIR/$TEXT") / 1048576))" -ne "$TEXT_MB" ]; then
    echo "bench/utils: generating $DIR/$TEXT ($TEXT_MB MB)" >&2
    python3 - "$DIR/$TEXT" "$TEXT_MB" <<'PY'
import random, sys
path, mb = sys.argv[1], int(sys.argv[2])
rng = random.Random(42)
words = ("the of and to in is was he for it with as his on be at by had are but from or "
         "have an they which one you were her all she there would their we him been has "
         "when who will more no if out so said what up its about into than them can only "
         "other new some could time these two may then do first any my now such like our "
         "over man me even most made after also did many before must through back years "
         "where much your way well down should because each just those people how too "
         "running thinking something nothing morning evening building string king ring "
         "sing thing during being having making taking going coming looking trying "
         "Hello HELLO hello world data value table index system process number letter").split()
rare = ["zebra"]
target = mb * 1048576
out = []
size = 0
with open(path, "w") as f:
    while size < target:
        n = rng.randint(4, 14)
        line = " ".join(rng.choice(words) for _ in range(n))
        if rng.random() < 0.01:
            line += " " + rare[0]
        line = line[: max(0, min(len(line), target - size - 1))]
        f.write(line + "\n")
        size += len(line) + 1
PY
fi

# 1M lines of "word integer decimal word" for the awk lines (the sums stay
# below 2^31 so mawk prints them as integers too).
COLS=cols.txt
if [ ! -s "$DIR/$COLS" ]; then
    echo "bench/utils: generating $DIR/$COLS (1M lines)" >&2
    python3 - "$DIR/$COLS" <<'PY'
import random, sys
rng = random.Random(7)
words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"]
with open(sys.argv[1], "w") as f:
    for _ in range(1000000):
        f.write("%s %d %.2f %s\n" % (rng.choice(words), rng.randint(1, 1000), rng.random() * 100,
                                      "x" * rng.randint(1, 12)))
PY
fi

# bc's program for the bc line, on its stdin
[ -s "$DIR/pi.bc" ] || echo 'scale=2000; 4*a(1)' >"$DIR/pi.bc"

# Output goes to out.txt, not /dev/null: GNU grep stops at the first match
# when its output is /dev/null.

ABS_NATIVE=$(realpath "$NATIVE" 2>/dev/null)
ABS_WASM=$(realpath "$WASM" 2>/dev/null)

# Times are taken inside the running shell with the `time` keyword, RUNS
# times in one process (warm: no process or node start-up, and for wasmsh the
# input first copied into its own file system, MEMFS for the wasm build), and
# the median kept. `real` lines are read from stderr.
median_real() { # stderr text on stdin -> median seconds
    awk '$1 == "real" { split($2, a, "m"); sub("s", "", a[2]); print a[1] * 60 + a[2] }' |
        sort -n | sed -n "$(((RUNS + 1) / 2))p"
}
loop() { # CMD INPUT -> a script timing CMD RUNS times (braces: CMD may be a pipeline)
    printf 'for i in %s; do time { %s; } <%s >out.txt; done' "$(seq -s ' ' 1 "$RUNS")" "$1" "$2"
}
gnu_time() { (cd "$DIR" && PATH=/usr/bin:/bin bash -c "$(loop "$1" "$TEXT")" 2>&1 >/dev/null | median_real); }
our_time() { # RUNNER... CMD
    local cmd=${*: -1}
    (cd "$DIR" && "${@:1:$#-1}" $FLAGS -c "cat >in.txt; $(loop "$cmd" in.txt)" <"$TEXT" 2>&1 >/dev/null | median_real)
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || a == "" || b == "" || b + 0 == 0) print "-"; else printf "%.2f\n", a / b }'; }

echo "bench/utils: ${TEXT_MB} MB text, LC_ALL=$LC_ALL unless the command sets it; median of $RUNS warm run(s) in one process"
printf '%-15s%10s%10s%10s%12s%12s  %s\n' benchmark native wasm gnu native/gnu wasm/native what
for entry in "${UTIL_BENCHES[@]}"; do
    input=
    if [[ $entry == *" ;; "* ]]; then
        name=${entry%% ;; *} rest=${entry#* ;; }
        ours=${rest%% ;; *} rest=${rest#* ;; }
        gnu=${rest%% ;; *} what=${rest#* ;; }
    else
        IFS='|' read -r name ours gnu what input <<<"$entry"
    fi
    if [ $# -gt 0 ] && [[ " $* " != *" $name "* ]]; then continue; fi
    TEXT=${input:-text.txt}
    ref=$(cd "$DIR" && PATH=/usr/bin:/bin bash -c "$gnu" 2>&1 <"$TEXT")
    tg=$(gnu_time "$gnu")
    tn=- tw=- fn=" " fw=" "
    if [ -x "$ABS_NATIVE" ]; then
        # shellcheck disable=SC2086
        out=$(cd "$DIR" && "$ABS_NATIVE" $FLAGS -c "$ours" 2>&1 <"$TEXT")
        [ "$out" != "$ref" ] && fn="!"
        tn=$(our_time "$ABS_NATIVE" "$ours")
    fi
    if [ -n "$ABS_WASM" ] && [ -f "$ABS_WASM" ] && have node; then
        # shellcheck disable=SC2086
        out=$(cd "$DIR" && node "$ABS_WASM" $FLAGS -c "$ours" 2>&1 <"$TEXT")
        [ "$out" != "$ref" ] && fw="!"
        tw=$(our_time node "$ABS_WASM" "$ours")
    fi
    printf '%-15s%9s%s%9s%s%10s%12s%12s  %s\n' "$name" "${tn:--}" "$fn" "${tw:--}" "$fw" "${tg:--}" \
        "$(ratio "$tn" "$tg")" "$(ratio "$tw" "$tn")" "$what"
done
rm -f "$DIR/in.txt" "$DIR/out.txt"
echo "seconds (wall, median); ! = output differs from GNU's"

