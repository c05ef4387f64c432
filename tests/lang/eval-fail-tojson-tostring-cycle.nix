# A __toString returning its own set: CppNix overflows its stack (Nix 2.8:
# "stack overflow (possible infinite recursion)"); nixe stops the chain.
let s = { __toString = self: self; }; in builtins.toJSON { a = [ s ]; }
