# strings.sh - string operations over a 10k-element array (bash only).
a=()
for ((i = 0; i < 10000; i++)); do
    a+=("item-$i-value")
done
b=("${a[@]/item/ITEM}")
c=("${b[@]#ITEM-}")
d=("${c[@]^^}")
total=0
hits=0
for s in "${d[@]}"; do
    total=$((total + ${#s}))
    [[ $s == *99* ]] && hits=$((hits + 1))
    t=${s%-*}
    u=${t:0:2}
    [[ -n $u ]] || echo "empty"
done
joined=$(IFS=,; printf '%s' "${d[*]}")
echo "$total $hits ${#joined} ${d[9999]} ${#a[@]}"
