f() { local x=$1; echo "f:$x:$#"; return 3; }
f a b; echo $?
g() { f "$@"; }; g "1 2" 3
