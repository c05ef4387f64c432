# An application whose function is already a call (ExprCall) appends the
# argument to it, even through parentheses and for desugared operators
# (-a, a < b, a - b, <x>) -- but not for ExprOpNot (a >= b).
a: b: f: [ ((-a) 1) ((a < b) 1) ((a - b) 1 2) ((a >= b) 1) ((f 1) 2) ((<x>) 1) ]
