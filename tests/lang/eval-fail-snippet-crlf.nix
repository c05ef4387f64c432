# CR LF line ends: the code lines are cut at them, and the empty line
# after the final one is shown (modern Pos::getCodeLines)
let x = 1; in
nope
