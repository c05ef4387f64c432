# A whole derivation value, printed strictly.
derivation { name = "print"; builder = "/bin/sh"; system = "x86_64-linux"; outputs = [ "out" ]; }
