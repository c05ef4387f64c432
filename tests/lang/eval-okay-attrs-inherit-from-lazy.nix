# inherit (e) does not evaluate e until an inherited attribute is used
let s = { inherit (throw "never") a; b = 1; }; in s.b
