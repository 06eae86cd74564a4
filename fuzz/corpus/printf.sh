printf "%s|%5d|%-5s|%x|%o|%c|%b|%q\n" str 42 ab 255 8 xyz "a\tb" "it's"; printf -v v "%03d" 7; echo $v
