# The result of a __toString is coerced in the set's place (copyMore: a
# number would do); a function cannot be, and the error is at the
# attribute (Nix 2.8: "cannot coerce a function to a string" there).
(derivation {
  name = "tostring-result";
  builder = "/bin/sh";
  system = "x86_64-linux";
  number = { __toString = self: 1; };
  env = { __toString = self: (x: x); };
}).drvPath
