builtins.elemAt [ 1 ] (-1)
