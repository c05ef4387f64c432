# An infinite recursion found by addErrorContext's own forcing of its
# argument still gets the context (nixe resumes the builtin's frame).
let x = builtins.addErrorContext "while computing x" x; in x
