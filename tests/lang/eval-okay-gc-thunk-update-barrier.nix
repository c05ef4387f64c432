# The collector's write barrier on a thunk update (vm/exec.c RETURN).
# Under CI's stress mode (a collection at every safepoint, most of them
# minor, NIXE_GC_VERIFY=1) this is the path that needs it: A is forced
# from h's body through an environment (mk's) that no frame holds any
# more, its value is made after the last safepoint (so it is young), the
# variable read stores it into that old environment, and it leaves the
# stack before the next call.  Without the barrier the value is freed
# while the environment still points to it, and the verifier aborts.
let
  mk = A: (z: A.y + f (z + 1) + A.y);
  mkl = A: (z: builtins.length A.y + f (z + 1) + builtins.length A.y);
  f = n: n;
  h = mk { y = 1; };
  hl = mkl { y = [ 1 2 ]; };
in [ (h 0) (hl 5) (h 10) ]
