# toJSON calls a __toString where it prints the set, in the printer's
# order: after `a`'s first element, before its last element and before
# `b` (Nix 2.8: "first").
builtins.toJSON {
  b = throw "b";
  a = [ 1 { __toString = self: throw "first"; } (throw "a's last") ];
}
