# `--json --strict` forces while printing (CppNix's printValueAsJSON), with
# its own entries: "while evaluating attribute 'a'" at the attribute (no
# "the", unlike forceValueDeep) and "while evaluating list element at index
# N" at the position of the list's attribute; attributes in name order
# (`a` fails before `b`).  Nix 2.8 prints no trace (and a partial `{"a":`);
# reasoned from value-to-json.cc (2.35).
{ b = throw "not this one"; a = [ 1 { c = throw "this one"; } ]; }
