# A default that is a variable (shared with it, as CppNix's maybeThunk does)
# is still a default for functionArgs.
let y = 1; in builtins.functionArgs ({ a ? b, b ? y, c, d ? 2 }: a)
