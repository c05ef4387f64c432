# CppNix names a builtin in type errors (showType of the value).
let f = builtins.add; in f.x
