printf "a b\nc d\n" | while read -r x y; do echo "$y-$x"; done
IFS=: read -ra parts <<< "p:q:r"; echo ${parts[2]}
