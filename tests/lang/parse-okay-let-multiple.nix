# let bindings are printed in symbol creation order (Symbol compares by
# address), which is source order for fresh names.
let first1 = 1; second2 = first1; third3 = second2; in third3
