let x = throw "no"; in [ 1 (builtins.length [ x x ]) ]
