# unary minus is 0 - x
-"a"
