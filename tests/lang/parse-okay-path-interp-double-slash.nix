# After an interpolation, "/" and "/b" are separate path fragments.
x: ./a/${x}//b
