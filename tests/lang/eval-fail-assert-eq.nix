# since Nix 2.24 a failing `a == b` assertion reports the difference
# (assertEqValues); the message has no position of its own, so the
# innermost position is that of the assertion
assert 1 == 2; 3
