echo {a,b,c}{1..3} {1..10..2} {z..a} x{,y}z {a,{b,c}}
