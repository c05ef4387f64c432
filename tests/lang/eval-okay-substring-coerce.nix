# substring coerces its string argument as CppNix's coerceToString does:
# a set with outPath or __toString, a derivation (keeping its context, the
# idiom of nixpkgs lib's addContextFrom: `substring 0 0 drv + s`).
let
  drv = derivation { name = "sub"; builder = "b"; system = "s"; };
  withCtx = builtins.substring 0 0 drv + "x";
in
{
  outPath = builtins.substring 1 3 { outPath = "abcdef"; };
  toString = builtins.substring 0 2 { __toString = self: "xyz"; };
  nested = builtins.substring 0 4 { outPath = { outPath = "deep!"; }; };
  drvName = builtins.substring 44 3 drv;
  empty = withCtx;
  hasContext = builtins.hasContext withCtx;
  context = builtins.attrNames (builtins.getContext withCtx);
  len0 = builtins.substring 0 0 { outPath = "abc"; };
}
