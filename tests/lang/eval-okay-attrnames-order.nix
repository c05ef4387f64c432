# attrNames/attrValues of sets above 8 entries sort by an 8-byte name
# prefix first, then the whole name: names sharing long prefixes, names
# that are prefixes of others, bytes >= 0x80 and the empty name.
let
  names = [ "" "a" "ab" "abcdefgh" "abcdefghi" "abcdefgh0" "abcdefg" "abcdefgh\t" "é" "z" "Z" "_"
    "longprefix-one" "longprefix-two" "longprefix-" "longprefix" "longprefi" "k10" "k9" "k100" "k1"
    "0" "00" "9" "ü" "ab-" "ab_" ];
  s = builtins.listToAttrs (map (n: { name = n; value = builtins.stringLength n; }) names);
  big = builtins.listToAttrs (builtins.genList (i: { name = "n${toString (i * 7919 - i / 13 * 100)}"; value = i; }) 300);
  sorted = l: builtins.sort (a: b: a < b) l;
in {
  names = builtins.attrNames s;
  values = builtins.attrValues s;
  same = builtins.attrNames s == sorted names;
  bigSame = builtins.attrNames big == sorted (builtins.attrNames big);
  bigFirst = builtins.head (builtins.attrNames big);
  json = builtins.toJSON s;
}
