# Nested asserts, the innermost one failing.  Each assert keeps only its
# condition's source span and prints the condition when it fails (a printed
# copy per assert made n nested ones quadratic in memory).
assert (assert (assert 1 == 1; assert [ ] != [ ]; true); true); 1
