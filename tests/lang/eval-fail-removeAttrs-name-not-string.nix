# removeAttrs forces each name with forceStringNoCtx: the type error keeps the call's position
# (modern CppNix's primops.cc context, reasoned from 2.35.2; Nix 2.8 prints
# the error alone).
builtins.removeAttrs { a = 1; } [ "a" 2 ]
