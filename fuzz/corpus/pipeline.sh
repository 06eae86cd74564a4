seq 1 20 | sort -r | head -n 5 | tr '\n' , ; echo
