# toXML's result carries the contexts of the strings it prints (NixOS's
# grub-config.xml depends on the packages named in it); a derivation
# printed a second time as <repeated/> adds nothing more.
let
  d = derivation { name = "a"; builder = "b"; system = "c"; };
  e = derivation { name = "e"; builder = "b"; system = "c"; };
in [
  (builtins.getContext (builtins.toXML { x = "${d}/bin"; y = [ "${e.drvPath}" ]; z = 1; }))
  (builtins.getContext (builtins.toXML { z = d; w = [ d ]; }))
  (builtins.getContext (builtins.toXML [ "plain" ./. 1 ]))
]
