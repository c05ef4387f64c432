# Errors inside the operands of `&&`, `||`, `->` and `!`: modern CppNix's
# evalBool entries ("in the left operand of the AND (&&) operator", …) at
# the operator (for `!`, at its operand), innermost first; a failure
# inside the right operand of `||` here.  Nix 2.8 has no such entries.
let
  s = { a = 1; };
in
!(true -> (false || s.b))
