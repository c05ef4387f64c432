# A small example: `scripts/build.sh` prints its parse; `nixe --eval`
# will print its value once the evaluator lands.
let
  greet = name: "Hello, ${name}!";
  people = [ "Nix" "nixe" ];
in {
  greetings = map greet people;
  count = builtins.length people;
}
