# CppNix 2.35 evaluates and checks the right operand of `//` first
# (evalForUpdate), so of two non-sets the right one is reported, under "in
# the right operand of the update (//) operator" at the operand's own
# position (none for a literal).  Nix 2.8 reports the left one and no
# entry; reasoned from eval.cc (2.35.2).
let l = 1; r = [ ]; in l // r
