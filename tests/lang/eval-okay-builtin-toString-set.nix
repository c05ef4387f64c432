# sets with __toString or outPath can be coerced to strings
[ (toString { __toString = self: "custom ${toString self.n}"; n = 1; }) (toString { outPath = "out-path"; }) (toString { outPath = { outPath = "nested"; }; }) ]
