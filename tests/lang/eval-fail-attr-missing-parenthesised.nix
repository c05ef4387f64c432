# the position of a selection is the start of the selected expression,
# its opening parenthesis included
({ a = 1; }).zzz
