# concatStringsSep coerces its elements in turn, as CppNix: the set that
# cannot be coerced fails before the element after it is forced (nixe
# forced every element first and reported "x").  Checked against Nix 2.8.
builtins.concatStringsSep "," [ "a" { } (throw "x") ]
