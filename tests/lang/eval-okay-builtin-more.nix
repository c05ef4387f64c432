# elem, any, all, concatMap, partition, groupBy, catAttrs, zipAttrsWith,
# functionArgs, hashString; any/all stop at the first decisive element.
[
  (builtins.elem 2 [ 1 2 3 ])
  (builtins.elem [ 1 ] [ [ 1 ] ])
  (builtins.elem 5 [ ])
  (builtins.any (x: x > 2) [ 1 2 3 ])
  (builtins.any (x: x > 2) [ ])
  (builtins.all (x: x > 0) [ 1 2 ])
  (builtins.any (x: x == 1) [ 1 (throw "not reached") ])
  (builtins.all (x: x == 2) [ 1 (throw "not reached") ])
  (builtins.concatMap (x: [ x x ]) [ 1 2 ])
  (builtins.partition (x: x > 1) [ 1 2 3 0 ])
  (builtins.groupBy (s: builtins.substring 0 1 s) [ "apple" "avocado" "banana" "cherry" "blueberry" ])
  (builtins.catAttrs "a" [ { a = 1; } { b = 2; } { a = 3; } ])
  (builtins.zipAttrsWith (name: values: { inherit name values; }) [ { a = 1; b = 2; } { a = 3; c = 4; } ])
  (builtins.functionArgs ({ a, b ? 1, ... }: a))
  (builtins.functionArgs (x: x))
  (builtins.hashString "md5" "hello")
  (builtins.hashString "sha1" "hello")
  (builtins.hashString "sha256" "")
  (builtins.hashString "sha512" "abc")
]
