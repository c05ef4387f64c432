# 01 is the number 0, then the number 1
builtins.fromJSON "01"
