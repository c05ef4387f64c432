# fromJSON: what it accepts (a byte-order mark, escapes, surrogate pairs,
# big integers as floats, duplicate keys) and one error
[
  (builtins.fromJSON "﻿{\"a\": {\"b\": [1, -0, 2.5e3, \"\\ud83d\\ude00\\n\", null, true, false]}, \"a\": 3}")
  (builtins.fromJSON "[18446744073709551616, -9223372036854775809, 1e-400, \"é􏿿\"]")
  (builtins.fromJSON " \n[[[[[[[[[[[[[[[[[[[[0]]]]]]]]]]]]]]]]]]]] ")
  (builtins.fromJSON "{\"a\":1 \"b\"}")
]
