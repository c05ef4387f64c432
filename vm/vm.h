/* vm.h — the virtual machine: value stack, frame stack, builtins protocol.
 *
 * Evaluation never recurses on the C stack: calls, thunk forcing and
 * builtins push frames on an explicit frame stack (reserved address space,
 * so frames never move).  A builtin runs in a native frame and is a state
 * machine: its step function returns NX_STEP_RETURN (result in vm->ret),
 * NX_STEP_FORCE (force vm->req, then step again), NX_STEP_CALL (apply the
 * function and arguments it pushed; the result is on the stack when it
 * steps again) or NX_STEP_ERROR (vm->err set).  Live values of a builtin
 * sit in its frame's stack slots, never in C locals across steps. */
#ifndef NX_VM_H
#define NX_VM_H

#include "vm/code.h"
#include "vm/error.h"
#include "vm/opcodes.h"
#include "vm/value.h"

enum { NX_FRAME_HALT, NX_FRAME_CALL, NX_FRAME_THUNK, NX_FRAME_NATIVE };

typedef struct nx_frame {
    const uint8_t *pc;
    nx_code *code;
    nx_env *env;
    nx_value *base;        /* first stack slot of this frame */
    union {
        nx_value thunk;    /* FRAME_THUNK: the thunk to update on return */
        char *env_mark;    /* FRAME_CALL with NX_FRAME_STACK_ENV: its environment
                            * on the environment stack, popped on return */
    };
    const struct nx_builtin *builtin; /* FRAME_NATIVE */
    uint8_t kind;
    uint8_t flags;
    uint16_t state;        /* FRAME_NATIVE: named resume state */
    uint32_t pending;      /* FRAME_THUNK: the name (nx_sym) it was forced under when
                            * exec.c computed one (FORCE_RETRY_AS: a with variable,
                            * `a.${n}`), for the profiler; else 0.  A functor
                            * call's trampoline (nx_functor_code): the position
                            * id of its __functor attribute, for the trace */
} nx_frame;

/* nx_frame.flags of a NATIVE frame: its strict arguments are forced. */
#define NX_FRAME_ARGS_FORCED 1
/* nx_frame.flags of a CALL frame: its environment lives on the VM's
 * environment stack (vm->envs) and is popped with the frame. */
#define NX_FRAME_STACK_ENV 2
/* nx_frame.flags of foldl''s NATIVE frame (vm/builtins/lists.c) once its
 * operator is a curried lambda (nx_is_curried2) and it waits for a
 * CALL2's result: RETURN runs the loop itself (vm/exec.c, do_return),
 * storing the result as the accumulator and calling the operator on the
 * next element, without stepping the builtin; the step runs again only
 * after the last element.  The frame's layout is foldl''s: ARG(0) the
 * operator, ARG(2) the list, SLOT(0) the accumulator, SLOT(1) the index
 * of the element being applied (NX_FOLD2_*). */
#define NX_FRAME_FOLD2 4
enum { NX_FOLD2_OP = 0, NX_FOLD2_LIST = 2, NX_FOLD2_ACC = 3, NX_FOLD2_INDEX = 4, NX_FOLD2_TOP = 5 };
/* NX_STEP_FORCE_LISTS (concatLists): force vm->req, an element of the list
 * ARG(0) whose index is in SLOT(0), and the unevaluated elements after it;
 * the frame waits at the FORCE_LISTS instruction of its static code,
 * which forces each next element itself (vm/exec.c) and steps the builtin
 * again only when every element is forced or one is not a list. */
enum { NX_FORCE_LISTS_LIST = 0, NX_FORCE_LISTS_INDEX = 1 };

enum { NX_STEP_RETURN, NX_STEP_FORCE, NX_STEP_CALL, NX_STEP_ERROR, NX_STEP_CALL2, NX_STEP_FORCE_LISTS };

/* Whether v is a lambda whose body is just another lambda (`a: b: …`, the
 * compiled body is CLOSURE k; RETURN): NX_STEP_CALL2 may apply it to two
 * arguments at once, entering the inner body directly. */
static inline bool nx_is_curried2(nx_value v)
{
    if (!nx_is_ptr(v) || nx_obj_of(v)->type != NX_OBJ_CLOSURE) return false;
    const nx_code *c = ((const nx_closure *)nx_obj_of(v))->code;
    return c->len == 6 && c->bc[0] == NX_OP_CLOSURE && c->bc[5] == NX_OP_RETURN;
}

typedef struct nx_vm nx_vm;
typedef int (*nx_step_fn)(nx_vm *vm, nx_frame *f);

typedef struct nx_builtin {
    const char *name;      /* without the __ prefix */
    uint8_t arity;
    uint8_t strict;        /* bit i: force argument i before the first step */
    uint8_t nslots;        /* extra state slots after the arguments */
    uint8_t catches;       /* NX_CATCH_*: resumed in NX_STATE_CAUGHT by errors */
    nx_step_fn step;
} nx_builtin;

/* The state a catching builtin is resumed in after an error it catches:
 * NX_CATCH_THROW catchable ones (throw, assert: tryEval), NX_CATCH_ALL
 * every error, once (addErrorContext, which adds a trace and rethrows;
 * exec.c hands the error to nx_error_context_catch first). */
#define NX_STATE_CAUGHT 0xffff
enum { NX_CATCH_NONE = 0, NX_CATCH_THROW = 1, NX_CATCH_ALL = 2 };

/* Where a `with` lookup that is forcing the set of one of its scopes
 * stands (vm/exec.c, WITH_VAR): its retry resumes after `last` instead
 * of searching the scopes inside it again. */
typedef struct nx_with_resume {
    const nx_frame *fp;    /* the frame waiting for the set */
    const uint8_t *ip;     /* its WITH_VAR or WITH_VAR_LAZY instruction */
    nx_env *first, *last;  /* the first and the last with scope searched */
    uint32_t k;            /* lookup caches used so far */
} nx_with_resume;

struct nx_vm {
    nx_value *stack, *stack_limit, *sp;
    nx_frame *frames, *frames_limit, *fp;
    /* The environment stack: environments of lambdas that create no
     * closures or thunks (code without children) cannot outlive their
     * call, so they are allocated here, LIFO with the frames, instead of
     * on the heap.  The collector traces every environment below envs_sp
     * as a root (vm/gc.c). */
    char *envs, *envs_sp, *envs_limit;
    /* Pending with lookups, innermost frame on top: pushed before the
     * force, popped by the retry or when an error unwinds the frame.
     * The environments are the frame's own (its env's chain). */
    nx_with_resume *wr;
    uint32_t wr_n, wr_cap;
    /* nx_coerce_to_string's __toString chains in progress: its callers
     * put the application it hands out, or its result, in place of the
     * set and coerce it from the start, so a chain (a __toString
     * returning its own set) is counted here, not in the coercion's
     * state.  A list (a root; 0 until the first chain) of
     * coerce_nchains records, one per frame coercing (vm/ops.c
     * chain_find). */
    nx_value coerce_app;
    uint32_t coerce_nchains;
    uint64_t max_depth;
    nx_value ret;          /* NX_STEP_RETURN result */
    nx_value req;          /* NX_STEP_FORCE request */
    uint32_t call_n;       /* NX_STEP_CALL: number of arguments pushed */
    nx_error err;
    bool failed;
    bool catchable;        /* the error is a throw or assert (tryEval) */
};

nx_vm *nx_vm_new(uint64_t max_depth);
void nx_vm_free(nx_vm *vm);

/* Makes the fully written frame f the top frame.  The profiler's SIGPROF
 * handler (profiler/sample.c) reads vm->fp at any instruction, so every
 * push writes the frame's fields first and publishes it last.  A release
 * store keeps the compiler from sinking the field stores below the
 * publication (on x86-64 it is a plain mov) while, unlike a signal fence,
 * still letting the dispatch loop reload fp's fields from registers. */
#define NX_PUBLISH_FRAME(vm, f) __atomic_store_n(&(vm)->fp, (f), __ATOMIC_RELEASE)

/* Driver entry points (the only places the dispatch loop is entered). */
/* Forces v to weak head normal form; returns false on error (vm->err). */
bool nx_vm_force(nx_vm *vm, nx_value *v);
/* Runs a top-level code object in env; result in *out. */
bool nx_vm_run(nx_vm *vm, nx_code *code, nx_env *env, nx_value *out);
/* Applies f to x and forces the result. */
bool nx_vm_apply(nx_vm *vm, nx_value f, nx_value x, nx_value *out);

/* The dispatch loop (vm/exec.c): runs until the HALT frame at `stop`. */
bool nx_exec(nx_vm *vm);

/* Helpers for handlers and builtins. */
void nx_vm_error(nx_vm *vm, nx_pos pos, const char *fmt, ...) NX_PRINTF(3, 4);
nx_pos nx_frame_pos(const nx_frame *f);
/* Called by the unwinder when an NX_CATCH_ALL builtin's frame f catches:
 * moves vm->err aside (vm/builtins/control.c) and clears the failure. */
void nx_error_context_catch(nx_vm *vm, nx_frame *f);
/* Position of the innermost frame with code (for builtin errors). */
nx_pos nx_vm_pos(nx_vm *vm);

/* Builtins registry (vm/builtins/registry.c). */
const nx_builtin *nx_builtin_find(const char *name);
/* A new primop value of the builtin `name` (NX_NOVALUE if none), also for
 * builtins outside the base environment.  Allocates. */
nx_value nx_builtin_primop(const char *name);
/* Builds the base environment's values (idempotent). */
void nx_globals_init(void);
nx_value nx_global_value(uint32_t id);

#endif
