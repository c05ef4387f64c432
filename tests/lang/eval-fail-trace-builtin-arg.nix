# An error while forcing a builtin's argument that it forces with a
# context (forceInt here): "while evaluating the second argument (the
# substring length) passed to builtins.substring" at the call, inside
# "while calling the 'substring' builtin" (modern CppNix).
builtins.substring 0 (builtins.length { }) "abc"
