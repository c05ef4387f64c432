rec { xa = xb; xb = xa; }.xa
