# deepSeq forces depth first in CppNix's order: a list by index, a set in
# attribute order (x, created first, before y), so "x0" fails first.
# nix-instantiate 2.8 orders attributes by symbol address instead.
builtins.deepSeq [ { x = throw "x0"; y = throw "y0"; } (throw "second") ] 1
