# deepSeq fails on a value deep inside its first argument: the path to it
# (forceValueDeep's "while evaluating the attribute 'inner'" at the
# attribute, "while evaluating list element at index 1"), --show-trace
# (Nix 2.8 prints traces differently).
builtins.deepSeq { inner = [ 1 (throw "deep") ]; } 0
