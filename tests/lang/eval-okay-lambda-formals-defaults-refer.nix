# defaults may refer to other formals, in any order, and to the @-name
let
  f = { a ? b + 1, b ? 10, c ? args.b or 0 }@args: [ a b c ];
in
[ (f { }) (f { b = 1; }) (f { a = 0; }) (f { c = 5; }) ]
