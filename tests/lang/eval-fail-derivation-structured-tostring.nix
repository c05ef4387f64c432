# A __toString in a structured attribute is called when the walk reaches
# it (after `a`'s first element, before its last), and its result is
# coerced without copyMore: an integer is an error (Nix 2.8: "cannot
# coerce an integer to a string").
(derivation {
  name = "structured-tostring";
  system = "x86_64-linux";
  builder = "/bin/sh";
  __structuredAttrs = true;
  a = [ { __toString = self: "fine"; } { __toString = self: 1; } (throw "a's last") ];
  b = throw "b";
}).drvPath
