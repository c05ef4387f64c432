# A lookup through nested `with`s forces their sets innermost first and
# only as far as it needs to find the name: the throwing outer sets are
# never forced.  Each chain searches several scopes before it forces the
# next set, so the retry after the force resumes after the scopes already
# searched (vm/exec.c, push_with_resume).
let
  found = with (throw "outer set forced"); with { a = 1; }; with { b = 2; }; with { c = 3; }; with { d = 4; }; a;
  # The set that has the name is itself built by lookups through a chain
  # (its records sit above the outer lookup's).
  nested = with (throw "outer set forced"); with (with { p = 10; }; with { q = 20; }; with { r = 30; }; { x = p + q + r; }); with { y = 1; }; with { z = 2; }; x;
  # A set that throws: the lookup's frame is unwound by tryEval, the set
  # stays unevaluated and throws again in the next call.
  k = with { a = 1; }; with (throw "mid"); with { b = 2; }; with { c = 3; }; n: a + n;
  # One chain, several names: the sets are forced once.
  all = with { a = 1; }; with { b = 2; }; with { c = 3; }; with { d = 4; }; [ d c b a ];
  lazy = with { a = 1; }; with { b = 2; }; with { c = 3; }; with { d = 4; }; [ a b c d ];
in [ found nested (builtins.tryEval (k 1)) (builtins.tryEval (k 2)) all lazy ]
