derivation { name = "a"; builder = "/bin/sh"; system = "x86_64-linux"; args = [ "-c" "echo" ]; }
