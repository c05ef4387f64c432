let x = { }; in
assert # a comment after the keyword
  x.a or ./rel/../p == /* in between */ ''
    line ${toString 1.5}
  ''
  && x ? "b c" && http://example.org/ != -1 # a comment before the `;`
  ;
1
