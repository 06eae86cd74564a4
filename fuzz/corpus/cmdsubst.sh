x=$(echo inner $(echo nested)); y=`echo back`; echo "$x|$y|$(printf "%s" "a  b")"
