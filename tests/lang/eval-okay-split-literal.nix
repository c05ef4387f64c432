# split and match with patterns that have no regex metacharacters take a
# memmem path in nixe; each case is paired with an equivalent pattern that
# goes through the regex engine ("[x]" or "x{1}"), and both must agree.
let
  s = "one two  three two two";
  pairs = [
    [ " " "[ ]" s ]
    [ "two" "t[w]o" s ]
    [ "aa" "a{2}" "aaaaa" ]
    [ "ab" "a[b]" "abababab" ]
    [ "x" "[x]" "" ]
    [ "x" "[x]" "x" ]
    [ "x" "[x]" "xx" ]
    [ "abc" "ab[c]" "ab" ]
    [ "abc" "ab[c]" "zzabc" ]
    [ "/" "[/]" "/nix/store/x/" ]
    [ "\n" "[\n]" "line1\nline2\n" ]
  ];
  check = p: let a = builtins.split (builtins.elemAt p 0) (builtins.elemAt p 2);
                 b = builtins.split (builtins.elemAt p 1) (builtins.elemAt p 2);
             in if a == b then a else throw "split differs for ${builtins.elemAt p 0}";
  mcheck = p: s: let a = builtins.match (builtins.elemAt p 0) s; b = builtins.match (builtins.elemAt p 1) s;
                 in if a == b then a else throw "match differs for ${builtins.elemAt p 0}";
in {
  split = map check pairs;
  match = [
    (mcheck [ "abc" "ab[c]" ] "abc")
    (mcheck [ "abc" "ab[c]" ] "abcd")
    (mcheck [ "abc" "ab[c]" ] "zabc")
    (mcheck [ "b" "[b]" ] "abc")
    (mcheck [ " " "[ ]" ] " ")
    (mcheck [ "x" "[x]" ] "")
  ];
  # The regex engine's own cases stay: groups, empty matches, anchors.
  regex = [
    (builtins.split "(a)|b" "xaybz")
    (builtins.split "a*" "baab")
    (builtins.split "^x" "xx")
    (builtins.match "a(b)?" "a")
  ];
  # A literal with a byte >= 0x80 goes through the regex engine.
  utf8 = builtins.split "é" "aébéc";
  lengths = builtins.length (builtins.split "word" (builtins.concatStringsSep "" (builtins.genList (i: "word${toString i}") 1000)));
}
