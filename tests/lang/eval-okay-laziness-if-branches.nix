[ (if true then 1 else throw "no") (if false then abort "no" else 2) ]
