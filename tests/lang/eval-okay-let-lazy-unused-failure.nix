# unused bindings are never evaluated
let
  bad = throw "never";
  worse = abort "never";
  undefinedAttr = { }.missing;
  typeError = 1 + "a";
  ok = 42;
in
ok
