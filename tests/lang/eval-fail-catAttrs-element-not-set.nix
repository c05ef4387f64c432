# catAttrs forces each element with forceAttrs: the element's type error under its context, without position
# (modern CppNix's primops.cc context, reasoned from 2.35.2; Nix 2.8 prints
# the error alone).
builtins.catAttrs "a" [ { a = 1; } 2 ]
