# the __functor value is called at the position of its attribute
{ __functor = 1; } 2
