a: b: [ (a ? b || b) (a ? b.c || b) (! a ? b) (a ? b == true) (- a ? b) ]
