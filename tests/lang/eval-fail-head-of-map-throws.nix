builtins.head (map (x: throw "mapped ${toString x}") [ 1 2 ])
