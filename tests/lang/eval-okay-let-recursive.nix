# let bindings are mutually recursive and may be defined in any order
let
  even = n: if n == 0 then true else odd (n - 1);
  odd = n: if n == 0 then false else even (n - 1);
  later = earlier + 1;
  earlier = 41;
in
[ (even 10) (odd 7) (even 7) later ]
