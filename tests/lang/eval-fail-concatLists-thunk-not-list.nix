# The elements are forced in order: the first thunk that is not a list
# stops concatLists (the third would throw).
builtins.concatLists (map (x: if x == 2 then "two" else if x == 3 then throw "three" else [ x ]) [ 1 2 3 ])
