# concatMap's result is checked at the function's position (determinePos: the lambda's)
# (modern CppNix's primops.cc context, reasoned from 2.35.2; Nix 2.8 prints
# the error alone).
builtins.concatMap (x: x) [ [ 1 ] 2 ]
