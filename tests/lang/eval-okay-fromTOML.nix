# fromTOML (toml11, as CppNix): every value type, dotted and quoted keys,
# tables, inline tables, arrays of tables, number formats, inf/nan.
builtins.fromTOML ''
  # comment
  title = "TOML \u00e9 \"x\""
  int = 42
  neg = -17
  hex = 0xDEADBEEF
  oct = 0o755
  bin = 0b1101
  big = 9_223_372_036_854_775_807
  flt = 3.1415
  exp = 5e+22
  inf1 = inf
  ninf = -inf
  bool = true
  lit = 'C:\Users'
  ml = """
  line1
  line2"""
  arr = [ 1, 2, 3 ]
  nested = [ [ 1, 2 ], ["a", "b"] ]
  mixed = [ 1, "a" ]
  inline = { x = 1, y = { z = "q" } }
  "quoted key" = 1
  a.b.c = 2

  [table]
  k = "v"

  [table.sub]
  k2 = false

  [[aot]]
  n = 1
  [[aot]]
  n = 2
  nan1 = nan
  empty = {}
  earr = []
''
