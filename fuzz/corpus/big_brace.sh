echo {1..100000} | wc -c
