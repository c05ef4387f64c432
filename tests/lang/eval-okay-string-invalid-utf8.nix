[ "aÿb" (builtins.stringLength "aÿb") ]
