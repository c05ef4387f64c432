/* block */ 1 # line
+ /* another
 multi */ 2
