# --show-trace: modern CppNix's prim_fromJSON adds "while decoding a JSON
# string" at the call to its JSON parser's errors; the message itself has no
# position
let
  s = "{\"a\": [1, 2,, 3]}";
in
builtins.fromJSON s
