# line and column counting over newlines; 'last read' shows them as <U+000A>
builtins.fromJSON "[1,\n 2,\n\n  x]"
