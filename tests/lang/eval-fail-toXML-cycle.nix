# a cyclic value: CppNix overflows its stack
builtins.toXML (let r = { a = 1; s = r; }; in r)
