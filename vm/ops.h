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
/* l1 ++ l2 ++ … ++ ln (v: the n ≥ 3 forced operands) in one allocation,
 * as the nested `++` would give it; operand i's type error is at
 * position id pos[i]. */
bool nx_concat_list_chain(nx_vm *vm, const nx_value *v, uint32_t n, const uint32_t *pos, nx_value *out);
/* CppNix's coerceToString: appends the string form of v to out.
 * NX_COERCE_MORE: also numbers, Booleans, null and lists (toString);
 * NX_COERCE_PATH_TEXT: a path as its text (no copy to the store); without
 * it a path becomes the store path it would be copied to.
 * Returns 1, 0 (error set), -1 with *pending a thunk to force before
 * trying again, or -2 with *pending the `__toString` application the
 * caller must put in place of v and force. */
enum { NX_COERCE_MORE = 1, NX_COERCE_PATH_TEXT = 2 };
struct nx_ctxacc;
/* ctx (may be NULL) receives the string contexts met and the store paths
 * of paths copied to the store.  Lists are walked without C recursion;
 * after a -1 the caller starts again from v, so a caller that coerces
 * lists of thunks uses nx_coerce_resume instead.  A -2 inside a list
 * (only with NX_COERCE_MORE) is for the caller to report, not to put in
 * place of v. */
int nx_coerce_to_string(nx_vm *vm, nx_buf *out, struct nx_ctxacc *ctx, nx_value v, int flags, nx_value *pending);
/* The same coercion, able to stop for a force and go on where it
 * stopped: st is NX_COERCE_NSTATE values that the caller keeps where the
 * collector scans them (a builtin's frame slots, NX_NULL at the start)
 * and passes again, with v, after forcing *pending (a return of -1: an
 * element, an outPath, or the application of a __toString, which is
 * never handed back as -2).  The text and contexts met before a
 * suspension are kept in st: out must be empty at each call, and
 * receives the whole text on success (1).  A nested list (the position
 * in each level is on a stack in st) and chains of outPath or __toString
 * have depth limits, errors as CppNix's stack overflow. */
enum { NX_COERCE_NSTATE = 8 };
int nx_coerce_resume(nx_vm *vm, nx_buf *out, struct nx_ctxacc *ctx, nx_value *st, nx_value v, int flags, nx_value *pending);
/* After nx_coerce_resume failed (the walk's own error, or one raised
 * while forcing what it asked for): where it stood, for the trace.
 * CppNix's coerceToString recurses into lists and __toString results,
 * and each call's error context is added to an error passing through
 * it.  Levels 0 .. nx_coerce_trace_levels(st) - 1 are the lists being
 * walked, outermost first; the level after them is the value that
 * failed to coerce.  The kind of a level's context: */
enum { NX_COERCE_CTX_ARG, NX_COERCE_CTX_ELEMENT, NX_COERCE_CTX_TOSTRING };
uint32_t nx_coerce_trace_levels(const nx_value *st);
int nx_coerce_trace_kind(const nx_value *st, uint32_t level);

/* Decimal digits of v (as printf's "%lld") into buf (24 bytes at least),
 * NUL-terminated; returns the length. */
size_t nx_fmt_int(char *buf, int64_t v);
/* String concatenation's fast path: when every v[i] is a string (not a
 * path, not a set), *out = their concatenation, contexts joined (an
 * existing context object reused when it is the only one), and true;
 * false (nothing done) otherwise.  Allocates; cannot fail. */
bool nx_concat_plain_strings(const nx_value *v, uint32_t n, nx_value *out);

/* CppNix's forceStringNoCtx failure for a string s with a context:
 * "the string '…' is not allowed to refer to a store path (such as '…')".
 * Always returns false (vm->err set). */
bool nx_string_ctx_error(nx_vm *vm, nx_value s);

/* Short rendering of a value for error messages ("1", "\"abc\"", "{ a = 1; }"):
 * modern CppNix's printValue with errorPrintOptions (vm/print_value.c).
 * Never forces; allocates only in b. */
void nx_show_value_short(nx_buf *b, nx_value v);

struct nx_code;
/* After BIND_FORMALS: each formal left NX_NOVALUE (its default is a
 * variable, nx_formal_code.alias_level) takes that variable's value, as
 * CppNix's maybeThunk shares it; a formal naming another such formal
 * follows it.  Never allocates or fails. */
void nx_bind_aliases(const struct nx_code *code, nx_env *env);

#endif
