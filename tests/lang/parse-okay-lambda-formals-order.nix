# Formals are printed sorted by symbol creation order (Symbol is compared by
# address). The name of a formal with a default is created after its default
# expression, so alp (used in the default of mid) comes before mid.
{ zed, mid ? alp, alp, nn ? 1, ... }: zed
