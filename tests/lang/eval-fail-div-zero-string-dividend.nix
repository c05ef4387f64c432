# the divisor is checked for zero before the dividend is looked at
"a" / 0
