x:	[	x	y ]
