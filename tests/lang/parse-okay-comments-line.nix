# leading comment
[ 1 # after 1
  2 #
  # whole line
  3 ] # trailing
