set -e; f() { false; echo not; }; if f; then echo yes; fi; true && false || echo ok; false
echo unreachable
