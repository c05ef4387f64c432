# An error inside a functor's body: CppNix's callFunction adds "while
# calling a functor" at the call site, around the call of f.__functor
# with f and the argument.
let
  f = {
    __functor = self: x: throw "boom ${toString x}";
  };
in
f 1
