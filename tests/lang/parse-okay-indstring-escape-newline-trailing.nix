# ''\n produces a real newline for the indentation logic: the spaces after it
# form a whitespace-only last line that is dropped.
[ '' ''\n '' ''
  a''\n  '' ]
