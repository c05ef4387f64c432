# In a structured derivation a function in an attribute is reported when
# the printer meets it, before a later attribute is forced (Nix 2.8:
# "cannot convert a function to JSON" at the lambda, not "b").
(derivation {
  name = "structured-function";
  system = "x86_64-linux";
  builder = "/bin/sh";
  __structuredAttrs = true;
  a = [ 1 (x: x) ];
  b = throw "b";
}).drvPath
