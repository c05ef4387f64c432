[ (__add 1 2) (__length [ 1 ]) (__head [ 5 ]) (__typeOf __filter) (__isFunction __elemAt) ]
