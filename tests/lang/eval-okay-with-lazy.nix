# the `with` expression is evaluated only when a variable is looked up in it
[ (with throw "never"; 1) (let x = 2; in with abort "never"; x) ]
