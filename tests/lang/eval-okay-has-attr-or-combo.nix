let s = { a = { b = 1; }; }; in [ ((s.a or { }) ? b) ((s.z or { }) ? b) (s ? a && s.a ? b) ]
