# Expr::show prints a selection as (e).path, in modern Nix as in 2.8
let x = 1; in
assert builtins.isString x; x
