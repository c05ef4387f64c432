# found by tests/fuzz/fuzz_eval: toml11 (also in Nix 2.8, which aborts on an
# assertion) reads past its buffer on invalid UTF-8 in a literal string;
# nixe rejects invalid UTF-8 before parsing (TOML documents are UTF-8)
builtins.fromTOML ''
  a = 'ÿ'
''
