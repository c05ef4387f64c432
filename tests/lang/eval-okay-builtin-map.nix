[ (map (x: x + 1) [ 1 2 3 ]) (map (x: x) [ ]) (builtins.map builtins.typeOf [ 1 "a" ]) ]
