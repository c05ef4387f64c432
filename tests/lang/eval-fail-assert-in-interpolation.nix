# An assert inside an interpolation: its condition's span is in the string.
"a${assert false || 1 > 2; "b"}c"
