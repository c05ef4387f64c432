[ (builtins.filter (x: x > 2) [ 1 2 3 4 ]) (builtins.filter (x: true) [ ]) (builtins.filter (x: x == "a") [ "a" "b" "a" ]) ]
