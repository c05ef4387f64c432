# Long `//` chains, past nixe's bound on layers (16) and with right sides
# of several sizes: small ones layer, big ones copy.  Snapshots along the
# chain stay what they were.
let
  mod = a: b: a - a / b * b;
  base = builtins.listToAttrs (builtins.genList (i: { name = "b${toString i}"; value = i; }) 20);
  right = i:
    if mod i 50 == 49 then builtins.listToAttrs (builtins.genList (j: { name = "w${toString j}"; value = i; }) (60 + i))
    else if mod i 9 == 0 then builtins.listToAttrs (builtins.genList (j: { name = "c${toString (mod (i + j) 13)}"; value = i * 100 + j; }) 8)
    else { "a${toString i}" = i; last = i; } // (if mod i 7 == 0 then { b3 = i; } else { });
  chain = builtins.foldl' (acc: i: acc ++ [ (builtins.elemAt acc i // right i) ]) [ base ] (builtins.genList (i: i) 300);
  at = builtins.elemAt chain;
  picks = [ 0 1 2 5 9 16 17 18 33 40 49 50 51 99 100 150 200 299 300 ];
  names = s: builtins.attrNames s;
  digest = s: builtins.hashString "sha256" (builtins.toJSON s);
  rebuilt = s: builtins.listToAttrs (map (n: { name = n; value = s.${n}; }) (names s));
in map (k: let s = at k; in {
  inherit k;
  count = builtins.length (names s);
  first = builtins.head (names s);
  lastName = builtins.elemAt (names s) (builtins.length (names s) - 1);
  b3 = s.b3;
  last = s.last or null;
  c5 = s.c5 or null;
  w0 = s.w0 or null;
  a7 = s ? a7;
  eq = s == rebuilt s;
  digest = digest s;
  sum = builtins.foldl' (x: y: x + y) 0 (builtins.filter builtins.isInt (builtins.attrValues s));
}) picks
