echo $(echo $(echo $(echo $(echo $(echo deep)))))
((((((1+2)*3)-4)/5)))
