x=g; f() { local x=l; g; }; g() { echo $x; }; f; echo $x; declare -i n=3+4; echo $n
