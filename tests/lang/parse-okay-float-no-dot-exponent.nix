# A float needs a dot: 1e3 is the int 1 applied to the variable e3.
e3: E5: e-5: [ (1e3) (2E5) (3e-5) ]
