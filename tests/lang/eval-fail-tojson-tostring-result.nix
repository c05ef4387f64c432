# The result of a __toString in toJSON is coerced without copyMore: an
# integer is an error (Nix 2.8: "cannot coerce an integer to a string"),
# raised before the later attribute is forced.
builtins.toJSON {
  a = [ { __toString = self: "fine"; } { __toString = self: 1; } ];
  b = throw "b";
}
