x=3
if [ "$x" -gt 5 ]; then echo big; elif [[ $x == 3 ]]; then echo three; else echo small; fi
