# The names attrNames, mapAttrs and zipAttrsWith hand out are ordinary
# strings (one shared object per name): equal to literals, without context,
# usable as names again (listToAttrs, getAttr, hasAttr, `x.${n}`, `x ? ${n}`,
# removeAttrs), also the empty name and names with any characters.
let
  s = { b = 1; a = 2; "" = 3; "x y\n" = 4; "ü" = 5; };
  names = builtins.attrNames s;
  again = builtins.attrNames s;
in {
  inherit names;
  same = names == again && names == [ "" "a" "b" "x y\n" "ü" ];
  context = map builtins.getContext names;
  lengths = map builtins.stringLength names;
  rebuilt = builtins.listToAttrs (map (n: { name = n; value = s.${n} * 10; }) names);
  get = map (n: builtins.getAttr n s) names;
  has = map (n: builtins.hasAttr n s && s ? ${n} && { inherit n; } ? n) names;
  removed = builtins.attrNames (builtins.removeAttrs s (builtins.filter (n: n != "a") names));
  mapped = builtins.mapAttrs (n: v: n + "=" + toString v) s;
  mappedNames = builtins.attrValues (builtins.mapAttrs (n: v: builtins.listToAttrs [ { name = n; value = n; } ]) s);
  zipped = builtins.zipAttrsWith (n: vs: { inherit n; k = builtins.attrNames (builtins.listToAttrs [ { name = n + "!"; value = vs; } ]); }) [ s { c = 0; } ];
  concat = builtins.concatStringsSep "," names + builtins.head names + "${builtins.elemAt names 1}z";
  json = builtins.toJSON names;
  sorted = builtins.sort (x: y: x > y) names;
}
