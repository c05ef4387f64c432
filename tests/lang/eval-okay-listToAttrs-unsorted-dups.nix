# listToAttrs over names in no particular order, with repeats: the first
# element of each name wins, whatever the size (short runs are sorted by
# insertion, longer ones merged), and dynamic attributes in a literal set
# are sorted the same way.
let
  names = builtins.genList (i: "n${toString (builtins.bitXor (i * 37) 91 - (i * 37) / 101 * 101)}") 300;
  pairs = builtins.genList (i: { name = builtins.elemAt names (i - i / 300 * 300); value = i; }) 700;
  small = builtins.listToAttrs [ { name = "b"; value = 1; } { name = "a"; value = 2; } { name = "b"; value = 3; } { name = "c"; value = 4; } { name = "a"; value = 5; } ];
  s = builtins.listToAttrs pairs;
  dyn = let k = map (i: "k${toString (99 - i)}") (builtins.genList (i: i) 40); in
    builtins.foldl' (acc: n: acc // { ${n} = n; }) { } k;
  lit = { ${"z"} = 1; ${"y"} = 2; a = 3; ${"m"} = 4; ${"b${"x"}"} = 5; q = 6; ${"c"} = 7; ${"w"} = 8; ${"v"} = 9; ${"u"} = 10; ${"t"} = 11; ${"s"} = 12; ${"r"} = 13; ${"p"} = 14; ${"o"} = 15; ${"n"} = 16; ${"l"} = 17; ${"k"} = 18; };
in [ small (builtins.attrNames s) (builtins.attrValues s) (builtins.length (builtins.attrNames dyn)) lit ]
