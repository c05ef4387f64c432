# --strict prints a set met again as «repeated»
let x = { inherit x; y = [ x 1 ]; }; in x
