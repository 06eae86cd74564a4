a="x y"; b='$a'; echo "$a" $b "${a}z"
