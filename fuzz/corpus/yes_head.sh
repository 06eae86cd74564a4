yes | head -n 3; yes abc | head -c 10; echo
