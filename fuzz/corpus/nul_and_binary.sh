echo $'\x01\xff\u00e9'; printf "a\0b" | wc -c
