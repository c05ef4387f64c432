# Lambdas whose bodies make no closures or thunks keep their environment on
# the VM's environment stack; foldl' applies `acc: x: …` to both arguments
# at once.  Each case would give a different value if an environment were
# popped too early, too late, or shared between calls.
let
  xs = builtins.genList (i: i + 1) 200;
  # leaf inner lambda: both environments on the environment stack
  sum = builtins.foldl' (acc: x: acc + x) 0 xs;
  # the list keeps the (lazy) elements: values read from the environments
  # must outlive the calls
  rev = builtins.foldl' (acc: x: [ x ] ++ acc) [ ] xs;
  # inner lambda makes a thunk (x * 2 is lazy in the list): heap environments
  doubled = builtins.foldl' (acc: x: acc ++ [ (x * 2) ]) [ ] [ 1 2 3 ];
  # the outer lambda's argument is used after the inner one returns
  pairs = builtins.foldl' (acc: x: acc ++ [ { inherit x; n = builtins.length acc; } ]) [ ] [ "a" "b" "c" ];
  # with and let inside a leaf lambda: their environments sit above it
  withs = builtins.foldl' (acc: s: with s; acc + a + b) 0 [ { a = 1; b = 2; } { a = 10; b = 20; } ];
  lets = builtins.foldl' (acc: x: let k = 1000; in acc + k + x) 0 [ 1 2 ];
  # a curried lambda with a pattern: not a `x: y:` body, called twice
  pat = builtins.foldl' ({ n }: x: { n = n + x; }) { n = 0; } [ 1 2 3 ];
  # an error in a leaf lambda caught by tryEval, then more calls
  caught = builtins.tryEval (builtins.foldl' (acc: x: if x == 3 then throw "three" else acc + x) 0 [ 1 2 3 4 ]);
  after = builtins.foldl' (acc: x: acc * 10 + x) 0 [ 1 2 3 4 ];
  # a function value made by a partial application: foldl' must not take the
  # curried shortcut for it
  add = a: b: a + b;
  partial = builtins.foldl' (add) 5 [ 1 2 ];
  # a leaf lambda called from a non-leaf one, deeply
  count = n: if n == 0 then 0 else 1 + count (n - 1);
  deep = builtins.foldl' (acc: x: acc + count x) 0 [ 10 100 1000 ];
  # a set with __functor as the operator: no shortcut either
  functor = builtins.foldl' { __functor = self: acc: x: acc + x + self.k; k = 100; } 0 [ 1 2 ];
in
[ sum (builtins.head rev) (builtins.elemAt rev 199) doubled pairs withs lets pat caught after partial deep functor ]
