with builtins; [ (div 7 2) (7 / 2.0) (bitAnd 12 10) (bitOr 12 10) (bitXor 12 10) (ceil 1.5) (floor (-1.5)) (mul 3 4) (sub 1 2) (add 1 2.5) (lessThan 1 2) (9223372036854775807 - 1) ]
