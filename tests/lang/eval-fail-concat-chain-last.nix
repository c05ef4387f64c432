# The last operand of a `++` chain: at the last `++`.
[ 1 ] ++ [ 2 ] ++ 3
