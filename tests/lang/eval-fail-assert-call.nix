let x = 1; in
assert builtins.isString x; x
