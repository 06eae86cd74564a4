declare -A m=([k1]=v1 [k2]=v2); m[k3]=v3; for k in "${!m[@]}"; do echo "$k=${m[$k]}"; done | sort
