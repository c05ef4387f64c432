# toString of lists whose elements, nested lists and __toString results
# are unevaluated: the coercion stops at each one to force it and goes
# on where it stopped (the text and the context built so far are kept).
# Checked against Nix 2.8.
let
  d = derivation { name = "d"; builder = "/bin/sh"; system = "x86_64-linux"; };
  e = derivation { name = "e"; builder = "/bin/sh"; system = "x86_64-linux"; };
  # Every element a thunk, some of them lists of thunks.
  thunks = builtins.genList (i: if i == 2 then [ (toString i) [ ] (i + 1) ] else if i == 4 then [ [ ] ] else i) 7;
  s = toString [ "${d}" (builtins.head [ e ]) thunks ./. ];
  tos = v: { __toString = self: v; };
in
[
  # Separators: one after every element but the last, none after an empty
  # list (a list holding only empty lists, null or false gives an empty
  # string and keeps its separator).
  (toString thunks)
  (toString [ [ ] [ [ ] ] null false 1 [ null ] [ false false ] true ])
  (toString (builtins.genList (i: [ ]) 3))
  # __toString inside lists, its result coerced in its place (a list, a
  # set with __toString or outPath, a number: coerceMore), and nested.
  (toString [ (tos "x") 1 ])
  (toString [ (tos [ 1 [ 2 (tos 3) ] ]) [ (tos null) ] "y" ])
  (toString [ (tos (tos "z")) (tos { outPath = "o"; }) { outPath = tos "p"; } ])
  (toString (tos [ (tos 1.5) ]))
  # outPath inside lists, and a set's outPath that is a list.
  (toString [ { outPath = [ 1 2 ]; } d ])
  # The context of every part, kept across the forces.
  s
  (builtins.attrNames (builtins.getContext s))
  (builtins.hasContext (toString (builtins.genList (i: if i == 9 then "${d}" else "") 10)))
  # Contexts alternating between two derivations over 40 forces, and a
  # text longer than one buffer.
  (let t = toString (builtins.genList (i: "${if i / 2 * 2 == i then d else e}-${toString i}") 40); in
    [ (builtins.stringLength t) (builtins.substring 1000 60 t) (builtins.attrNames (builtins.getContext t)) ])
  # A deep nesting of unevaluated lists.
  (toString (builtins.foldl' (acc: i: [ i acc ]) [ ] (builtins.genList (i: i) 10)))
]
