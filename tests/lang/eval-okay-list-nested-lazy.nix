let l = [ [ 1 (throw "x") ] [ 2 ] ]; in builtins.length (builtins.head l)
