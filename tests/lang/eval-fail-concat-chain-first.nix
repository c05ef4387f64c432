# The first operand is checked last (by the outermost `++`): 2 fails first.
1 ++ 2 ++ [ 3 ]
