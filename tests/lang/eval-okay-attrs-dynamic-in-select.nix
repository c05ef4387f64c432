let
  s = { foo = { bar = 1; }; "a b" = 2; };
  k = "foo";
in
[ s.${k}.bar s."a b" s.${"a" + " b"} (s ? ${k}) (s ? "a b") ]
