# arguments are passed unevaluated
let
  const = a: b: a;
  f = { x, y }: x;
in
[ (const 1 (throw "no")) (f { x = 2; y = abort "no"; }) ((x: 3) (throw "no")) ]
