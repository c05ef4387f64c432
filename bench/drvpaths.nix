# The top-level derivations of a nixpkgs tree, one line each:
# "NAME OUTPATH DRVPATH" (bench/drvpaths.py compares them between nixe
# and nix-instantiate).  A name whose evaluation throws (tryEval catches
# it) is left out, as nix-env -qa does; an uncatchable error (a missing
# attribute) fails the whole evaluation, so the driver passes only the
# names that do not.
#   nixpkgs  path to a nixpkgs tree
#   names    the top-level attribute names to evaluate
{ nixpkgs, names }:
let
  pkgs = import nixpkgs { };
  attempt = name:
    let r = builtins.tryEval (
      let v = pkgs.${name}; in
      if builtins.isAttrs v && (v.type or null) == "derivation"
      then builtins.seq v.drvPath "${name} ${v.outPath} ${v.drvPath}"
      else null);
    in if r.success then r.value else null;
in builtins.filter (x: x != null) (map attempt names)
