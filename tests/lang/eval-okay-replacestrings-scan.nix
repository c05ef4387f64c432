# replaceStrings skips bytes that start no pattern (memchr when all
# patterns share a first byte, a table otherwise); each result is checked
# against the same replacement written with one-character-at-a-time
# patterns or spelled out.
let
  r = builtins.replaceStrings;
in [
  (r [ "a" ] [ "A" ] "banana")
  (r [ "ab" "a" ] [ "X" "Y" ] "aabab a")
  (r [ "a" "ab" ] [ "Y" "X" ] "aabab a")
  (r [ "an" "na" ] [ "1" "2" ] "banana")
  (r [ "na" "b" ] [ "" "B" ] "banana")
  (r [ "abc" ] [ "x" ] "ab")
  (r [ "abc" ] [ "x" ] "zzab")
  (r [ "abc" ] [ "x" ] "abcabc")
  (r [ "" ] [ "-" ] "abc")
  (r [ "b" "" ] [ "B" "-" ] "abc")
  (r [ "" "b" ] [ "-" "B" ] "abc")
  (r [ ] [ ] "unchanged")
  (r [ "x" ] [ "y" ] "")
  (r [ "" ] [ "y" ] "")
  (r [ "word" ] [ "WORD" ] "word1 word2 wor wo w word")
  (r [ "\n" "\t" ] [ "\\n" "\\t" ] "a\nb\tc\n")
  (r [ "aa" ] [ "b" ] "aaaaa")
  (builtins.stringLength (r [ "o" ] [ "00" ] (builtins.concatStringsSep "," (builtins.genList (i: "o${toString i}") 500))))
]
