# A default naming an outer variable shares that variable's value (CppNix's
# ExprVar::maybeThunk): the recursion is found where the body forces x.
# Position observed with Nix 2.8.
let y = f { }; f = { x ? y }: x; in y
