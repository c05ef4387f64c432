# A failed `==` assertion: assertEqValues gets the condition's text, which
# is printed only now.
assert (assert true; [ 1 ]) == [ 2 ]; 1
