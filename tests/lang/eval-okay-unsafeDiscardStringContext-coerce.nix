# unsafeDiscardStringContext coerces its argument as CppNix's
# coerceToString does (a derivation gives its outPath, a path is copied
# to the store, a set its __toString's result) and drops the context.
let
  d = derivation { name = "discard"; system = "x"; builder = "/bin/sh"; };
  t = { __toString = s: "via-${d}"; };
  parts = [ d ./eval-okay-unsafeDiscardStringContext-coerce.nix t "${d}" "plain" ];
  discarded = map builtins.unsafeDiscardStringContext parts;
in {
  values = discarded;
  context = map builtins.hasContext discarded;
  before = map (p: builtins.hasContext "${p}") [ d t "${d}" ];
}
