# concatLists' elements are checked by concatLists' forceList: the type error under its context, without position
# (modern CppNix's primops.cc context, reasoned from 2.35.2; Nix 2.8 prints
# the error alone).
builtins.concatLists [ [ 1 ] 2 ]
