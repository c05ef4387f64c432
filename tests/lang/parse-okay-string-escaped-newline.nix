# A backslash before CR LF escapes only the CR; the LF stays (gives "\r\n").
[ "a\
b" "\
c" ]
