for i in 1 2 3; do echo $i; done
for ((i=0;i<3;i++)); do printf "%d," $i; done; echo
