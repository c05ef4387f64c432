let
  name = "world";
  n = 42;
in
[ "hello ${name}" "${name}${name}" "nested ${"in${"ner"}"}" "num ${toString n}" "${"a"}" "x${""}y" ]
