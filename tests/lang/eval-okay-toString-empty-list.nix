# toString of a list puts no separator after an empty list (CppNix), which
# matters for buildInputs such as [ libintlOrEmpty zlib ].
[
  (toString [ [ ] 1 [ ] [ ] 2 [ [ ] ] 3 [ ] ])
  (derivation { name = "e"; builder = "/bin/sh"; system = "x86_64-linux"; inputs = [ [ ] "a" [ ] "b" ]; }).drvPath
]
