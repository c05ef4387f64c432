x:	{	a	=	x;	}
