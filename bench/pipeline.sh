# pipeline.sh - 3-stage pipelines over 100k lines (POSIX; seq, tr, cut, sort, wc, head).
seq 1 100000 | tr 0123456789 abcdefghij | wc -c
seq 1 100000 | cut -c 1-3 | sort -r | head -n 2
