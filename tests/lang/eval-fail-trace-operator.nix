# `-`, `*`, `/` and `<` are calls of builtins in CppNix: errors in their
# operands or their operation get "while calling the 'sub' builtin" at the
# operator, an operand of the wrong type also "while evaluating the second
# argument of the subtraction".  --show-trace (Nix 2.8 prints traces
# differently).
let
  f = n: 10 / (n - "1");
in
f 3
