# Imported by eval-fail-assert-import.nix: the text of an imported file is
# released after compiling and read again for the message.
x:
assert x == ./a.txt
  || builtins.isString x; x
