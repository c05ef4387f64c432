# '?' is %nonassoc but the right operand is an attrpath, so a chain parses.
x: x ? a ? b
