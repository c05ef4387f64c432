# A string with context is "a string with context" in type errors.
let s = "${builtins.toFile "a" "b"}"; in s.x
