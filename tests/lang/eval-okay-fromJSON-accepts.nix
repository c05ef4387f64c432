# fromJSON accepts what nlohmann::json accepts: a byte-order mark (the raw
# bytes EF BB BF below), any whitespace, escapes and surrogate pairs,
# well-formed UTF-8 up to U+10FFFF, integers that do not fit 64 bits read as
# floats, later duplicate keys winning, and nesting deeper than any
# recursion limit
let
  deep = n: builtins.concatStringsSep "" (builtins.genList (_: "[") n ++ [ "0" ] ++ builtins.genList (_: "]") n);
  depth = v: if builtins.isList v then 1 + depth (builtins.head v) else 0;
in [
  (builtins.fromJSON "﻿{\"bom\": true}")
  (builtins.fromJSON " \t\r\n [ 1 ,\n2 ] \n")
  (builtins.fromJSON "\"\\u00e9\\u20AC\\ud83d\\ude00\\\"\\\\\\/\\b\\f\\n\\r\\t\"")
  (builtins.fromJSON "\"é€😀￿􏿿\"")
  (builtins.fromJSON "[0, -0, 9223372036854775807, -9223372036854775808, -9223372036854775809, 18446744073709551616, 1E2, 1e-2, -0.0, 2.5e+3, 4.9e-324, 1e-400]")
  (builtins.fromJSON "{\"a\": 1, \"b\": {}, \"a\": [], \"\": null}")
  (depth (builtins.fromJSON (deep 20000)))
]
