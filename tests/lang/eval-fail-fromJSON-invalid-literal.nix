# a misspelt literal: the bytes read so far are 'last read'
builtins.fromJSON "[true, tru,]"
