# HOME is set by the test runner (tests/eval.test); an unset variable is "".
[ (builtins.getEnv "HOME") (__getEnv "NIXE_TEST_SURELY_UNSET_VARIABLE") ]
