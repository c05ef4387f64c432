builtins.genList (x: if x == 3 then throw "element 3" else x) 5
