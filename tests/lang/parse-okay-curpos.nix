[ __curPos { a = __curPos; } ]
