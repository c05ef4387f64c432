[ (args@{ a, ... }: args) ({ a, b ? a, ... }@args: args) (x@{ }: x) ({ }@x: x) (a@{...}:a) ]
