[
  ''
    line one
      indented
    line three
  ''
  ''  no newline at start''
  ''
    tab	kept
  ''
  ''a ''' b ''$ c ''\n d ''${"e"}''
]
