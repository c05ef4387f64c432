# values in error messages are not evaluated: unevaluated parts print as «thunk»
"${{ a = 1 + 1; }}"
