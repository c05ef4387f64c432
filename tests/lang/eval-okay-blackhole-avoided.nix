# recursion through attributes is fine when every value is well founded
let
  x = { a = x.b; b = 1; c = x.a + x.b; };
in
x
