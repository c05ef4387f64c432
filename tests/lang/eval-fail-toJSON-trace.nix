# builtins.toJSON is printValueAsJSON (strict): attributes are forced by
# name (`a` before `b`) with "while evaluating attribute 'a'", list elements
# with "while evaluating list element at index N" at the position the list
# was printed with (its attribute's).  Nix 2.8 reports the same error
# (observed) without entries; the entries are reasoned from
# value-to-json.cc (2.35.2).
builtins.toJSON { b = throw "not this one"; a = [ 1 { c = throw "this one"; } ]; }
