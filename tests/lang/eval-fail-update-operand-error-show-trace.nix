# With --show-trace: the lambda call's entries sit inside the operand's.
# Any error while evaluating an operand of `//` is under the operand's entry
# (evalAttrs' try), at the operand's position.  Reasoned from eval.cc
# (2.35.2); Nix 2.8 prints no entry.
let f = x: throw "no ${x}"; in f "set" // { }
