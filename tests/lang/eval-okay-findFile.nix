# builtins.findFile over an explicit search path (what <p> desugars to):
# prefixes match whole path components, the first existing entry wins and
# the suffix is canonicalised below the entry.  The "fxx/../a.txt" case
# follows modern CppNix (CanonPath of the suffix before the lookup); Nix 2.8
# asks the OS about ".../fxx/../a.txt" and reports the file as not found.
let
  sp = [ { prefix = "fx"; path = ./eval-files-fixture; } { path = ./eval-files-fixture/imp; } ];
in [
  (builtins.findFile sp "fx/a.txt")
  (builtins.findFile sp "fx")
  (builtins.findFile sp "sub/here.nix")
  (builtins.findFile sp "scoped.nix")
  (builtins.tryEval (builtins.findFile sp "fx/nope")).success
  (builtins.tryEval (builtins.findFile sp "fxa.txt")).success
  (builtins.findFile [ { prefix = "fxx"; path = ./.; } { path = "${toString ./.}/eval-files-fixture"; } ] "fxx/../a.txt")
  (let __nixPath = sp; in <fx/sub/b.txt>)
]
