/* builtins.h — helpers shared by the builtin implementations.
 *
 * A builtin's step function runs in a native frame: ARG(i) are its
 * arguments (strict ones already forced), SLOT(k) its state slots; live
 * values must be kept there, never in C locals across a return.  NEED(x)
 * forces x (yield and step again), CALL(fn, arg, next) applies fn to arg
 * and resumes in state `next` with the result available as RESULT(). */
#ifndef NX_BUILTINS_H
#define NX_BUILTINS_H

#include "vm/heap.h"
#include "vm/ops.h"
#include "vm/vm.h"

#define ARG(i) (f->base[i])
#define SLOT(k) (f->base[f->builtin->arity + (k)])
#define RETURN_VALUE(v) do { vm->ret = (v); return NX_STEP_RETURN; } while (0)
#define NEED(x)                                                               \
    do {                                                                      \
        (x) = nx_deref(x);                                                    \
        if (nx_needs_force(x)) {                                              \
            vm->req = (x);                                                    \
            return NX_STEP_FORCE;                                             \
        }                                                                     \
    } while (0)
#define CALL(fn, arg, next)                                                   \
    do {                                                                      \
        vm->sp[0] = (fn);                                                     \
        vm->sp[1] = (arg);                                                    \
        vm->sp += 2;                                                          \
        f->state = (next);                                                    \
        return NX_STEP_CALL;                                                  \
    } while (0)
/* Calls fn with two arguments (fn a b) in one step, without making the
 * intermediate function: only for fn with nx_is_curried2(fn) (a lambda
 * whose body is a lambda, `a: b: …`); the caller uses two CALLs for any
 * other function. */
#define CALL2(fn, a, b, next)                                                 \
    do {                                                                      \
        vm->sp[0] = (fn);                                                     \
        vm->sp[1] = (a);                                                      \
        vm->sp[2] = (b);                                                      \
        vm->sp += 3;                                                          \
        f->state = (next);                                                    \
        return NX_STEP_CALL2;                                                 \
    } while (0)
#define RESULT() (*--vm->sp)

/* A multi-state builtin's resume states, named for the profiler:
 *   NX_STATES(sort, "sort", SORT_START, SORT_MERGE, …);
 * declares `enum { SORT_START, SORT_MERGE, … }` and records, in the
 * linker section nx_states (which profiler/report.c reads through
 * __start_nx_states/__stop_nx_states), the builtins that run in these
 * states (BUILTINS: their names, space-separated) and the enum's text.  A
 * sample whose innermost Nix frame is one of these builtins then ends in
 * a frame naming its state (`primop sort;[sort: compared]`).  Nothing runs at
 * run time: the step functions keep their plain enum constants. */
typedef struct nx_state_names {
    const char *builtins; /* "any all" */
    const char *states;   /* "QUANT_LOOP, QUANT_TESTED" */
} nx_state_names;
#define NX_STATES(group, builtins, ...)                                       \
    enum { __VA_ARGS__ };                                                     \
    __attribute__((used, section("nx_states"), aligned(sizeof(void *))))      \
    static const nx_state_names nx_states_##group = { builtins, #__VA_ARGS__ }

int nx_builtin_fail(nx_vm *vm, const char *fmt, ...) NX_PRINTF(2, 3);
int nx_builtin_type_error(nx_vm *vm, nx_value v, const char *expected);
/* Coerces *slot to a string value in place, context kept (flags as for
 * nx_coerce_to_string; vm/builtins/strings.c).  Returns -1 when done, else
 * the step status to return: NX_STEP_FORCE (vm->req set; a __toString
 * result replaces *slot first) or NX_STEP_ERROR. */
int nx_builtin_coerce_in_place(nx_vm *vm, nx_value *slot, int flags);

/* CppNix's coerceToPath for argument i (vm/builtins/files.c): a path or a
 * string stays; anything else goes through coerceToString without copying
 * to the store (a set's __toString or outPath), and ARG(i) becomes the
 * resulting string.  Returns 1 (done), 0 (error set) or -1 (the caller
 * returns NX_STEP_FORCE: vm->req is set, ARG(i) may have been replaced). */
int nx_builtin_path_arg(nx_vm *vm, nx_frame *f, int i);
#define PATH_ARG(i)                                                           \
    do {                                                                      \
        int r_ = nx_builtin_path_arg(vm, f, (i));                             \
        if (r_ < 0) return NX_STEP_FORCE;                                     \
        if (r_ == 0) return NX_STEP_ERROR;                                    \
    } while (0)

/* CppNix's forceStringNoCtx: a string argument that must carry no context. */
#define EXPECT_NO_CTX(v)                                                      \
    do {                                                                      \
        if (nx_str(v)->ctx) {                                                 \
            nx_string_ctx_error(vm, (v));                                     \
            return NX_STEP_ERROR;                                             \
        }                                                                     \
    } while (0)

/* Deep traversals' state in frame slots (vm/builtins/walk.c): a stack in
 * a list object SLOT(list) with its depth in SLOT(len), and a set of
 * visited lists/sets SLOT(table) with its count SLOT(count).  Allocate. */
nx_value nx_walk_list(uint32_t cap);
void nx_walk_push(nx_frame *f, int list, int len, nx_value v);
nx_value nx_walk_table(uint32_t cap);
/* Starts a walk from root: an empty stack and visited set in the four
 * slots, root pushed. */
void nx_walk_begin(nx_frame *f, int list, int len, int table, int count, nx_value root);
/* Adds the object to the visited set; false if it was there already. */
bool nx_walk_seen_add(nx_frame *f, int table, int count, nx_value v);
/* The JSON printer's forcing walk (toJSON, structured derivation
 * attributes), in NX_JW_NSLOTS slots from base (NX_NULL at the start):
 * forces root and what printing it reads, depth first in the printer's
 * order (CppNix's printValueAsJSON prints while it forces), one step per
 * force; calls the __toString of each set that has it where it is
 * printed (before looking at its outPath) and coerces the result as
 * tryAttrsToString does, recording the (set, string) pairs in the list
 * SLOT(base + NX_JW_STRS) of SLOT(base + NX_JW_NSTRS) values (kept
 * across walks: nx_json_strs_init makes the printer's table of them);
 * else a set with an outPath only through it, another set by name, a
 * list in order.  Raises the printer's own errors (a function, a path
 * that cannot be copied) where it meets them.  Returns -1 when done (all
 * but the pairs cleared), else a step status.  Allocates. */
enum {
    NX_JW_STACK, NX_JW_N, NX_JW_SEEN, NX_JW_NSEEN, NX_JW_STRS, NX_JW_NSTRS, NX_JW_COERCE,
    NX_JW_NSLOTS = NX_JW_COERCE + NX_COERCE_NSTATE
};
int nx_json_walk(nx_vm *vm, nx_frame *f, int base, nx_value root);

#define FAIL(...) return nx_builtin_fail(vm, __VA_ARGS__)
#define EXPECT(v, test, what)                                                 \
    do {                                                                      \
        if (!(test)) return nx_builtin_type_error(vm, (v), (what));           \
    } while (0)

/* Each topic file defines its table; vm/builtins/registry.c joins them. */
typedef struct nx_builtin_table {
    const nx_builtin *v;
    size_t n;
} nx_builtin_table;

extern const nx_builtin_table nx_builtins_arith, nx_builtins_lists, nx_builtins_attrs,
    nx_builtins_strings, nx_builtins_control, nx_builtins_regex, nx_builtins_versions, nx_builtins_more, nx_builtins_files, nx_builtins_json,
    nx_builtins_search, nx_builtins_closure, nx_builtins_xml, nx_builtins_toml,
    nx_builtins_store, nx_builtins_derivation, nx_builtins_fetch;

/* The source of the `derivation` wrapper (vm/builtins/derivation.c). */
extern const char nx_derivation_nix[];

/* Nix's built-in files (`<nix/fetchurl.nix>`): `nix/NAME` on the search
 * path resolves to NX_COREPKGS_DIR "/NAME" (as in Nix 2.8), and import
 * reads such a path's text from nx_corepkgs_file (NULL: no such file). */
#define NX_COREPKGS_DIR "/__corepkgs__"
const char *nx_corepkgs_file(const char *path);

#endif
