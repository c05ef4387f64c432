# Keys are compared as std::set<Value *, CompareValues>::insert does in
# CppNix: down a red-black tree from its root, the new key first.  After
# the four keys (inserted in ascending order) the root is [ 3 1 ], so the
# new key fails against it, with an integer (a binary search over the
# sorted keys would have met [ 3 2.5 ] first: "with a float").  Nix 2.8
# reports the same comparison (without the values and the trace).
builtins.genericClosure {
  startSet = [ { key = [ 3 0 ]; } { key = [ 3 1 ]; } { key = [ 3 2.5 ]; } { key = [ 3 3 ]; } { key = [ 3 true ]; } ];
  operator = x: [ ];
}
