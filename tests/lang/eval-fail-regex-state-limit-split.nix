# 13 nested "{1,}": past libstdc++'s state limit (12 nested are within it);
# split reports it as match does.
builtins.split "(((((((((((((a){1,}){1,}){1,}){1,}){1,}){1,}){1,}){1,}){1,}){1,}){1,}){1,}){1,}" "a"
