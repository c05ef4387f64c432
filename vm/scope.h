/* scope.h — static scope resolution over the AST.
 *
 * Resolves every variable to a local slot (levels up, index), the nearest
 * enclosing `with`, or a global (builtins and the names CppNix puts in the
 * base environment), and reports `undefined variable 'x'` at its position
 * when none applies, as CppNix's bindVars does.  Variables are visited in
 * CppNix's order (attributes by name) so the first error reported is the
 * same one. */
#ifndef NX_SCOPE_H
#define NX_SCOPE_H

#include "vm/ast.h"
#include "vm/error.h"

/* Environment slot layout the compiler relies on:
 *   lambda:     slot 0 the argument, then the formals in source order
 *   let / rec:  the attributes in source order (nx_n_attrs.attrs) */
bool nx_scope_resolve(nx_node *root, nx_error *err);
/* The same with an outermost scope of n names (sorted by symbol id) that
 * shadow the base environment: scopedImport's scope, one environment
 * whose slot i holds the value of names[i]. */
bool nx_scope_resolve_in(nx_node *root, const nx_sym *names, uint32_t n, nx_error *err);

/* The global (base environment) names; index = global id. */
uint32_t nx_global_count(void);
nx_sym nx_global_name(uint32_t id);
/* Returns the global id of s, or UINT32_MAX. */
uint32_t nx_global_lookup(nx_sym s);

#endif
