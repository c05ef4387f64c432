# empty sets and lists are never printed as «repeated»
let
  e = { };
  l = [ ];
in
[ e e l l { a = e; b = e; } ]
