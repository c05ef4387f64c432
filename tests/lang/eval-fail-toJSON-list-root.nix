# A list given to builtins.toJSON itself: its elements' entries are at the
# call (prim_toJSON passes its position).  Reasoned from value-to-json.cc
# and primops.cc (2.35.2).
builtins.toJSON [ 1 (throw "second") ]
