# The outer assert fails: its message prints the inner assert, let, with,
# a selection with `or`, a lambda and `->` as Nix 2.8 does.
assert (assert (let a = 1; in a == 1); with { b = 2; }; { c = x: x; }.d or null == null -> b < 1); 1
