[[ abc == a* && -n x && ! -z x ]] && echo 1; [[ abc =~ ^a(b)c$ ]] && echo ${BASH_REMATCH[1]}; [ 1 -lt 2 -a 3 -ge 3 ] && echo 2; test -e / && echo 3
