# since Nix 2.20 an empty list literal is a constant, not a thunk; 2.8
# prints <CODE> for both elements
[ [ ] { } [ 1 ] ]
