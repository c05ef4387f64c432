# a non-rec set does not see its own attributes
let a = "outer"; in { a = "inner"; b = a; }
