# without --strict only the top-level value is forced
{ a = 1 + 1; b = "s"; c = 3; d = throw "not forced"; e = [ 1 ]; f = { }; }
