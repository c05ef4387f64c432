[ ./a ./a/b ./a.nix ./. ./a/b/c/d ]
