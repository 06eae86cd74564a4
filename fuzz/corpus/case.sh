for w in apple Banana 42 ""; do case $w in a*) echo a;; [A-Z]*) echo upper;; *[0-9]) echo num;; "") echo empty;; esac; done
