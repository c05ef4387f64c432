let l = [ ]; in 1 + l
