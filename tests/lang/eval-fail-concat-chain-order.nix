# Every operand of a `++` chain is evaluated before any is checked.
1 ++ [ 2 ] ++ throw "evaluated before the first operand is checked"
