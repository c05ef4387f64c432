rec { a = 1; b.c = a; inherit (b) c; "d e" = 2; ${"f"} = 3; }
