# the code lines of an error on the last line of a file without a final
# newline: no empty line after it (modern Pos::getCodeLines)
let x = 1; in
nope