x: [ /${x} /a/${x} a/${x} a/b/${x}.c ]
