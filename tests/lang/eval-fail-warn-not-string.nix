# warn is newer than Nix 2.8 (modern CppNix: forceString on the message)
builtins.warn 1 2
