# A big toXML result (megabytes, as the NixOS manual's options.xml) and
# small ones after it: each call's output is exactly its own, nothing left
# over from a longer earlier one (the output buffer is reused).
let
  double = s: s + s;
  k64 = builtins.foldl' (s: _: double s) "<a&b>\n" (builtins.genList (i: i) 14);
  big = builtins.toXML { a = [ k64 k64 k64 ]; b = k64; };
  small = builtins.toXML 1;
  mid = builtins.toXML [ "x" ];
in [
  (builtins.stringLength k64)
  (builtins.stringLength big)
  (builtins.substring 0 120 big)
  (builtins.substring (builtins.stringLength big - 60) 60 big)
  small
  mid
  (builtins.toXML { a = [ k64 k64 k64 ]; b = k64; } == big)
  (builtins.hashString "sha256" big)
  small
]
