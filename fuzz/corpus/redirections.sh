echo out >/dev/null; echo err 2>&1 1>/dev/null; { echo a; echo b >&2; } 2>&1 | cat; cat </dev/null
