# --json --strict calls a __toString and coerces its result as toJSON
# does (Nix 2.8: "cannot coerce a list to a string").
{ a = 1; b = { __toString = self: [ "x" ]; }; c = throw "c"; }
