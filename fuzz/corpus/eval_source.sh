cmd='echo $((1+2))'; eval "$cmd"; eval "x=\$cmd"; echo "$x"
