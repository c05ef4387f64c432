let d = derivation { name = "a"; builder = "b"; system = "c"; }; in builtins.getContext "${d}"
