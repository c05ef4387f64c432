# attribute sets print sorted by name (byte order), whatever the order of definition
{ zeta = 1; alpha = 2; Beta = 3; _u = 4; "10" = 5; "9" = 6; b = 7; a-b = 8; a_b = 9; ab = 10; }
