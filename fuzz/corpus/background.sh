sleep 0 & wait $!; echo $?; (exit 7) & wait; echo done
