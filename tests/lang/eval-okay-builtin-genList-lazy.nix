# elements of genList are computed only when used
let l = builtins.genList (i: if i == 2 then throw "element 2" else i) 5; in [ (builtins.length l) (builtins.elemAt l 4) ]
