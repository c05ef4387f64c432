x: <x
