s: { inherit (s) "a" "b c" or; }
