# Tokens at the edges of the lexer's fast paths (vm/lexer.c lex_fast):
# an identifier followed by '.', '+', ':' or '/', an integer followed by a
# path character, '.' before a name or a path, and plain paths beside
# paths that end in '/' or meet ${.
let
  a = { b = 1; c' = 2; "d-e" = 3; };
  inherit (a) b;
  x-y_z' = 4;
  e3 = 5;
in [
  a.b a.c' a."d-e" a.b/c a.b+c/d x:x a.b:c a+b:c x-y_z'
  1 12/3 1.5 .5 1e3 00.5 007
  ./lexer ../lang/lexer ./a+b/c-d_e.nix ./lang/. ../lang/./x/../y
  ./a/${toString b} ./a${toString b} /abs/path
  (b==1) (b == 2) {x=1;}.x
  "plain" "esc\n\t\"\${}" "dollar$ end" "${"in"}side"
]
