# let bindings print in symbol creation order. The symbol of a lambda argument
# is created when the lambda is reduced, i.e. after its body, so late1 comes
# last; late6 is created by its first use (in early4), before early5.
late1: late6: [ (let early2 = 1; early3 = 2; late1 = 3; in 1) (let early4 = late6; early5 = 1; late6 = 2; in 1) ]
