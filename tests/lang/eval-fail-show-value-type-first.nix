# In error messages (maxAttrs is limited) `_type` and `type` print first
# (ImportantFirstAttrNameCmp), so an elided rest never hides them.
# Reasoned from CppNix 2.35's print.cc (Nix 2.8 prints no value).
# (deepSeq first: unevaluated values print as «thunk», as in CppNix.)
let v = { a = 1; b = 2; c = 3; d = 4; e = 5; f = 6; g = 7; h = 8; i = 9; j = 10; type = "t"; _type = "u"; }; in builtins.deepSeq v (builtins.length v)
