# interpolation accepts strings, and things with __toString or outPath
let s = { __toString = self: "S"; }; o = { outPath = "O"; }; in "${s}-${o}-${"str"}"
