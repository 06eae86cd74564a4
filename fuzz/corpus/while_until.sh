n=0; while [ $n -lt 3 ]; do n=$((n+1)); done; until [ $n -eq 0 ]; do n=$((n-1)); [ $n -eq 1 ] && break; done; echo $n
