# builtins.toJSON (forcing nested values, outPath for sets that have one,
# escapes) and builtins.fromJSON (unicode escapes incl. surrogate pairs,
# integers vs floats, later duplicate keys win, deep nesting).
[
  (builtins.toJSON { a = [ 1 2.5 true null "x\n\"\\" ]; b = { }; c = { outPath = "/p"; }; d = [ ]; })
  (builtins.toJSON (builtins.genList (x: { v = x * 2; }) 3))
  (builtins.toJSON "tab\there")
  (builtins.fromJSON ''{"a": [1, 2.5, true, null, "x\u00e9\n"], "b": {}, "c": -3, "d": 1e3, "e": "\ud83d\ude00"}'')
  (builtins.fromJSON "  [ ]  ")
  (builtins.fromJSON ''{"a":1,"a":2}'')
  (builtins.fromJSON "[[1,[2]],{\"a\":{\"b\":[]}}]")
  (builtins.fromJSON "[99999999999999999999, 9223372036854775807]")
  (builtins.fromJSON (builtins.toJSON { x = [ 1 "y" { z = null; } ]; }))
]
