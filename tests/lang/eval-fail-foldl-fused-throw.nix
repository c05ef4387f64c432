# The operator fails at the third element, called from RETURN's foldl'
# loop (NX_FRAME_FOLD2): the trace still goes through the foldl' frame.
builtins.foldl' (acc: x: if x == 3 then throw "element ${toString x} after ${toString acc}" else acc + x) 0 [ 1 2 3 4 ]
