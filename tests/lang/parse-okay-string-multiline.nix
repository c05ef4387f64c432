[ "multi
line" "trailing
" "

both

" ]
