# src9, p1 and p2 are created in the first binding, so they print in that order.
let src9 = { p1 = 1; p2 = 2; }; inherit (src9) p1 p2; in p1
