# Of two throwing sets, the inner one is forced first.
with (throw "outer"); with (throw "inner"); with { c = 3; }; with { d = 4; }; with { e = 5; }; a
