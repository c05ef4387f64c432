# --show-trace with --strict: forcing the result deeply names the
# attributes (at their definitions) and list indices on the way to the
# failing value, as modern CppNix's forceValueDeep: the first path to it
# (`b`, not `d`).  Nix 2.8 prints traces differently.
let
  shared = { c = [ 1 (throw "deep") ]; };
in
{
  a = 1;
  b = shared;
  d = shared;
}
