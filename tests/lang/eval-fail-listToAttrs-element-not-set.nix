# listToAttrs forces each element with forceAttrs (type error without position)
# (modern CppNix's primops.cc context, reasoned from 2.35.2; Nix 2.8 prints
# the error alone).
builtins.listToAttrs [ { name = "a"; value = 1; } "b" ]
