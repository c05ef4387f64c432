# the __functor value is called at the position of its attribute, under
# "while calling a functor" at the call site
{ __functor = 1; } 2
