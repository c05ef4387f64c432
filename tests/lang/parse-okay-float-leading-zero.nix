# FLOAT is (([1-9][0-9]*\.[0-9]*)|(0?\.[0-9]+))(exp)?: 01.5 is the int 01
# followed by the float .5; 00.5 is 0 then .5; 10.5.5 is 10.5 then .5.
[ (01.5) 00.5 10.5.5 0.5 ]
