# A value that is not a list after an element that needed forcing: the
# elements are still checked in order, so the string is reported, not the
# throw after it.
let xs = map (x: [ x ]) [ 1 2 ];
in builtins.concatLists [ (builtins.head xs) (builtins.elemAt xs 1) "three" (throw "four") ]
