# zipAttrsWith forces each set with forceAttrs at no position: an entry without position
# (modern CppNix's primops.cc context, reasoned from 2.35.2; Nix 2.8 prints
# the error alone).
builtins.zipAttrsWith (n: v: v) [ { a = 1; } 2 ]
