# subst.sh - 10k command substitutions $(...) (POSIX).
i=0
n=0
while [ "$i" -lt 10000 ]; do
    x=$(echo "v$i")
    n=$((n + ${#x}))
    i=$((i + 1))
done
echo "$n"
