# the divisor is forced to a float first (CppNix prim_div): a string
# divisor is "expected a float", even with an integer dividend
1 / "a"
