let
  vals = [ 1 1.5 "s" true null [ ] { } (x: x) builtins.add ];
  preds = with builtins; [ isNull isInt isFloat isString isBool isList isAttrs isFunction isPath ];
in
map (p: map p vals) preds
