# ''' is an escaped '' and each escape is a separate string part.
[ ''''''' '' ''' '' ''a'''b'' ''it's'' ''a' b'' ]
