# Defaults that name another formal, the @-argument or an outer variable
# share that value (CppNix's maybeThunk) in either binding order.
let
  y = 10;
  f = { a ? b, b ? 5 }: [ a b ];
  g = { b ? a, a ? 6 }: [ a b ];
  h = args@{ x ? args, ... }: x.z;
  k = { p ? y, q ? p }: p + q;
in
[ (f { }) (f { b = 7; }) (g { }) (g { a = 8; }) (h { z = 3; }) (k { }) (k { p = 1; }) ]
