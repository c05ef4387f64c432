# Calls keep their environment on the VM's environment stack until a
# thunk or closure captures it (vm/exec.c capture_envs).  Each case
# captures in a later part of its body, or only on some calls, and uses
# what it captured after later calls have reused the stack.
let
  range = builtins.genList (i: i) 40;
  # A closure made on some calls only, applied after all the calls.
  adders = map (x: if x > 20 then (y: x + y) else (y: y - x)) range;
  # A thunk in a list element, captured on some calls (curried lambda:
  # both environments move).
  pairs = builtins.foldl' (acc: x: if builtins.bitAnd x 1 == 1 then acc ++ [ [ (x * 10) acc ] ] else acc) [ ] range;
  # A let entered before the capture: its scope is on the heap and points
  # at the call's environment.
  viaLet = map (x: let y = x; in if x > 30 then (w: [ x y w ]) else null) range;
  # The same, the scope holding thunks (captured on every call).
  viaLetThunks = map (x: let y = x * 2; z = y + 1; in if x > 30 then (w: [ x y z w ]) else null) range;
  # with: the capture happens inside a with scope.
  viaWith = map (s: with s; if a > 35 then { sum = a + b; self = s; } else a) (map (a: { inherit a; b = a * a; }) range);
  # A formal's default captures while the arguments are bound.
  defaults = map ({ a, b ? a * 3, c ? b + a }: if a > 37 then [ b c ] else a) (map (a: { inherit a; }) range);
  # A lambda whose every call captures (after a few calls its
  # environments go to the heap at once).
  always = map (x: { v = x; sq = x * x; }) range;
  # Recursion that captures at every level, deeper than one frame.
  chain = n: if n == 0 then [ ] else [ (n + 0) (chain (n - 1)) ];
  flat = l: if l == [ ] then [ ] else [ (builtins.head l) ] ++ flat (builtins.elemAt l 1);
in {
  adders = map (f: f 100) adders;
  pairs = map (p: [ (builtins.head p) (builtins.length (builtins.elemAt p 1)) ]) pairs;
  viaLet = map (f: if f == null then null else f 7) viaLet;
  viaLetThunks = map (f: if f == null then null else f 7) viaLetThunks;
  inherit viaWith defaults;
  always = builtins.foldl' (acc: r: acc + r.v + r.sq) 0 always;
  chain = flat (chain 50);
}
