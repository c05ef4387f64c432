# A set with an outPath prints as its outPath in JSON: CppNix's printer does
# not force the other attributes, and adds no attribute entry for outPath.
{ outPath = throw "the outPath"; a = throw "not forced"; }
