x:
	[ x
		y ]
