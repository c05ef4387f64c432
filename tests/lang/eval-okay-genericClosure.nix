# genericClosure: breadth-first, each key once (keys compared as lessThan
# does: 1 and 1.0 are the same key, lists element-wise), the first element
# with a key wins, an empty startSet is returned as is (modern CppNix: the
# operator is not even looked at; Nix 2.8 forced it first).
let
  gc = builtins.genericClosure;
in [
  (gc { startSet = [ { key = 1; } ]; operator = x: if x.key < 10 then [ { key = x.key + 1; } { key = x.key * 2; } ] else [ ]; })
  (gc { startSet = [ ]; operator = throw "not called"; })
  (gc { startSet = [ { key = 1; a = "first"; } { key = 1.0; a = "second"; } ]; operator = x: [ ]; })
  (gc { startSet = [ { key = [ 1 2 ]; } { key = [ 1 2 ]; dup = true; } { key = [ 1 ]; } { key = [ ]; } ]; operator = x: [ ]; })
  (gc { startSet = [ { key = "b"; } ]; operator = x: if x.key == "b" then [ { key = "a"; } { key = "c"; } { key = "b"; } ] else [ ]; })
  (builtins.length (gc { startSet = [ { key = 0; } ]; operator = x: if x.key < 5000 then [ { key = x.key + 1; } { key = x.key; } ] else [ ]; }))
  (map (x: x.key) (gc { startSet = [ { key = 3; } { key = 2; } ]; operator = x: if x.key > 0 then [ { key = x.key - 1; } ] else [ ]; }))
]
