[
  "a\nb"
  "tab\there"
  "cr\rx"
  "quote\"q"
  "back\\slash"
  "\${not interpolated}"
  "$"
  "$$"
  "a$b"
  "$${x}"
  "trailing $"
  ''ind''${x}''
  "é日本"
  "\\$"
  "'"
  ''a'''b''
]
