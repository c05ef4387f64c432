# The lookup of a forces the sets from the innermost outwards: the integer
# set is met (and is an error) before the outer throw, after two scopes
# that do not have the name.
with (throw "outer set forced"); with { a = 1; }; with 1; with { b = 2; }; with { c = 3; }; a
