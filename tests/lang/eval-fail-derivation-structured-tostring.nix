# With __structuredAttrs, CppNix prints a set with __toString as the
# string it returns (printValueAsJSON's tryAttrsToString); nixe's JSON
# printer cannot call it, so this is an error of its own rather than
# "cannot convert a function to JSON" (Nix 2.8 gives the .drv).
(derivation {
  name = "structured-tostring";
  system = "x86_64-linux";
  builder = "/bin/sh";
  __structuredAttrs = true;
  s = [ { __toString = self: "text"; } ];
}).drvPath
