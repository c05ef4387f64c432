# With --show-trace: the lambdas of __functor are called from the
# position of the __functor attribute ("from call site"), under the
# functor's entry at the call site; the caller's branch condition stays.
let
  checked = {
    limit = 2;
    __functor = self: x: if x > self.limit then throw "too big: ${toString x}" else x;
  };
in
if checked 3 == 3 then "yes" else "no"
