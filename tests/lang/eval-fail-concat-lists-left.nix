# `++` checks its operands with forceList under "while evaluating one of the
# elements to concatenate" at the operator, the error without a position;
# errors while evaluating an operand get no entry (modern CppNix; Nix 2.8
# has neither).
2 ++ [ ]
