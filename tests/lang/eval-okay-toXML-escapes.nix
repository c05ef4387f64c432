# toXML's escaping scans plain text eight bytes at a time: each special
# character (" < > & and newline; tab and CR are written as they are) at
# every offset of a 17-byte string, in attribute names too, a long plain
# run, and integers written without printf (zero, signs, the int64 limits).
let
  specials = [ "\"" "<" ">" "&" "\n" "\t" "\r" "'" ];
  pad = n: builtins.substring 0 n "abcdefghijklmnopq";
  at = c: builtins.genList (i: pad i + c + pad (16 - i)) 17;
  long = builtins.concatStringsSep "" (builtins.genList (i: "0123456789abcdef") 256);
in builtins.toXML {
  strings = map at specials;
  names = builtins.listToAttrs (map (c: { name = "n${c}m${pad 9}${c}"; value = c; }) specials);
  long = [ long (long + "&") ("<" + long) (builtins.stringLength long) ];
  ints = [ 0 1 (-1) 7 10 (-10) 1234567890 (-987654321) 9223372036854775807 (-9223372036854775807 - 1) ];
  bools = [ true false ];
  empty = [ "" { } [ ] ];
}
