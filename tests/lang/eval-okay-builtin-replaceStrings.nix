[
  (builtins.replaceStrings [ "a" ] [ "b" ] "banana")
  (builtins.replaceStrings [ "an" "b" ] [ "AN" "B" ] "banana")
  (builtins.replaceStrings [ "" ] [ "-" ] "abc")
  (builtins.replaceStrings [ "x" ] [ "y" ] "")
  (builtins.replaceStrings [ ] [ ] "same")
  (builtins.replaceStrings [ "a" "aa" ] [ "1" "2" ] "aaa")
  (builtins.replaceStrings [ "aa" "a" ] [ "2" "1" ] "aaa")
  (builtins.replaceStrings [ "o" ] [ "oo" ] "foo")
]
