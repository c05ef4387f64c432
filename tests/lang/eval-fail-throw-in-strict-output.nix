{ a = 1; b = { c = throw "in output"; }; }
