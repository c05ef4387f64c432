# toJSON reports a value it cannot print where the printer meets it,
# before anything after it is forced (Nix 2.8: "cannot convert a function
# to JSON" at the lambda, not "later").
builtins.toJSON { a = [ 1 (x: x) (throw "later") ]; b = throw "b"; }
