a=(one "two words" three); a+=(four); echo ${#a[@]} "${a[1]}" "${a[@]:1:2}" "${!a[@]}"; unset "a[0]"; echo "${a[*]}"
