# A failed `assert a == b` on nested values (modern CppNix's
# assertEqValues, since 2.24): the path to the first difference ("while
# comparing list element 1", "while comparing attribute 'b'" with where
# each side's attribute is defined), under "while evaluating the condition
# of the assertion"; `==` has no position.  --show-trace shows the whole
# path.  Nix 2.8 says only "assertion … failed".
let
  left = [ 1 { a = 1; b = "x"; } ];
  right = [ 1 { a = 1; b = "y"; } ];
in
assert left == right; 1
