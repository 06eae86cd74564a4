set -- a b c; echo $# $* "$@" $0 $- ${#@} ${@:2}; shift; echo "$1"; echo $$ >/dev/null; echo $?
