# `or` can be bound by let and used as the argument of an application
# (expr_simple OR_KW), but not as a plain expression.
let or = 1; f = x: x; in [ (f or) ]
