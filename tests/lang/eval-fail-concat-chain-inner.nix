# A chain of `++` is concatenated at once, but its operands are checked as
# by the nested `++`: the innermost `++` first (its left operand, then its
# right one), then each left operand outwards; the error is at the `++`
# whose left operand failed.
[ 1 ] ++ 2 ++ 3 ++ [ 4 ]
