# Nix 2.8 wraps around; modern Nix reports the overflow at the operand
9223372036854775807 + 1
