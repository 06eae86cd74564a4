#!/usr/bin/env bash
# bench/jq.sh - jq (and yq) against the reference tools on a JSON array
# generated under build/bench/ at run time (never committed).
#
#   bench/jq.sh                (make bench runs it after bench/utils.sh)
#
# The input is read on stdin (the wasm build cannot open host files). Ours
# runs as `wasmsh -c CMD` natively and under node; the references are
# Debian's jq (1.6), the jq 1.8.2 build of test/ref/install-jq.sh and yq v4
# when installed. Peak memory (max RSS) is shown for the native runs.
set -u
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 2

RUNS=${BENCH_RUNS:-3}
NATIVE=${WASMSH_NATIVE:-build/native/wasmsh}
WASM=${WASMSH_WASM:-build/wasm/wasmsh.mjs}
FLAGS="--max-steps=unlimited --timeout-ms=unlimited"
DIR=build/bench
MB=${BENCH_JSON_MB:-50}
JSON=$DIR/array.json
JQ16=/usr/bin/jq
JQ18=${WASMSH_REF_JQ:-/opt/wasmsh-ref/jq-1.8.2/bin/jq}
YQREF=${WASMSH_REF_YQ:-/opt/wasmsh-ref/yq/bin/yq}

mkdir -p "$DIR"
if [ ! -s "$JSON" ] || [ "$(($(wc -c <"$JSON") / 1048576))" -ne "$MB" ]; then
    echo "bench/jq: generating $JSON ($MB MB)" >&2
    python3 - "$JSON" "$MB" <<'PY'
import json, random, sys
path, mb = sys.argv[1], int(sys.argv[2])
rng = random.Random(1)
target = mb * 1048576
with open(path, "w") as f:
    f.write("[")
    size, n = 1, 0
    while size < target - 200:
        o = {"x": rng.randint(0, 10), "name": "user%d" % n, "tags": ["a", "b"],
             "score": round(rng.random() * 100, 3), "active": n % 2 == 0,
             "meta": {"id": n, "group": "g%d" % (n % 7)}}
        s = ("," if n else "") + json.dumps(o)
        f.write(s)
        size += len(s)
        n += 1
    f.write("]\n")
PY
fi
YAML=$DIR/doc.yaml
if [ ! -s "$YAML" ]; then
    python3 - "$YAML" <<'PY'
import random, sys
rng = random.Random(2)
with open(sys.argv[1], "w") as f:
    f.write("items:\n")
    for i in range(20000):
        f.write(f"  - name: item{i}\n    x: {rng.randint(0, 10)}\n    tags: [a, b]\n    meta:\n      id: {i}\n")
PY
fi

have() { command -v "$1" >/dev/null 2>&1; }
OUT=$(mktemp "${TMPDIR:-/tmp}/wasmsh-bench-jq.XXXXXX")
trap 'rm -f "$OUT"' EXIT
median() { sort -n | sed -n "$(((RUNS + 1) / 2))p"; }
time_cmd() { # INPUT CMD... -> median seconds
    local in=$1 i t0 t1
    shift
    for ((i = 0; i < RUNS; i++)); do
        t0=$(date +%s%N)
        "$@" >"$OUT" 2>&1 <"$in"
        t1=$(date +%s%N)
        echo $(((t1 - t0) / 1000))
    done | median | awk '{ printf "%.3f\n", $1 / 1e6 }'
}
peak_kb() { # INPUT CMD... -> max RSS in MB of one run
    local in=$1
    shift
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f %M -o "$OUT.rss" "$@" >/dev/null 2>&1 <"$in"
        awk '{ printf "%d\n", $1 / 1024 }' "$OUT.rss"
        rm -f "$OUT.rss"
    else
        echo -
    fi
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b + 0 == 0) print "-"; else printf "%.2f\n", a / b }'; }

# name, input, our command, reference command (parallel arrays: commands hold '|').
NAMES=(jq-select jq-map-sum jq-group jq-compact yq-select)
INPUTS=("$JSON" "$JSON" "$JSON" "$JSON" "$YAML")
OURS=("jq '.[] | select(.x > 5) | .name'"
      "jq '[.[].score] | add | floor'"
      "jq -c 'group_by(.meta.group) | map({g: .[0].meta.group, n: length})'"
      "jq -c ."
      "yq '.items[] | select(.x > 5) | .name'")
REFS=("$JQ16 '.[] | select(.x > 5) | .name'"
      "$JQ16 '[.[].score] | add | floor'"
      "$JQ16 -c 'group_by(.meta.group) | map({g: .[0].meta.group, n: length})'"
      "$JQ16 -c ."
      "$YQREF '.items[] | select(.x > 5) | .name'")

echo "bench/jq: $MB MB JSON array on stdin, median of $RUNS run(s); reference = Debian jq 1.6 (jq-*) / yq v4 (yq-*)"
printf '%-12s%10s%10s%10s%10s%12s%12s%10s%10s\n' benchmark native wasm ref jq1.8 native/ref wasm/native ours-MB ref-MB
ABS_NATIVE=$(realpath "$NATIVE" 2>/dev/null)
ABS_WASM=$(realpath "$WASM" 2>/dev/null)
for i in "${!NAMES[@]}"; do
    name=${NAMES[$i]} input=${INPUTS[$i]} ours=${OURS[$i]} ref=${REFS[$i]}
    if [ $# -gt 0 ] && [[ " $* " != *" $name "* ]]; then continue; fi
    refbin=${ref%% *}
    if [ ! -x "$refbin" ]; then continue; fi
    # The output to match is jq 1.8's when it is installed (the language we
    # implement; 1.6 prints numbers differently), else the reference's.
    check=$ref
    if [[ $name == jq-* ]] && [ -x "$JQ18" ]; then check=${ref/#$JQ16/$JQ18}; fi
    expect=$(bash -c "$check" 2>&1 <"$input" | md5sum)
    tr_=$(time_cmd "$input" bash -c "$ref")
    t18=-
    if [[ $name == jq-* ]] && [ -x "$JQ18" ]; then t18=$(time_cmd "$input" bash -c "${ref/#$JQ16/$JQ18}"); fi
    tn=- tw=- fn=" " fw=" " mn=- mr=-
    if [ -x "$ABS_NATIVE" ]; then
        # shellcheck disable=SC2086
        got=$("$ABS_NATIVE" $FLAGS -c "$ours" 2>&1 <"$input" | md5sum)
        [ "$got" != "$expect" ] && fn="!"
        # shellcheck disable=SC2086
        tn=$(time_cmd "$input" "$ABS_NATIVE" $FLAGS -c "$ours")
        # shellcheck disable=SC2086
        mn=$(peak_kb "$input" "$ABS_NATIVE" $FLAGS -c "$ours")
        mr=$(peak_kb "$input" bash -c "$ref")
    fi
    if [ -n "$ABS_WASM" ] && [ -f "$ABS_WASM" ] && have node; then
        # shellcheck disable=SC2086
        got=$(node "$ABS_WASM" $FLAGS -c "$ours" 2>&1 <"$input" | md5sum)
        [ "$got" != "$expect" ] && fw="!"
        # shellcheck disable=SC2086
        tw=$(time_cmd "$input" node "$ABS_WASM" $FLAGS -c "$ours")
    fi
    printf '%-12s%9s%s%9s%s%10s%10s%12s%12s%10s%10s\n' "$name" "$tn" "$fn" "$tw" "$fw" "$tr_" "$t18" \
        "$(ratio "$tn" "$tr_")" "$(ratio "$tw" "$tn")" "$mn" "$mr"
done
echo "seconds (wall, median); ! = output differs from jq 1.8's (jq-*, when installed) or yq's"
