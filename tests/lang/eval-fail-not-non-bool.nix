# `!` needs a Boolean
! 1
