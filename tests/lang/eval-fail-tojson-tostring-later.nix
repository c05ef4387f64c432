# An error in an attribute printed before a set with __toString comes
# first: `a` sorts before `b` (Nix 2.8: "a").
builtins.toJSON {
  b = { __toString = self: throw "b's __toString"; };
  a = { x = throw "a"; };
}
