# positions of attribute definitions: plain, nested paths, inherit (e),
# quoted and dynamic names; null for a missing attribute.
let
  s = {
    a = 1;
    b.c = 2;
    inherit ({ x = 1; }) x;
    "q" = 3; ${"dyn"} = 4;
  };
in map (n: builtins.unsafeGetAttrPos n s) [ "a" "b" "x" "q" "dyn" "nope" ]
