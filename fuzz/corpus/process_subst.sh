cat <(echo from-procsubst); diff_ok=$(cat <(printf "x\n")); echo $diff_ok
