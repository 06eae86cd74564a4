#!/usr/bin/env bash
# bench/run.sh - wall-clock comparison of wasmsh with bash and dash.
#
#   bench/run.sh [NAME...]        (or `make bench`, which builds first)
#
# Shells: build/native/wasmsh, `node build/wasm/wasmsh.mjs` (when built), bash,
# and dash for the POSIX scripts. Each script in bench/ runs as a script file;
# the time is the median wall time of BENCH_RUNS runs (default 3), measured with
# hyperfine when it is installed, else with a small timing loop. Every shell's
# output is first compared with bash's: a different output is flagged with `!`
# (its time is still shown, but it is not a fair comparison).
#
# Columns: seconds per shell, then wasmsh/bash (native) and wasm/native ratios
# (whole process, start-up subtracted, and warm: see warm_time).
set -u
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 2

RUNS=${BENCH_RUNS:-3}
NATIVE=${WASMSH_NATIVE:-build/native/wasmsh}
WASM=${WASMSH_WASM:-build/wasm/wasmsh.mjs}
# The CLI's default budgets are for sandboxed runs; a benchmark must not hit them.
WASMSH_FLAGS=(--max-steps=unlimited --timeout-ms=unlimited)

# name, script, POSIX (dash can run it)
BENCHES=(
    "arith|bench/arith.sh|posix|100k-iteration arithmetic loop"
    "funcs|bench/funcs.sh|posix|10k function calls"
    "subst|bench/subst.sh|posix|10k \$(...) substitutions"
    "strings|bench/strings.sh|bash|string ops on a 10k-element array"
    "pipeline|bench/pipeline.sh|posix|3-stage pipelines over 100k lines"
)

have() { command -v "$1" >/dev/null 2>&1; }

SHELLS=()
declare -A CMD
if [ -x "$NATIVE" ]; then
    SHELLS+=(wasmsh)
    CMD[wasmsh]="$NATIVE ${WASMSH_FLAGS[*]}"
else
    echo "bench: $NATIVE is not built (make native); skipped" >&2
fi
if [ -f "$WASM" ] && have node; then
    SHELLS+=(wasm)
    CMD[wasm]="node $WASM ${WASMSH_FLAGS[*]}"
else
    echo "bench: $WASM is not built (make wasm); skipped" >&2
fi
if have bash; then SHELLS+=(bash); CMD[bash]="$(command -v bash)"; fi
if have dash; then SHELLS+=(dash); CMD[dash]="$(command -v dash)"; fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/wasmsh-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

USE_HYPERFINE=0
if have hyperfine && have python3; then USE_HYPERFINE=1; fi

# median_time CMD... -> median wall seconds of RUNS runs, on stdout
median_time() {
    if [ "$USE_HYPERFINE" = 1 ]; then
        local json=$TMP/h.json
        if hyperfine -N -i --runs "$RUNS" --style none --export-json "$json" -- "$*" \
            >/dev/null 2>&1; then
            python3 -c 'import json,sys; print("%.3f" % json.load(open(sys.argv[1]))["results"][0]["median"])' "$json"
            return
        fi
    fi
    local i t0 t1 times=()
    for ((i = 0; i < RUNS; i++)); do
        t0=$(date +%s%N)
        "$@" >/dev/null 2>&1 </dev/null
        t1=$(date +%s%N)
        times+=($(((t1 - t0) / 1000)))
    done
    printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((RUNS + 1) / 2))p" |
        awk '{ printf "%.3f\n", $1 / 1e6 }'
}

ratio() { # a b -> a/b, or "-"
    awk -v a="$1" -v b="$2" 'BEGIN {
        if (a == "-" || b == "-" || a == "" || b == "" || b + 0 == 0) print "-";
        else printf "%.2f\n", a / b }'
}

echo "bench: ${SHELLS[*]}; median of $RUNS run(s); timing with $([ "$USE_HYPERFINE" = 1 ] && echo hyperfine || echo a shell loop)"
echo
printf '%-10s' benchmark
for s in wasmsh wasm bash dash; do printf '%10s' "$s"; done
printf '%13s%13s%13s%13s  %s\n' wasmsh/bash wasm/native "(-startup)" "(warm)" "what"

# Process start-up (Node plus module instantiation for wasm) is measured on an
# empty script and subtracted in the last ratio column, which compares the
# work itself.
: >"$TMP/empty.sh"
declare -A START=()
for s in "${SHELLS[@]}"; do
    # shellcheck disable=SC2086
    START[$s]=$(median_time ${CMD[$s]} "$TMP/empty.sh")
done
printf '%-10s' startup
for s in wasmsh wasm bash dash; do printf '%10s' "${START[$s]:--}"; done
printf '%13s%13s%13s%13s  %s\n' "$(ratio "${START[wasmsh]:--}" "${START[bash]:--}")" \
    "$(ratio "${START[wasm]:--}" "${START[wasmsh]:--}")" - - "empty script (process start-up)"

# Warm: the script repeated WARM_REPS times in one process; the time of one
# repetition in a running shell is (T(reps) - T(1)) / (reps - 1), free of
# start-up and of the wasm engine's compile and tier-up. This is the cost a
# long-lived session (the product's normal mode) pays per command.
WARM_REPS=${WARM_REPS:-5}
warm_time() { # shell script t1 -> seconds per repetition, or "-"
    local s=$1 script=$2 t1=$3 i rep=$TMP/warm.sh tn
    for ((i = 0; i < WARM_REPS; i++)); do cat "$script"; echo; done >"$rep"
    # shellcheck disable=SC2086
    tn=$(median_time ${CMD[$s]} "$rep")
    awk -v a="$tn" -v b="$t1" -v n="$WARM_REPS" 'BEGIN { if (a == "" || b == "" || b == "-") print "-";
        else { d = (a - b) / (n - 1); if (d < 0.001) d = 0.001; printf "%.3f\n", d } }'
}

sub_start() { # t start -> t - start (at least 0.001), or "-"
    awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || a == "" || b == "") print "-";
        else { d = a - b; if (d < 0.001) d = 0.001; printf "%.3f\n", d } }'
}

for entry in "${BENCHES[@]}"; do
    IFS='|' read -r name script kind what <<<"$entry"
    if [ $# -gt 0 ] && [[ " $* " != *" $name "* ]]; then continue; fi
    declare -A T=() FLAG=() W=()
    ref=
    if have bash; then ref=$(bash "$script" 2>&1 </dev/null); fi
    for s in "${SHELLS[@]}"; do
        if [ "$s" = dash ] && [ "$kind" != posix ]; then continue; fi
        # shellcheck disable=SC2086  # CMD holds a command line
        out=$(${CMD[$s]} "$script" 2>&1 </dev/null)
        FLAG[$s]=" "
        [ -n "$ref" ] && [ "$out" != "$ref" ] && FLAG[$s]="!"
        # shellcheck disable=SC2086
        T[$s]=$(median_time ${CMD[$s]} "$script")
        if [ "$s" = wasmsh ] || [ "$s" = wasm ]; then W[$s]=$(warm_time "$s" "$script" "${T[$s]}"); fi
    done
    printf '%-10s' "$name"
    for s in wasmsh wasm bash dash; do
        if [ -n "${T[$s]:-}" ]; then printf '%9s%s' "${T[$s]}" "${FLAG[$s]}"; else printf '%10s' -; fi
    done
    printf '%13s%13s%13s%13s  %s\n' "$(ratio "${T[wasmsh]:--}" "${T[bash]:--}")" \
        "$(ratio "${T[wasm]:--}" "${T[wasmsh]:--}")" \
        "$(ratio "$(sub_start "${T[wasm]:--}" "${START[wasm]:-}")" "$(sub_start "${T[wasmsh]:--}" "${START[wasmsh]:-}")")" \
        "$(ratio "${W[wasm]:--}" "${W[wasmsh]:--}")" "$what"
    unset T FLAG W
done
echo
echo "seconds (wall, median); ! = output differs from bash's; - = not run"
echo "(-startup): wasm/native after subtracting each one's empty-script time;"
echo "(warm): wasm/native per repetition of the script inside one running process ($WARM_REPS reps)"
