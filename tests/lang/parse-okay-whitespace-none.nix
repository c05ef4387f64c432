# c=x:x; is an URI "x:x" followed by ;
{a=1;b=[1 2];c=x:x;}
