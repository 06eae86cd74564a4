mapfile -t lines < <(printf "1\n2\n3\n"); echo ${#lines[@]}; printf "%s\n" "${lines[@]}" | wc -l
