s="Hello, World"; echo ${s,,} ${s:7} ${s: -5} ${s/#Hello/Bye} ${s/%World/All}; echo ${s@Q}
