s: { inherit (s) a b; inherit (s.t) c; inherit ({ d = 1; }) d; }
