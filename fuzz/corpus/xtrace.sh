set -x; a=1; echo "$a" | cat; set +x; echo done
