# CppNix's printValueAsXML adds no trace entries while it forces (unlike
# forceValueDeep for plain --strict).
{ a = [ 1 (throw "x") ]; }
