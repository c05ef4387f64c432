/* compile.h — AST (after scope resolution) to bytecode. */
#ifndef NX_COMPILE_H
#define NX_COMPILE_H

#include "vm/ast.h"
#include "vm/code.h"

/* Compiles a resolved expression into a top-level code object (never
 * fails for a tree that passed nx_scope_resolve).  Recursive over the
 * tree: run it on the big stack (nx_run_on_big_stack). */
nx_code *nx_compile(const nx_node *root);

#endif
