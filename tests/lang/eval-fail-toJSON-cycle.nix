# a cyclic value: CppNix overflows its stack (and prints no position)
builtins.toJSON (let r = { a = 1; s = r; }; in r)
