# Nix 2.8 escapes every `$` in a quoted attribute name; modern Nix (like
# its string printing) only escapes a `$` that is followed by `{`.
{ "a$b" = 1; "\${x}" = 2; "$" = 3; "x y$" = 4; }
