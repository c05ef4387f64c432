let
  f = args@{ a, ... }: [ a (builtins.attrNames args) ];
  g = { a, b ? 2 }@all: builtins.attrNames all;
in
[ (f { a = 1; z = 2; }) (g { a = 1; }) ]
