printf "b\na\nb\n" | sort | uniq -c; echo "a:b:c" | cut -d: -f2; echo abc | rev; basename /x/y.txt .txt; dirname /x/y
