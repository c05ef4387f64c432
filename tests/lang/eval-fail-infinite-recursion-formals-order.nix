# CppNix binds formals in symbol creation order (pa, created by pb's default,
# first) and a default naming an already bound formal shares its value
# (maybeThunk): pa's thunk `pb` is pb too, so forcing it meets itself at the
# `pb` in pa's default.  Position observed with Nix 2.8 (same rule in 2.35).
({ pb ? pa, pa ? pb }: pa) { }
