# toXML output long enough to be built in place as the result string
# (more than 8 KiB), then shorter and longer again: each result must be
# whole, with its context, and independent of the calls before it.
let
  big = n: builtins.genList (i: { name = "item-${toString i}"; v = i; s = "<&\"'>"; }) n;
  f = builtins.toFile "in-context" "x";
  withCtx = [ "${f}" ] ++ big 300;
  x1 = builtins.toXML (big 400);
  x2 = builtins.toXML (big 3);
  x3 = builtins.toXML withCtx;
  x4 = builtins.toXML (big 2000);
  h = builtins.hashString "sha256";
in {
  lengths = map builtins.stringLength [ x1 x2 x3 x4 ];
  hashes = map h [ x1 x2 x3 x4 ];
  tail1 = builtins.substring (builtins.stringLength x1 - 60) 60 x1;
  head4 = builtins.substring 0 120 x4;
  ctx = builtins.attrNames (builtins.getContext x3);
  noctx = builtins.hasContext x4;
  again = builtins.toXML (big 400) == x1;
}
