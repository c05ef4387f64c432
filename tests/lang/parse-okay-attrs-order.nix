{ zeta = 1; alpha = 2; Beta = 3; _u = 4; a1 = 5; a-b = 6; a'b = 7; aa = 8; }
