# funcs.sh - 10k shell function calls with arguments (POSIX).
next() {
    r=$(($1 + $2))
}
i=0
while [ "$i" -lt 10000 ]; do
    next "$i" 1
    i=$r
done
echo "$i"
