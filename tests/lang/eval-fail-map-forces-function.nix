# modern Nix checks that map gets a function as soon as the list is not
# empty, before any element is used (2.8 does not)
builtins.length (map 1 [ 2 ])
