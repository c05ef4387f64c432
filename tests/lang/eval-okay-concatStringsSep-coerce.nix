# Elements are coerced as CppNix's coerceToString (coerceMore off): a set
# through __toString (its result coerced again) or outPath; the list itself
# is left as it was.
let
  s = { __toString = self: "T${self.x}"; x = "1"; };
  o = { outPath = "/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-o"; };
  nested = { __toString = self: { __toString = _: "deep"; }; };
  l = [ s "a" o ];
in [
  (builtins.concatStringsSep "," l)
  l
  (builtins.concatStringsSep "-" [ nested s ])
  (builtins.concatStringsSep "" [ ])
  (builtins.concatStringsSep "/" [ "x" s ])
]
