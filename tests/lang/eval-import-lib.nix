# imported by eval-okay-builtin-import.nix
let
  helper = x: x * 2;
in
{
  double = helper;
  name = "lib";
}
