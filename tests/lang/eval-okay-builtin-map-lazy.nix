# map does not apply the function to unused elements
let l = map (x: if x == 2 then throw "boom" else x * 10) [ 1 2 3 ]; in [ (builtins.length l) (builtins.head l) (builtins.elemAt l 2) ]
