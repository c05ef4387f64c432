# A partially applied builtin is named too.
let f = builtins.add 1; in f.x
