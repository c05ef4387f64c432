# toString forces a list's elements left to right, each only when the
# walk reaches it (the inner list's thunk fails before the outer list's
# last element is forced).  Entries (modern CppNix, reasoned from
# eval.cc's coerceToString: each list level adds its own call's context
# to an error passing through it): the argument's for the outer list,
# "one element of the list" for the inner one.  Nix 2.8: "error: inner".
toString [ 1 [ 2 (throw "inner") ] (throw "outer") ]
