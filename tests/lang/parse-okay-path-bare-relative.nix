[ a/b a/b.c-d_e+f foo/bar/baz x/y.nix ]
