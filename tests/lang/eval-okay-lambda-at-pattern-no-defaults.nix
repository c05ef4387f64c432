# the @-name is the set as passed: defaults do not appear in it
({ a ? 1, ... }@s: [ a (s ? a) ]) { }
