# `or` only covers the selection it belongs to
let s = { a = { }; }; in (s.a.b or s.a).c
