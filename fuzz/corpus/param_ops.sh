s=foo.tar.gz; echo ${s%.*} ${s%%.*} ${s#*.} ${s##*.} ${s/o/0} ${s//o/0} ${#s} ${s:1:3} ${s^^} ${u:-def} ${u:=set} ${s:+alt}
