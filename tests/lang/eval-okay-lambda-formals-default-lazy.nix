# a default is evaluated only when it is used
let
  f = { a ? throw "unused default", b }: b;
in
[ (f { a = 1; b = 2; }) (f { b = 3; }) ]
