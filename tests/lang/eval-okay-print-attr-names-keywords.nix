# Nix 2.8 quotes only `if`; modern Nix quotes every keyword (not `or`).
{
  "if" = 1;
  "then" = 2;
  "else" = 3;
  "assert" = 4;
  "with" = 5;
  "let" = 6;
  "in" = 7;
  "rec" = 8;
  "inherit" = 9;
  "or" = 10;
  "iff" = 11;
  "lets" = 12;
}
