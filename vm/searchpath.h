/* searchpath.h — the Nix search path (vm/builtins/search.c). */
#ifndef NX_SEARCHPATH_H
#define NX_SEARCHPATH_H

#include "vm/value.h"

/* Appends one -I entry ("prefix=path" or "path"); call before the base
 * environment is built (nx_globals_init). */
void nx_search_path_add(const char *raw);
/* Appends the $NIX_PATH entries (or CppNix's defaults when it is unset),
 * after the -I ones; idempotent. */
void nx_search_path_add_env(void);
/* Looks path ("name/sub") up in the search path (-I entries and
 * $NIX_PATH, as <name/sub>); the result in out (PATH_MAX bytes), or false. */
bool nx_search_path_find(const char *path, char *out);
/* builtins.nixPath: a list of { path; prefix; } in search order. */
nx_value nx_search_path_value(void);

#endif
