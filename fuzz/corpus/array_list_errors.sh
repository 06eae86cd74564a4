a=(x;y); echo same
echo next $?
if true; then
 a=(p|q)
 echo in
fi
eval "b=(1 2
3&4)"; echo $?
c=(x
;y) z <<EOF
body
EOF
declare -A m=([é]=1 ["@"]=2); declare -p m; LC_ALL=C printf "%q\n" "é"
