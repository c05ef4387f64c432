/* ops.h — operations on values that never push frames: arithmetic,
 * comparison of scalars, string concatenation, set update, list append.
 * Each returns false with vm->err set on a Nix-level error. */
#ifndef NX_OPS_H
#define NX_OPS_H

#include "vm/vm.h"

enum { NX_ARITH_ADD, NX_ARITH_SUB, NX_ARITH_MUL, NX_ARITH_DIV };

bool nx_type_error(nx_vm *vm, nx_value v, const char *expected);
bool nx_arith(nx_vm *vm, int op, nx_value a, nx_value b, nx_value *out);
/* a < b for numbers, strings and paths; *needs_deep set for lists. */
bool nx_less(nx_vm *vm, nx_value a, nx_value b, bool *out, bool *needs_deep);
/* Equality without forcing: 1 equal, 0 different, -1 needs a deep walk. */
int nx_eq_shallow(nx_value a, nx_value b);
/* Deep equality without recursion: 1 equal, 0 not, -1 with *pending set
 * to a thunk that must be forced before asking again. */
int nx_deep_eq(nx_value a, nx_value b, nx_value *pending);
int nx_list_less(nx_vm *vm, nx_value a, nx_value b, bool *out, nx_value *pending);
bool nx_update(nx_vm *vm, nx_value a, nx_value b, nx_value *out);
bool nx_concat_lists(nx_vm *vm, nx_value a, nx_value b, nx_value *out);
/* Short rendering of a value for error messages ("1", "\"abc\"", "{ a = 1; }"). */
void nx_show_value_short(nx_buf *b, nx_value v);

#endif
