# A small example: `scripts/build.sh` evaluates it with
# `nixe --eval --strict examples/hello.nix`.
let
  greet = name: "Hello, ${name}!";
  people = [ "Nix" "nixe" ];
in {
  greetings = map greet people;
  count = builtins.length people;
}
