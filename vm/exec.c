/* exec.c — the dispatch loop, and nothing else.
 *
 * Registers: fp (frame), pc, sp (value stack), env, code.  Every change of
 * the frame stack goes through SAVE() before and LOAD() after.  A handler
 * that needs a value in weak head normal form and finds an unevaluated
 * thunk calls FORCE_RETRY: the frame's pc is set back to the handler's own
 * instruction, a frame for the thunk is pushed, and the instruction runs
 * again once the thunk is evaluated.  Errors `goto error`, which unwinds
 * frames (restoring thunks under evaluation) down to the HALT frame. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "profiler/calltrace.h"
#include "vm/heap.h"
#include "vm/opcodes.h"
#include "vm/ops.h"
#include "vm/print_ast.h"
#include "vm/store/context.h"
#include "vm/vm_internal.h"

/* Each handler names its operand format; a mismatch with opcodes.def is a
 * compile-time error. */
enum {
#define OP(name, fmt, pop, push, flags) NX_OPFMT_##name = NX_FMT_##fmt,
#include "opcodes.def"
};

static inline uint32_t rd32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

/* nx_attrs_find_ic with the instruction's lookup cache operand at p
 * (SYM_IC, SYM_IC_I32), written back when the position moves.  Bytecode
 * is writable: the cache is the only operand that ever changes. */
static inline nx_attr *find_cached(nx_value a, nx_sym s, const uint8_t *p)
{
    uint32_t ic = rd32(p), old = ic;
    nx_attr *at = nx_attrs_find_ic(a, s, &ic);
    if (ic != old) memcpy((uint8_t *)p, &ic, 4);
    return at;
}

enum { ARGS_FORCED = NX_FRAME_ARGS_FORCED };

/* Whether one more frame fits under the call depth limit.  A push then
 * fills in the slot vm->fp + 1 and publishes it with NX_PUBLISH_FRAME. */
static inline bool can_push(const nx_vm *vm)
{
    return NX_LIKELY(vm->fp + 1 < vm->frames_limit);
}

/* The slot for the next frame (vm->fp + 1), or NULL with the error set
 * when the call depth limit is reached. */
static inline nx_frame *next_frame(nx_vm *vm)
{
    if (NX_LIKELY(can_push(vm))) return vm->fp + 1;
    nx_vm_error(vm, nx_vm_pos(vm), "stack overflow; max-call-depth exceeded");
    return NULL;
}

/* Fills in the CALL frame f (vm->fp + 1) running code in environment e
 * with its stack from base, makes it the top frame and reaches the
 * safepoint. */
static inline __attribute__((always_inline)) void publish_call(nx_vm *vm, nx_frame *f, nx_code *code, nx_env *e, nx_value *base)
{
    f->kind = NX_FRAME_CALL;
    f->code = code;
    f->env = e;
    f->pc = code->bc;
    f->base = base;
    NX_PUBLISH_FRAME(vm, f);
    nx_gc_safepoint(vm);
}

/* An environment of n >= 1 slots under up at p on the environment stack,
 * its slot 0 set to arg: nx_init_env's work, less the clearing of slot 0
 * (only the other slots must hold something the collector can read when
 * the frame reaches its safepoint). */
static inline __attribute__((always_inline)) nx_env *stack_env(char *p, uint32_t n, nx_env *up, nx_value arg)
{
    nx_env *e = (nx_env *)p;
    e->h = (nx_obj){ NX_OBJ_ENV, 0, 0, n };
    e->up = up;
    e->slot[0] = arg;
    if (NX_UNLIKELY(n > 1)) memset(e->slot + 1, 0, (size_t)(n - 1) * sizeof(nx_value));
    nx_count.envs++;
    nx_count.env_slots += n;
    return e;
}

/* Moves frame f's environments from the environment stack (f->env_mark
 * up: its call's one or two) to the heap, because env, the innermost
 * environment of its chain, is about to be captured by a thunk or a
 * closure that may outlive the frame.  Only the chain from env down
 * points into them (a capture anywhere else moved them first), so each is
 * copied and forwarded, and the one heap scope whose `up` was on the
 * stack (a let or with entered since the call) is pointed at the copy.
 * Returns env's new address. */
static __attribute__((noinline)) nx_env *capture_envs(nx_vm *vm, nx_frame *f, nx_env *env)
{
    char *lo = f->env_mark, *hi = vm->envs_sp;
#define ON_STACK(e) ((char *)(e) >= lo && (char *)(e) < hi)
    for (char *p = lo; p < hi;) {
        nx_env *old = (nx_env *)p;
        uint32_t n = old->h.aux;
        size_t bytes = sizeof(nx_env) + (size_t)n * sizeof(nx_value);
        nx_env *e = (nx_env *)nx_heap_alloc(bytes);
        e->h = (nx_obj){ NX_OBJ_ENV, 0, old->h.flags, n };
        e->up = ON_STACK(old->up) ? old->up->up : old->up; /* forwarded */
        memcpy(e->slot, old->slot, (size_t)n * sizeof(nx_value));
        old->up = e; /* the forwarding address */
        p += bytes;
    }
    if (ON_STACK(env)) {
        env = env->up;
    } else {
        nx_env *e = env;
        while (!ON_STACK(e->up)) e = e->up;
        e->up = e->up->up;
        NX_GC_BARRIER(e); /* an old scope now points at a young environment */
    }
#undef ON_STACK
    vm->envs_sp = lo;
    f->flags &= (uint8_t)~NX_FRAME_STACK_ENV;
    /* A lambda whose calls mostly capture their environment (a body that
     * makes an attribute set of thunks, say) gets it on the heap from
     * then on: moving costs more than allocating there at once.  Decided
     * when 8 or more of its calls have captured and they are over half of
     * its calls so far; never undone. */
    nx_lambda_code *lc = nx_code_lambda(f->code);
    if (++lc->ncaptured >= 8 && 2 * (uint64_t)lc->ncaptured > lc->ncalls) lc->heap_env = true;
    f->env = env;
    return env;
}

/* Enters closure fn with argument arg: a new environment and a CALL frame
 * whose stack starts at base (the caller's state is saved already).  False
 * (error set) when the call depth limit is reached. */
static inline __attribute__((always_inline)) bool enter_closure(nx_vm *vm, nx_value fn, nx_value arg, nx_value *base)
{
    nx_closure *c = (nx_closure *)nx_obj_of(fn);
    nx_code *code = c->code;
    c->h.flags = 0;
    vm->sp = base;
    nx_frame *f = next_frame(vm);
    if (!f) return false;
    nx_env *e;
    nx_lambda_code *lc = nx_code_lambda(code);
    size_t bytes = sizeof(nx_env) + (size_t)lc->nslots * sizeof(nx_value);
    if (!lc->heap_env && NX_LIKELY((size_t)(vm->envs_limit - vm->envs_sp) >= bytes)) {
        /* The environment lives on the environment stack until the frame
         * returns, or until something captures it (capture_envs). */
        e = (nx_env *)vm->envs_sp;
        f->env_mark = vm->envs_sp;
        vm->envs_sp += bytes;
        nx_init_env(e, lc->nslots, c->env);
        f->flags = NX_FRAME_STACK_ENV;
    } else {
        e = nx_alloc_env(lc->nslots, c->env);
        f->flags = 0;
    }
    e->slot[0] = arg;
    nx_count.calls++;
    lc->ncalls++;
    publish_call(vm, f, code, e, base);
    return true;
}

#ifdef NX_DEBUG
/* Debug builds: when control is back at a HALT frame, every environment
 * pushed on the environment stack since the frame was pushed is popped. */
static void check_envs(const nx_vm *vm, const nx_frame *halt)
{
    if (vm->envs_sp != halt->env_mark) {
        fprintf(stderr, "nixe: internal error: %td bytes left on the environment stack\n",
                vm->envs_sp - halt->env_mark);
        abort();
    }
}
#endif

/* Applies fn, a lambda `x: y: body` (nx_is_curried2), to a and b: both
 * environments are made and the inner body is entered at once, in one CALL
 * frame whose stack starts at base, without the intermediate closure.  If
 * the inner body makes no closures or thunks, neither environment can be
 * captured and both go on the environment stack.  False (error set) when
 * the call depth limit is reached. */
static inline __attribute__((always_inline)) bool enter_curried2(nx_vm *vm, nx_value fn, nx_value a, nx_value b, nx_value *base)
{
    nx_closure *c = (nx_closure *)nx_obj_of(fn);
    nx_code *outer = c->code;
    nx_code *inner = outer->children[rd32(outer->bc + 1) & 0x7fffffffu];
    c->h.flags = 0;
    vm->sp = base;
    nx_frame *f = next_frame(vm);
    if (!f) return false;
    nx_env *e1, *e2;
    nx_lambda_code *lo = nx_code_lambda(outer), *li = nx_code_lambda(inner);
    size_t b1 = sizeof(nx_env) + (size_t)lo->nslots * sizeof(nx_value);
    size_t b2 = sizeof(nx_env) + (size_t)li->nslots * sizeof(nx_value);
    if (!li->heap_env && NX_LIKELY((size_t)(vm->envs_limit - vm->envs_sp) >= b1 + b2)) {
        e1 = stack_env(vm->envs_sp, lo->nslots, c->env, a);
        e2 = stack_env(vm->envs_sp + b1, li->nslots, e1, b);
        f->env_mark = vm->envs_sp;
        vm->envs_sp += b1 + b2;
        f->flags = NX_FRAME_STACK_ENV;
    } else {
        e1 = nx_alloc_env(lo->nslots, c->env);
        e2 = nx_alloc_env(li->nslots, e1);
        e1->slot[0] = a;
        e2->slot[0] = b;
        f->flags = 0;
    }
    nx_count.calls += 2;
    nx_count.avoided++; /* the intermediate closure */
    lo->ncalls++;
    li->ncalls++;
    publish_call(vm, f, inner, e2, base);
    return true;
}

/* Calls builtin b whose arguments are at base[0 .. arity-1]: a native
 * frame whose slots are the arguments followed by the builtin's state
 * slots (the caller's state is saved already).  False (error set) when the
 * call depth limit is reached. */
static inline bool enter_builtin(nx_vm *vm, const nx_builtin *b, nx_value *base)
{
    for (uint32_t i = b->arity; i < (uint32_t)b->arity + b->nslots; i++) base[i] = NX_NULL;
    vm->sp = base + b->arity + b->nslots;
    nx_frame *f = next_frame(vm);
    if (!f) return false;
    nx_count.primop_calls++;
    if (NX_UNLIKELY(nx_count_calls)) nx_count_primop(b);
    f->kind = NX_FRAME_NATIVE;
    f->code = &nx_native_code;
    f->env = NULL;
    f->pc = nx_native_code.bc;
    f->base = base;
    f->builtin = b;
    f->state = 0;
    f->flags = 0;
    NX_PUBLISH_FRAME(vm, f);
    nx_gc_safepoint(vm);
    return true;
}

/* Pushes a CALL frame running the trampoline code c on the stack from
 * base up (the caller's state is saved already).  False (error set) when
 * the call depth limit is reached. */
static bool push_trampoline(nx_vm *vm, nx_code *c, nx_value *base)
{
    nx_frame *f = next_frame(vm);
    if (!f) return false;
    f->kind = NX_FRAME_CALL;
    f->code = c;
    f->env = NULL;
    f->pc = c->bc;
    f->base = base;
    f->flags = 0;
    f->builtin = NULL;
    NX_PUBLISH_FRAME(vm, f);
    return true;
}

/* nx_push_force, and when the thunk is an application of a lambda
 * (`f x`, NX_THUNK_APP), the call too, as its frame's APPLY_THUNK and CALL
 * would: the thunk's frame then waits at its RETURN (which RETURN of the
 * callee skips: see do_return).  One safepoint, after both frames. */
static inline __attribute__((always_inline)) bool push_force(nx_vm *vm, nx_value v)
{
    nx_thunk *t = (nx_thunk *)nx_obj_of(v);
    if (t->h.aux == NX_THUNK_APP) {
        nx_value fn = nx_deref(t->a.fn);
        if (nx_is_type(fn, NX_OBJ_CLOSURE)) {
            nx_frame *f = next_frame(vm);
            if (!f) return false;
            f->kind = NX_FRAME_THUNK;
            f->flags = NX_THUNK_APP; /* restored on error */
            f->thunk = v;
            f->base = vm->sp;
            f->builtin = NULL;
            f->state = 0;
            f->pending = 0;
            f->code = &nx_apply_code;
            f->env = NULL;
            f->pc = NX_APPLY_WAIT;
            NX_PUBLISH_FRAME(vm, f);
            t->h.aux = NX_THUNK_BLACKHOLE;
            return enter_closure(vm, fn, t->b.arg, vm->sp);
        }
    }
    return nx_push_force(vm, v);
}

/* The static "trampoline" code a builtin's call request runs in: the call
 * is a real CALL instruction (re-executable) whose result RETURNs to the
 * builtin's frame. */
static uint8_t call_bc[] = { NX_OP_CALL, NX_OP_RETURN };
static nx_code call_code = { .bc = call_bc, .len = 2, .kind = NX_CODE_THUNK };
/* CALL2's general case, (f a) b, runs in a trampoline frame whose stack
 * holds b, f, a. */
static uint8_t call2_bc[] = { NX_OP_CALL, NX_OP_SWAP, NX_OP_CALL, NX_OP_RETURN };
nx_code nx_call2_code = { .bc = call2_bc, .len = 4, .kind = NX_CODE_THUNK };
/* A functor call f x, (f.__functor f) x, runs in the same code, in a
 * trampoline frame of its own the unwinder recognises (stack: x,
 * f.__functor, f). */
nx_code nx_functor_code = { .bc = call2_bc, .len = 4, .kind = NX_CODE_THUNK };

static void suggest_attr(nx_vm *vm, nx_attrs *a, nx_sym want)
{
    const char **names = nx_xmalloc((a->h.aux + 1) * sizeof *names);
    for (uint32_t i = 0; i < a->h.aux; i++) names[i] = nx_sym_str(a->a[i].name);
    nx_error_suggest(&vm->err, nx_sym_str(want), names, a->h.aux);
    free(names);
}

/* n nested `with`s over unevaluated sets: the first lookup through them
 * forces the sets one by one, innermost first, and each force re-executes
 * the instruction (FORCE_RETRY).  Searching the scopes already searched
 * again on each retry made that n^2/2 searches; instead the lookup records
 * where it stands before forcing a set past its second scope, and the
 * retry, after missing in its first scope again (sets do not change once
 * evaluated), resumes after the last scope searched.  The frame waits
 * for the set until the retry, so a record is on top of vm->wr when its
 * retry runs; one whose frame an error unwinds is dropped (drop_with_resume).
 * When the record cannot be allocated nothing is recorded: the retry
 * searches from the first scope, as it would without records. */
static void push_with_resume(nx_vm *vm, const nx_frame *fp, const uint8_t *ip, nx_env *first, nx_env *last, uint32_t k)
{
    if (vm->wr_n == vm->wr_cap) {
        uint32_t cap = vm->wr_cap ? 2 * vm->wr_cap : 16;
        nx_with_resume *wr = realloc(vm->wr, cap * sizeof *wr);
        if (!wr) return;
        vm->wr = wr;
        vm->wr_cap = cap;
    }
    vm->wr[vm->wr_n++] = (nx_with_resume){ fp, ip, first, last, k };
}

/* The scope after which the retry of the lookup at ip in frame fp, whose
 * first with scope is first, resumes (and its cache count in *k), or NULL
 * when none is recorded. */
static nx_env *take_with_resume(nx_vm *vm, const nx_frame *fp, const uint8_t *ip, const nx_env *first, uint32_t *k)
{
    const nx_with_resume *r = &vm->wr[vm->wr_n - 1];
    if (r->fp != fp || r->ip != ip || r->first != first) return NULL;
    vm->wr_n--;
    *k = r->k;
    return r->last;
}

/* Drops the records of the frames above fp, which an error unwound. */
static void drop_with_resume(nx_vm *vm, const nx_frame *fp)
{
    while (vm->wr_n && vm->wr[vm->wr_n - 1].fp > fp) vm->wr_n--;
}

bool nx_exec(nx_vm *vm)
{
    nx_frame *fp;
    const uint8_t *pc, *ip;
    nx_value *sp;
    nx_env *env;
    nx_code *code;
    nx_value retval;

#define SAVE() (fp->pc = pc, vm->sp = sp)
#define LOAD() (fp = vm->fp, pc = fp->pc, sp = vm->sp, env = fp->env, code = fp->code)
/* Before env is captured (stored in a thunk or closure): a frame's
 * environments on the environment stack move to the heap.  Only CALL
 * frames have NX_FRAME_STACK_ENV (a THUNK frame's flags are 0 or 1). */
#define CAPTURE() (NX_UNLIKELY(fp->flags & NX_FRAME_STACK_ENV) ? (void)(env = capture_envs(vm, fp, env)) : (void)0)
#define ERROR_AT_HERE(...) do { SAVE(); nx_vm_error(vm, nx_vm_pos(vm), __VA_ARGS__); goto error; } while (0)
#define FORCE_RETRY(v)                                                        \
    do {                                                                      \
        fp->pc = ip + 1; /* errors point at this instruction */              \
        vm->sp = sp;                                                          \
        if (!push_force(vm, (v))) goto error;                                 \
        fp->pc = ip;                                                          \
        LOAD();                                                               \
        DISPATCH();                                                           \
    } while (0)

    /* FORCE_RETRY of a value the instruction reached through a name it
     * computed (a `with` variable, `a.${n}`): the thunk's frame keeps the
     * name for the profiler's label (nx_frame.pending, read by
     * profiler/sample.c), stored after the push (a sample in between sees
     * no name). */
#define FORCE_RETRY_AS(v, name)                                               \
    do {                                                                      \
        fp->pc = ip + 1;                                                      \
        vm->sp = sp;                                                          \
        if (!push_force(vm, (v))) goto error;                                 \
        fp[1].pending = (name);                                               \
        fp->pc = ip;                                                          \
        LOAD();                                                               \
        DISPATCH();                                                           \
    } while (0)

    /* Debug builds check every handler that completes without changing
     * frames against the stack effect opcodes.def declares. */
#ifdef NX_DEBUG
    const nx_value *dbg_sp = NULL;
    const nx_frame *dbg_fp = NULL;
    int dbg_op = -1;
#define DBG_ENTER(op) (dbg_sp = sp, dbg_fp = fp, dbg_op = (op))
/* A handler that also executes the next instruction (a fused pair) checks
 * the pair's combined effect. */
#define DBG_FUSED(op2) (dbg_sp += nx_opinfo_table[op2].push - nx_opinfo_table[op2].pop)
/* A handler that replaced the top frame by a new one in the same slot
 * (RETURN's foldl' loop): nothing to check against its own effect. */
#define DBG_NEW_FRAME() (dbg_op = -1)
#define DBG_CHECK()                                                           \
    do {                                                                      \
        if (dbg_op >= 0 && fp == dbg_fp) {                                    \
            const nx_opinfo *in_ = &nx_opinfo_table[dbg_op];                  \
            if (in_->pop >= 0 && in_->push >= 0 && sp - dbg_sp != in_->push - in_->pop) { \
                fprintf(stderr, "nixe: internal error: %s moved the stack by %d, opcodes.def says %d\n", \
                        in_->name, (int)(sp - dbg_sp), in_->push - in_->pop); \
                abort();                                                      \
            }                                                                 \
        }                                                                     \
    } while (0)
#else
#define DBG_ENTER(op) ((void)0)
#define DBG_FUSED(op2) ((void)0)
#define DBG_NEW_FRAME() ((void)0)
#define DBG_CHECK() ((void)0)
#endif

/* v = the top of the stack, forced; it must be a Boolean. */
#define TOP_BOOL(v)                                                           \
    do {                                                                      \
        (v) = nx_deref(sp[-1]);                                               \
        if (nx_needs_force(v)) FORCE_RETRY(v);                                \
        if ((v) != NX_TRUE && (v) != NX_FALSE) {                              \
            SAVE();                                                           \
            nx_type_error(vm, (v), "a Boolean");                              \
            goto error;                                                       \
        }                                                                     \
    } while (0)

#ifdef NX_COMPUTED_GOTO
    static void *dispatch[256];
    if (NX_UNLIKELY(!dispatch[0])) {
        for (int i = 0; i < 256; i++) dispatch[i] = &&L_BAD;
#define OP(name, fmt, pop, push, flags) dispatch[NX_OP_##name] = &&L_##name;
#include "opcodes.def"
    }
    /* The call tracer's exit hook costs RETURN nothing when it is off. */
    dispatch[NX_OP_RETURN] = NX_UNLIKELY(nx_calltrace_on) ? &&L_RETURN_TRACED : &&L_RETURN;
#define DISPATCH() do { DBG_CHECK(); goto *dispatch[*(ip = pc++)]; } while (0)
/* DISPATCH when the next instruction is known to be op: a direct jump. */
#define DISPATCH_KNOWN(op) do { DBG_CHECK(); ip = pc++; goto L_##op; } while (0)
#define HANDLER(name, fmt)                                                    \
    L_##name:;                                                                \
    _Static_assert((int)NX_OPFMT_##name == (int)NX_FMT_##fmt, "operand format of " #name); \
    DBG_ENTER(NX_OP_##name);
#define END_DISPATCH
#else
#define DISPATCH() do { DBG_CHECK(); goto top; } while (0)
#define DISPATCH_KNOWN(op) DISPATCH()
#define HANDLER(name, fmt)                                                    \
    case NX_OP_##name:;                                                       \
    _Static_assert((int)NX_OPFMT_##name == (int)NX_FMT_##fmt, "operand format of " #name); \
    DBG_ENTER(NX_OP_##name);
#endif

    LOAD();
#ifdef NX_COMPUTED_GOTO
    DISPATCH();
#else
top:
    switch (*(ip = pc++)) {
#endif

    HANDLER(HALT, NONE) {
        SAVE();
#ifdef NX_DEBUG
        check_envs(vm, fp);
#endif
        return true;
    }

    HANDLER(CONST, U32) {
        *sp++ = nx_code_consts(code)[rd32(pc)];
        pc += 4;
        DISPATCH();
    }

    HANDLER(POP, NONE) {
        sp--;
        DISPATCH();
    }

    HANDLER(VAR, LVL_IDX) {
        uint32_t lvl = rd32(pc), idx = rd32(pc + 4);
        nx_env *e = env;
        while (lvl--) e = e->up;
        nx_value v = nx_deref(e->slot[idx]);
        if (nx_needs_force(v)) FORCE_RETRY(v);
        e->slot[idx] = v;
        *sp++ = v;
        pc += 8;
        DISPATCH();
    }

    HANDLER(VAR0, U32) {
        uint32_t idx = rd32(pc);
        nx_value v = nx_deref(env->slot[idx]);
        if (nx_needs_force(v)) FORCE_RETRY(v);
        env->slot[idx] = v;
        *sp++ = v;
        pc += 4;
        DISPATCH();
    }

    HANDLER(VAR1, U32) {
        uint32_t idx = rd32(pc);
        nx_env *e = env->up;
        nx_value v = nx_deref(e->slot[idx]);
        if (nx_needs_force(v)) FORCE_RETRY(v);
        e->slot[idx] = v;
        *sp++ = v;
        pc += 4;
        DISPATCH();
    }

    HANDLER(VAR2, U32) {
        uint32_t idx = rd32(pc);
        nx_env *e = env->up->up;
        nx_value v = nx_deref(e->slot[idx]);
        if (nx_needs_force(v)) FORCE_RETRY(v);
        e->slot[idx] = v;
        *sp++ = v;
        pc += 4;
        DISPATCH();
    }

    HANDLER(VAR_LAZY, LVL_IDX) {
        uint32_t lvl = rd32(pc), idx = rd32(pc + 4);
        nx_env *e = env;
        while (lvl--) e = e->up;
        nx_value v = nx_deref(e->slot[idx]);
        nx_count.avoided += !nx_needs_force(v);
        *sp++ = v;
        pc += 8;
        DISPATCH();
    }

    HANDLER(SIBLING, U32_U32) {
        nx_value v = env->slot[rd32(pc)];
        if (!v) CAPTURE();
        *sp++ = v ? nx_deref(v) : nx_mk_thunk(code->children[rd32(pc + 4)], env);
        pc += 8;
        DISPATCH();
    }

    HANDLER(GLOBAL, U32) {
        *sp++ = nx_global_value(rd32(pc));
        pc += 4;
        DISPATCH();
    }

    HANDLER(WITH_VAR, SYM_LVL_IC) {
        goto with_var;
    }
    HANDLER(WITH_VAR_LAZY, SYM_LVL_IC) {
    with_var:;
        nx_sym sym = rd32(pc);
        uint32_t lvl = rd32(pc + 4);
        nx_count.lookups++;
        nx_env *e = env;
        while (lvl--) e = e->up;
        /* k: the number of with scopes looked in so far, whose lookup
         * cache is the k-th 16-bit operand (the sets of a with chain are
         * mostly the same ones every time: lib, pkgs, types). */
        uint32_t k = 0;
        nx_env *first = NULL, *last = NULL; /* with scopes searched (push_with_resume) */
        for (; e; e = e->up) {
            if (!(e->h.flags & NX_ENV_WITH)) continue;
            nx_value a = nx_deref(e->slot[0]);
            if (nx_needs_force(a)) {
                if (last != first) push_with_resume(vm, fp, ip, first, last, k);
                FORCE_RETRY(a);
            }
            e->slot[0] = a;
            if (!nx_is_attrs(a)) {
                SAVE();
                nx_type_error(vm, a, "a set");
                vm->err.pos = nx_pos_get((uint32_t)nx_smallint(e->slot[1]));
                goto error;
            }
            nx_attr *at;
            if (k < NX_WITH_CACHES) {
                uint16_t c16;
                memcpy(&c16, pc + 8 + 2 * k, 2);
                uint32_t ic = c16;
                at = nx_attrs_find_ic(a, sym, &ic);
                if (ic != c16) {
                    c16 = ic > UINT16_MAX ? UINT16_MAX : (uint16_t)ic; /* a wrong position is only a miss */
                    memcpy((uint8_t *)pc + 8 + 2 * k, &c16, 2);
                }
                k++;
            } else {
                at = nx_attrs_find(a, sym);
            }
            if (!at) {
                if (!first) {
                    first = e;
                    nx_env *r;
                    if (NX_UNLIKELY(vm->wr_n) && (r = take_with_resume(vm, fp, ip, e, &k))) e = r;
                }
                last = e;
                continue;
            }
            nx_value v = nx_deref(at->value);
            if (*ip == NX_OP_WITH_VAR && nx_needs_force(v)) FORCE_RETRY_AS(v, sym);
            *sp++ = v;
            pc += 8 + 2 * NX_WITH_CACHES;
            DISPATCH();
        }
        {
            nx_buf b = { 0 };
            nx_print_identifier(&b, nx_sym_str(sym), nx_sym_len(sym));
            SAVE();
            nx_vm_error(vm, nx_vm_pos(vm), "undefined variable '%s'", b.data);
            nx_buf_free(&b);
            goto error;
        }
    }

    HANDLER(THUNK, U32) {
        CAPTURE();
        *sp++ = nx_mk_thunk(code->children[rd32(pc)], env);
        pc += 4;
        DISPATCH();
    }

    HANDLER(ARG_ADDK, SPEC) {
        uint32_t lvl = rd32(pc), idx = rd32(pc + 4);
        nx_env *e = env;
        while (lvl--) e = e->up;
        nx_value x = nx_deref(e->slot[idx]);
        if (nx_is_smallint(x)) {
            /* Evaluating now cannot fail or diverge: no thunk needed. */
            int64_t r = nx_smallint(x) + (int32_t)rd32(pc + 8);
            *sp++ = nx_mk_int(r);
            nx_count.avoided++;
        } else {
            CAPTURE();
            *sp++ = nx_mk_thunk(code->children[rd32(pc + 12)], env);
        }
        pc += 16;
        DISPATCH();
    }

    HANDLER(CLOSURE, U32) {
        uint32_t k = rd32(pc);
        CAPTURE();
        nx_value c = nx_mk_closure(code->children[k & 0x7fffffffu], env);
        if (k >> 31) nx_obj_of(c)->flags = NX_CLOSURE_LAZY, nx_count.avoided++;
        *sp++ = c;
        pc += 4;
        DISPATCH();
    }

    HANDLER(CALL2, NONE) {
        nx_value fn = nx_deref(sp[-3]);
        if (nx_needs_force(fn)) FORCE_RETRY(fn);
        sp[-3] = fn;
        if (nx_is_curried2(fn)) {
            SAVE();
            if (!enter_curried2(vm, fn, sp[-2], sp[-1], sp - 3)) goto error;
            LOAD();
            DISPATCH();
        }
        if (nx_objtype_of(fn) == NX_OBJ_PRIMOP && ((nx_primop *)nx_obj_of(fn))->b->arity == 2) {
            const nx_builtin *b = ((nx_primop *)nx_obj_of(fn))->b;
            nx_value *base = sp - 3;
            base[0] = sp[-2];
            base[1] = sp[-1];
            SAVE();
            if (!enter_builtin(vm, b, base)) goto error;
            LOAD();
            DISPATCH();
        }
        /* Anything else is (f a) b, in a trampoline frame. */
        {
            nx_value a = sp[-2], b = sp[-1];
            sp[-3] = b;
            sp[-2] = fn;
            sp[-1] = a;
            SAVE();
            if (!push_trampoline(vm, &nx_call2_code, sp - 3)) goto error;
            LOAD();
            DISPATCH();
        }
    }

    HANDLER(SWAP, NONE) {
        nx_value t = sp[-1];
        sp[-1] = sp[-2];
        sp[-2] = t;
        DISPATCH();
    }

    HANDLER(FORCE, NONE) {
        nx_value v = nx_deref(sp[-1]);
        if (nx_needs_force(v)) FORCE_RETRY(v);
        sp[-1] = v;
        DISPATCH();
    }

    HANDLER(CALL, NONE) {
        nx_value fn = nx_deref(sp[-2]);
        if (nx_needs_force(fn)) FORCE_RETRY(fn);
        sp[-2] = fn;
        switch (nx_objtype_of(fn)) {
        case NX_OBJ_CLOSURE:
            SAVE();
            if (!enter_closure(vm, fn, sp[-1], sp - 2)) goto error;
            LOAD();
            DISPATCH();
        case NX_OBJ_PRIMOP:
        case NX_OBJ_PAPP: {
            const nx_builtin *b;
            uint32_t have;
            nx_value *args;
            if (nx_objtype_of(fn) == NX_OBJ_PRIMOP) {
                b = ((nx_primop *)nx_obj_of(fn))->b;
                have = 0;
                args = NULL;
            } else {
                nx_papp *p = (nx_papp *)nx_obj_of(fn);
                b = p->b;
                have = p->h.aux;
                args = p->args;
            }
            if (have + 1 < b->arity) {
                nx_papp *p = nx_heap_alloc(sizeof(nx_papp) + (have + 1) * sizeof(nx_value));
                p->h = (nx_obj){ NX_OBJ_PAPP, 0, 0, have + 1 };
                p->b = b;
                if (have) memcpy(p->args, args, have * sizeof(nx_value));
                p->args[have] = sp[-1];
                sp -= 1;
                sp[-1] = nx_from_obj(p);
                DISPATCH();
            }
            /* Saturated: a native frame whose slots are the arguments
             * followed by the builtin's state slots. */
            nx_value last = sp[-1];
            nx_value *base = sp - 2;
            if (have) memcpy(base, args, have * sizeof(nx_value));
            base[have] = last;
            SAVE();
            if (!enter_builtin(vm, b, base)) goto error;
            LOAD();
            DISPATCH();
        }
        case NX_OBJ_ATTRS: {
            static nx_sym s_functor;
            if (!s_functor) s_functor = nx_sym_intern_cstr("__functor");
            nx_attr *a = nx_attrs_find(fn, s_functor);
            if (a) {
                /* f x with f.__functor is (f.__functor f) x, called at the
                 * position of the __functor attribute: a trampoline frame
                 * of its own (nx_functor_code, the attribute's position in
                 * its `pending`) so that the unwinder can add "while
                 * calling a functor" for any error under it (trace.c). */
                nx_value x = sp[-1];
                sp[-2] = x;
                sp[-1] = a->value;
                *sp++ = fn;
                SAVE();
                if (!push_trampoline(vm, &nx_functor_code, sp - 3)) goto error;
                vm->fp->pending = a->pos;
                LOAD();
                nx_value fv = nx_deref(a->value);
                if (!nx_needs_force(fv) && !nx_is_function(fv) && !nx_is_attrs(fv)) {
                    nx_buf b = { 0 };
                    nx_show_value_short(&b, fv);
                    SAVE();
                    nx_vm_error(vm, a->pos ? nx_pos_get(a->pos) : nx_vm_pos(vm),
                                "attempt to call something which is not a function but %s: %s", nx_type_phrase(fv), b.data);
                    nx_buf_free(&b);
                    goto error;
                }
                DISPATCH();
            }
        }
            /* fall through */
        default: {
            nx_buf b = { 0 };
            nx_show_value_short(&b, fn);
            SAVE();
            nx_vm_error(vm, nx_vm_pos(vm), "attempt to call something which is not a function but %s: %s",
                        nx_type_phrase(fn), b.data);
            nx_buf_free(&b);
            goto error;
        }
        }
    }

    HANDLER(BIND_FORMALS, NONE) {
        nx_value arg = nx_deref(env->slot[0]);
        if (nx_needs_force(arg)) FORCE_RETRY(arg);
        env->slot[0] = arg;
        if (!nx_is_attrs(arg)) {
            SAVE();
            nx_type_error(vm, arg, "a set");
            goto error;
        }
        uint32_t used = 0;
        const nx_lambda_code *lc = nx_code_lambda(code);
        for (uint32_t i = 0; i < lc->nformals; i++) {
            nx_attr *a = nx_attrs_find(arg, lc->formals[i].name);
            if (a) {
                env->slot[1 + i] = a->value;
                used++;
            } else if (lc->formals[i].alias_level >= 0) {
                env->slot[1 + i] = NX_NOVALUE; /* below: nx_bind_aliases */
            } else if (lc->formals[i].def >= 0) {
                CAPTURE();
                env->slot[1 + i] = nx_mk_thunk(code->children[lc->formals[i].def], env);
            } else if (lc->formals[i].constant) {
                env->slot[1 + i] = lc->formals[i].constant;
            } else {
                SAVE();
                nx_vm_error(vm, code->pos, "function '%s' called without required argument '%s'",
                            lc->name ? nx_sym_str(lc->name) : "anonymous lambda",
                            nx_sym_str(lc->formals[i].name));
                goto error;
            }
        }
        if (lc->has_aliases) nx_bind_aliases(code, env);
        if (!lc->ellipsis && used < nx_attrs_count(arg)) {
            nx_attrs *as = nx_attrsp(arg);
            for (uint32_t j = 0; j < as->h.aux; j++) {
                bool known = false;
                for (uint32_t i = 0; i < lc->nformals && !known; i++)
                    known = lc->formals[i].name == as->a[j].name;
                if (!known) {
                    SAVE();
                    nx_vm_error(vm, code->pos, "function '%s' called with unexpected argument '%s'",
                                lc->name ? nx_sym_str(lc->name) : "anonymous lambda",
                                nx_sym_str(as->a[j].name));
                    const char **names = nx_xmalloc((lc->nformals + 1) * sizeof *names);
                    for (uint32_t i = 0; i < lc->nformals; i++) names[i] = nx_sym_str(lc->formals[i].name);
                    nx_error_suggest(&vm->err, nx_sym_str(as->a[j].name), names, lc->nformals);
                    free(names);
                    goto error;
                }
            }
        }
        DISPATCH();
    }

    HANDLER(RETURN, NONE) {
        retval = sp[-1];
#ifndef NX_COMPUTED_GOTO
        NX_CALLTRACE_EXIT(fp); /* with computed goto: L_RETURN_TRACED */
#endif
    do_return:
        if (fp->kind == NX_FRAME_THUNK) {
            nx_thunk *t = (nx_thunk *)nx_obj_of(fp->thunk);
            NX_GC_BARRIER_VALUE(t, retval);
            t->a.value = retval;
            t->b.env = NULL;
            t->h.aux = NX_THUNK_DONE;
            vm->sp = fp->base;
            vm->fp--;
            LOAD();
            DISPATCH();
        }
        vm->sp = fp->base;
        if (fp->flags & NX_FRAME_STACK_ENV) vm->envs_sp = fp->env_mark;
        fp--;
        if (fp->kind == NX_FRAME_THUNK && fp->pc == NX_APPLY_WAIT) {
            /* The thunk frame below only waits to RETURN this value (an
             * application thunk, push_force): return from it too. */
            NX_CALLTRACE_EXIT(fp);
            vm->fp = fp;
            goto do_return;
        }
        vm->fp = fp;
        if (fp->kind == NX_FRAME_NATIVE) {
            /* Back in a builtin that made a call (foldl', map, sort …). */
            if (fp->flags & NX_FRAME_FOLD2) {
                /* foldl' with a curried operator: the result is the new
                 * accumulator, and the next element is applied here,
                 * without stepping the builtin (vm/vm.h).  The callee's
                 * stack starts where the returning frame's did. */
                nx_value *a = fp->base;
                nx_list *l = nx_listp(a[NX_FOLD2_LIST]);
                int64_t i = nx_smallint(a[NX_FOLD2_INDEX]) + 1;
                if (NX_LIKELY(i < (int64_t)l->h.aux)) {
                    a[NX_FOLD2_ACC] = retval;
                    a[NX_FOLD2_INDEX] = nx_mk_smallint(i);
                    if (!enter_curried2(vm, a[NX_FOLD2_OP], retval, l->v[i], a + NX_FOLD2_TOP)) goto error;
                    LOAD();
                    DBG_NEW_FRAME();
                    DISPATCH();
                }
            }
            LOAD();
            *sp++ = retval;
            DISPATCH_KNOWN(NATIVE);
        }
        LOAD();
        *sp++ = retval;
        DISPATCH();
    }

    HANDLER(JUMP, I32) {
        int32_t off = (int32_t)rd32(pc);
        pc += 4 + off;
        DISPATCH();
    }

    HANDLER(JUMP_IF_FALSE, I32) {
        nx_value v;
        TOP_BOOL(v);
        sp--;
        pc += 4 + (v == NX_FALSE ? (int32_t)rd32(pc) : 0);
        DISPATCH();
    }

    HANDLER(JUMP_IF_TRUE, I32) {
        nx_value v;
        TOP_BOOL(v);
        sp--;
        pc += 4 + (v == NX_TRUE ? (int32_t)rd32(pc) : 0);
        DISPATCH();
    }

    HANDLER(BOOL, NONE) {
        nx_value v;
        TOP_BOOL(v);
        sp[-1] = v;
        DISPATCH();
    }

    HANDLER(NOT, NONE) {
        nx_value v;
        TOP_BOOL(v);
        sp[-1] = v == NX_TRUE ? NX_FALSE : NX_TRUE;
        DISPATCH();
    }

    HANDLER(ASSERT, U32_U32) {
        nx_value v;
        TOP_BOOL(v);
        if (v == NX_FALSE) {
            SAVE();
            nx_buf b = { 0 };
            nx_print_span(&b, code->pos.src, rd32(pc), rd32(pc + 4));
            nx_vm_error(vm, nx_vm_pos(vm), "assertion '%s' failed", b.data);
            nx_buf_free(&b);
            vm->catchable = true;
            goto error;
        }
        sp--;
        pc += 8;
        DISPATCH();
    }

    HANDLER(ASSERT_TEXT, U32_U32) {
        SAVE();
        nx_buf b = { 0 };
        nx_print_span(&b, code->pos.src, rd32(pc), rd32(pc + 4));
        nx_value s = nx_mk_string(b.data, b.len, NULL);
        nx_buf_free(&b);
        *sp++ = s;
        pc += 8;
        DISPATCH();
    }

    HANDLER(PUSH_ENV, U32) {
        uint32_t n = rd32(pc);
        env = nx_alloc_env(n, env);
        for (uint32_t i = 0; i < n; i++) env->slot[i] = NX_NOVALUE;
        fp->env = env;
        pc += 4;
        DISPATCH();
    }

    HANDLER(STORE, U32) {
        env->slot[rd32(pc)] = *--sp;
        pc += 4;
        DISPATCH();
    }

    HANDLER(POP_ENV, NONE) {
        env = env->up;
        fp->env = env;
        DISPATCH();
    }

    HANDLER(PUSH_WITH, U32) {
        /* Slot 0: the set (lazy); slot 1: the with's position id. */
        nx_env *e = nx_alloc_env(2, env);
        e->h.flags = NX_ENV_WITH;
        e->slot[0] = *--sp;
        e->slot[1] = nx_mk_smallint(rd32(pc));
        pc += 4;
        env = e;
        fp->env = env;
        DISPATCH();
    }

    HANDLER(LIST, U32) {
        uint32_t n = rd32(pc);
        pc += 4;
        if (n == 0) {
            *sp++ = nx_empty_list;
            DISPATCH();
        }
        nx_list *l = nx_alloc_list(n);
        sp -= n;
        memcpy(l->v, sp, n * sizeof(nx_value));
        *sp++ = nx_from_obj(l);
        DISPATCH();
    }

    HANDLER(ATTRS, U32) {
        nx_keyset *ks = &nx_code_keysets(code)[rd32(pc)];
        pc += 4;
        uint32_t n = ks->n;
        if (n == 0) {
            *sp++ = nx_empty_attrs;
            DISPATCH();
        }
        nx_attrs *a = nx_alloc_attrs(n);
        sp -= n;
        for (uint32_t i = 0; i < n; i++) a->a[i] = (nx_attr){ ks->names[i], ks->pos[i], sp[i] };
        *sp++ = nx_from_obj(a);
        DISPATCH();
    }

    HANDLER(ATTRS_REC, U32) {
        nx_keyset *ks = &nx_code_keysets(code)[rd32(pc)];
        pc += 4;
        uint32_t n = ks->n;
        nx_attrs *a = nx_alloc_attrs(n);
        for (uint32_t i = 0; i < n; i++) a->a[i] = (nx_attr){ ks->names[i], ks->pos[i], env->slot[i] };
        nx_attrs_sort(a);
        *sp++ = n ? nx_from_obj(a) : nx_empty_attrs;
        DISPATCH();
    }

    HANDLER(ATTR_DYN, U32) {
        nx_value name = nx_deref(sp[-2]);
        if (nx_needs_force(name)) FORCE_RETRY(name);
        if (name == NX_NULL) {
            sp -= 2;
            pc += 4;
            DISPATCH();
        }
        if (!nx_is_string(name)) {
            SAVE();
            nx_type_error(vm, name, "a string");
            goto error;
        }
        if (nx_str(name)->ctx) {
            SAVE();
            nx_string_ctx_error(vm, name);
            goto error;
        }
        nx_sym s = nx_sym_of_string(nx_str(name), nx_str(name)->s, nx_str_len(name), true);
        nx_attrs *old = nx_attrsp(sp[-3]);
        if (nx_attrs_get(old, s)) {
            nx_buf b = { 0 };
            nx_pos_format(&b, nx_pos_get(nx_attrs_get(old, s)->pos));
            SAVE();
            nx_vm_error(vm, nx_vm_pos(vm), "dynamic attribute '%s' already defined at %s", nx_sym_str(s), b.data);
            nx_buf_free(&b);
            goto error;
        }
        uint32_t n = old->h.aux;
        nx_attrs *a = nx_alloc_attrs(n + 1);
        uint32_t k = 0, i = 0;
        while (i < n && old->a[i].name < s) a->a[k++] = old->a[i++];
        a->a[k++] = (nx_attr){ s, rd32(pc), sp[-1] };
        while (i < n) a->a[k++] = old->a[i++];
        sp -= 2;
        sp[-1] = nx_from_obj(a);
        pc += 4;
        DISPATCH();
    }

    HANDLER(SELECT, SYM_IC) {
        nx_value a = nx_deref(sp[-1]);
        if (nx_needs_force(a)) FORCE_RETRY(a);
        nx_sym s = rd32(pc);
        if (!nx_is_attrs(a)) {
            SAVE();
            nx_type_error(vm, a, "a set");
            goto error;
        }
        /* Sets built by the same code share layouts (and nixpkgs is
         * selected from over and over), so the check of the cached
         * position usually replaces the binary search. */
        nx_attr *at = find_cached(a, s, pc + 4);
        if (!at) {
            nx_buf b = { 0 };
            nx_print_identifier(&b, nx_sym_str(s), nx_sym_len(s));
            SAVE();
            nx_vm_error(vm, nx_vm_pos(vm), "attribute '%s' missing", b.data);
            nx_buf_free(&b);
            suggest_attr(vm, nx_attrsp(a), s);
            goto error;
        }
        nx_value v = nx_deref(at->value);
        if (nx_needs_force(v)) FORCE_RETRY(v);
        at->value = v;
        sp[-1] = v;
        pc += 8;
        DISPATCH();
    }

    HANDLER(SELECT_OR, SYM_IC_I32) {
        nx_value a = nx_deref(sp[-1]);
        if (nx_needs_force(a)) FORCE_RETRY(a);
        nx_attr *at = nx_is_attrs(a) ? find_cached(a, rd32(pc), pc + 4) : NULL;
        if (!at) {
            sp--;
            pc += 12 + (int32_t)rd32(pc + 8);
            DISPATCH();
        }
        nx_value v = nx_deref(at->value);
        if (nx_needs_force(v)) FORCE_RETRY(v);
        at->value = v;
        sp[-1] = v;
        pc += 12;
        DISPATCH();
    }

    HANDLER(SELECT_DYN, NONE) {
        goto select_dyn;
    }
    HANDLER(SELECT_DYN_OR, I32) {
    select_dyn:;
        bool has_default = *ip == NX_OP_SELECT_DYN_OR;
        nx_value a = nx_deref(sp[-2]);
        if (nx_needs_force(a)) FORCE_RETRY(a);
        nx_value n = nx_deref(sp[-1]);
        if (nx_needs_force(n)) FORCE_RETRY(n);
        if (!nx_is_string(n)) {
            SAVE();
            nx_type_error(vm, n, "a string");
            goto error;
        }
        if (nx_str(n)->ctx) {
            SAVE();
            nx_string_ctx_error(vm, n);
            goto error;
        }
        nx_sym s = nx_sym_of_string(nx_str(n), nx_str(n)->s, nx_str_len(n), true);
        nx_attr *at = nx_is_attrs(a) ? nx_attrs_find(a, s) : NULL;
        if (!at) {
            if (has_default) {
                sp -= 2;
                pc += 4 + (int32_t)rd32(pc);
                DISPATCH();
            }
            SAVE();
            if (!nx_is_attrs(a)) nx_type_error(vm, a, "a set");
            else {
                nx_buf b = { 0 };
                nx_print_identifier(&b, nx_sym_str(s), nx_sym_len(s));
                nx_vm_error(vm, nx_vm_pos(vm), "attribute '%s' missing", b.data);
                nx_buf_free(&b);
            }
            goto error;
        }
        nx_value v = nx_deref(at->value);
        if (nx_needs_force(v)) FORCE_RETRY_AS(v, s);
        at->value = v;
        sp--;
        sp[-1] = v;
        if (has_default) pc += 4;
        DISPATCH();
    }

/* The end of HASATTR, HASATTR_DYN, EQ and NEQ, whose Boolean result is
 * r (their operands are popped, but for one slot): `if a ? b then` takes
 * the branch here (the jump's own Boolean check cannot fail). */
#define BOOL_RESULT(r)                                                        \
    do {                                                                      \
        if (*pc == NX_OP_JUMP_IF_FALSE) {                                     \
            DBG_FUSED(NX_OP_JUMP_IF_FALSE);                                   \
            sp--;                                                             \
            pc += 5 + ((r) ? 0 : (int32_t)rd32(pc + 1));                      \
            DISPATCH();                                                       \
        }                                                                     \
        sp[-1] = nx_bool(r);                                                  \
        DISPATCH();                                                           \
    } while (0)

    HANDLER(HASATTR, SYM_IC) {
        nx_value a = nx_deref(sp[-1]);
        if (nx_needs_force(a)) FORCE_RETRY(a);
        bool r = nx_is_attrs(a) && find_cached(a, rd32(pc), pc + 4);
        pc += 8;
        BOOL_RESULT(r);
    }

    HANDLER(HASATTR_DYN, NONE) {
        nx_value a = nx_deref(sp[-2]);
        if (nx_needs_force(a)) FORCE_RETRY(a);
        nx_value n = nx_deref(sp[-1]);
        if (nx_needs_force(n)) FORCE_RETRY(n);
        if (!nx_is_string(n)) {
            SAVE();
            nx_type_error(vm, n, "a string");
            goto error;
        }
        if (nx_str(n)->ctx) {
            SAVE();
            nx_string_ctx_error(vm, n);
            goto error;
        }
        nx_sym s = nx_sym_of_string(nx_str(n), nx_str(n)->s, nx_str_len(n), false);
        bool r = s && nx_is_attrs(a) && nx_attrs_find(a, s);
        sp--;
        BOOL_RESULT(r);
    }

/* `//`, `++` and `+` (CONCAT, below) also collect when a collection is
 * pending: a chain such as [1] ++ ([1] ++ …) or "a" + "a" + … pushes no
 * frame, so without this safepoint its intermediate results (quadratic in
 * the chain's length) all stay allocated until the next call (40,000
 * lists took 7 GB, 100,000 strings 5.6 GB).  The operands are on the
 * stack.  Not under the call tracer, whose hook is a pending collection
 * at every frame push. */
#define OP_SAFEPOINT()                                                        \
    do {                                                                      \
        if (NX_UNLIKELY(nx_gc_pending) && !nx_calltrace_on) nx_gc_collect(vm); \
    } while (0)
#define BINARY(NAME, EXPR)                                                    \
    HANDLER(NAME, NONE) {                                                     \
        nx_value a = nx_deref(sp[-2]);                                        \
        if (nx_needs_force(a)) FORCE_RETRY(a);                                \
        nx_value b = nx_deref(sp[-1]);                                        \
        if (nx_needs_force(b)) FORCE_RETRY(b);                                \
        nx_value r;                                                           \
        SAVE();                                                               \
        OP_SAFEPOINT();                                                       \
        if (!(EXPR)) goto error;                                              \
        sp--;                                                                 \
        sp[-1] = r;                                                           \
        DISPATCH();                                                           \
    }

    BINARY(UPDATE, nx_update(vm, a, b, &r))
    BINARY(CONCAT_LISTS, nx_concat_lists(vm, a, b, &r))

    HANDLER(CONCAT_LISTS_N, U32_U32) {
        uint32_t n = rd32(pc);
        nx_value *v = sp - n;
        for (uint32_t i = 0; i < n; i++) {
            nx_value x = nx_deref(v[i]);
            if (nx_needs_force(x)) FORCE_RETRY(x);
            v[i] = x;
        }
        nx_value r;
        SAVE();
        OP_SAFEPOINT();
        if (!nx_concat_list_chain(vm, v, n, nx_code_keysets(code)[rd32(pc + 4)].pos, &r)) goto error;
        sp -= n - 1;
        sp[-1] = r;
        pc += 8;
        DISPATCH();
    }
    BINARY(ADD, nx_arith(vm, NX_ARITH_ADD, a, b, &r))

/* An arithmetic operator with a fast path for two small integers whose
 * result (FAST, computed into r; false on overflow) is small too. */
#define ARITH_SMALL(NAME, KIND, FAST)                                         \
    HANDLER(NAME, NONE) {                                                     \
        nx_value a = sp[-2], b = sp[-1];                                      \
        int64_t x, y, r;                                                      \
        if (NX_LIKELY(nx_is_smallint(a) && nx_is_smallint(b)) &&              \
            (x = nx_smallint(a), y = nx_smallint(b), (FAST)) &&               \
            NX_LIKELY(r >= NX_SMALLINT_MIN && r <= NX_SMALLINT_MAX)) {        \
            sp--;                                                             \
            sp[-1] = nx_mk_smallint(r);                                       \
            DISPATCH();                                                       \
        }                                                                     \
        a = nx_deref(sp[-2]);                                                 \
        if (nx_needs_force(a)) FORCE_RETRY(a);                                \
        b = nx_deref(sp[-1]);                                                 \
        if (nx_needs_force(b)) FORCE_RETRY(b);                                \
        nx_value res;                                                         \
        SAVE();                                                               \
        if (!nx_arith(vm, KIND, a, b, &res)) goto error;                      \
        sp--;                                                                 \
        sp[-1] = res;                                                         \
        DISPATCH();                                                           \
    }

    ARITH_SMALL(SUB, NX_ARITH_SUB, (r = x - y, true))
    ARITH_SMALL(MUL, NX_ARITH_MUL, !__builtin_mul_overflow(x, y, &r))
    BINARY(DIV, nx_arith(vm, NX_ARITH_DIV, a, b, &r))

    HANDLER(LESS, NONE) {
        if (NX_LIKELY(nx_is_smallint(sp[-2]) && nx_is_smallint(sp[-1]))) {
            bool lt = nx_smallint(sp[-2]) < nx_smallint(sp[-1]);
            if (*pc == NX_OP_JUMP_IF_FALSE) {
                /* `if a < b then`: take the branch here (the jump's own
                 * Boolean check cannot fail). */
                DBG_FUSED(NX_OP_JUMP_IF_FALSE);
                sp -= 2;
                pc += 5 + (lt ? 0 : (int32_t)rd32(pc + 1));
                DISPATCH();
            }
            sp--;
            sp[-1] = nx_bool(lt);
            DISPATCH();
        }
        nx_value a = nx_deref(sp[-2]);
        if (nx_needs_force(a)) FORCE_RETRY(a);
        nx_value b = nx_deref(sp[-1]);
        if (nx_needs_force(b)) FORCE_RETRY(b);
        bool r, deep;
        SAVE();
        if (!nx_less(vm, a, b, &r, &deep)) goto error;
        if (deep) {
            nx_value pending = NX_NOVALUE;
            int c = nx_list_less(vm, a, b, &r, &pending);
            if (c < 0) FORCE_RETRY(pending);
            if (c == 0) goto error;
        }
        sp--;
        sp[-1] = nx_bool(r);
        DISPATCH();
    }

    HANDLER(EQ, NONE) {
        goto eq;
    }
    HANDLER(NEQ, NONE) {
    eq:;
        nx_value pending = NX_NOVALUE;
        int r = nx_deep_eq(sp[-2], sp[-1], &pending);
        if (r < 0) FORCE_RETRY(pending);
        if (*ip == NX_OP_NEQ) r = !r;
        sp--;
        BOOL_RESULT(r);
    }

    HANDLER(CONCAT, U32_U32) {
        uint32_t n = rd32(pc), force_string = rd32(pc + 4) & 1;
        if (n == 2 && !force_string && nx_is_smallint(sp[-2]) && nx_is_smallint(sp[-1])) {
            int64_t s2 = nx_smallint(sp[-2]) + nx_smallint(sp[-1]);
            if (s2 >= NX_SMALLINT_MIN && s2 <= NX_SMALLINT_MAX) {
                sp--;
                sp[-1] = nx_mk_smallint(s2);
                pc += 8;
                DISPATCH();
            }
        }
        const nx_keyset *partpos = &nx_code_keysets(code)[rd32(pc + 4) >> 1];
#define PART_ERROR(i) (vm->err.pos = nx_pos_get(partpos->pos[i]))
        nx_value *v = sp - n;
        for (uint32_t i = 0; i < n; i++) {
            nx_value x = nx_deref(v[i]);
            if (nx_needs_force(x)) FORCE_RETRY(x);
            v[i] = x;
        }
        nx_value first = v[0], r;
        SAVE();
        OP_SAFEPOINT(); /* defined above BINARY */
        if (!force_string && (nx_is_int(first) || nx_is_float(first))) {
            r = first;
            for (uint32_t i = 1; i < n; i++) {
                if (!(nx_is_int(v[i]) || nx_is_float(v[i]))) {
                    nx_vm_error(vm, nx_vm_pos(vm), "cannot add %s to %s", nx_type_phrase(v[i]), nx_type_phrase(r));
                    PART_ERROR(i);
                    goto error;
                }
                if (!nx_arith(vm, NX_ARITH_ADD, r, v[i], &r)) {
                    PART_ERROR(i);
                    goto error;
                }
            }
        } else if (nx_concat_plain_strings(v, n, &r)) {
            /* Only strings: one allocation, no buffer (vm/ops.c). */
        } else {
            bool is_path = nx_is_path(first) && !force_string;
            nx_buf b = { 0 };
            nx_ctxacc ctx = { 0 };
            for (uint32_t i = 0; i < n; i++) {
                nx_value pending = NX_NOVALUE;
                int c = nx_coerce_to_string(vm, &b, &ctx, v[i], is_path ? NX_COERCE_PATH_TEXT : 0, &pending);
                if (c == -2) v[i] = pending;
                if (c < 0) {
                    nx_buf_free(&b);
                    nx_ctx_free(&ctx);
                    FORCE_RETRY(pending);
                }
                if (c == 0) {
                    nx_buf_free(&b);
                    nx_ctx_free(&ctx);
                    PART_ERROR(i);
                    goto error;
                }
            }
            if (is_path && (ctx.n || ctx.single)) {
                nx_buf_free(&b);
                nx_ctx_free(&ctx);
                nx_vm_error(vm, nx_vm_pos(vm), "a string that refers to a store path cannot be appended to a path");
                goto error;
            }
            if (is_path) {
                char *canon = nx_xmalloc(b.len + 2);
                size_t len = nx_canon_path(canon, b.data ? b.data : "", b.len);
                r = nx_mk_path(canon, len);
                free(canon);
            } else {
                const nx_context *cx = nx_ctx_finish(&ctx);
                r = b.len || cx ? nx_mk_string(b.data ? b.data : "", b.len, cx) : nx_empty_string;
            }
            nx_ctx_free(&ctx);
            nx_buf_free(&b);
        }
        sp -= n;
        *sp++ = r;
        pc += 8;
        DISPATCH();
    }

    HANDLER(NATIVE, NONE) {
        const nx_builtin *b = fp->builtin;
        if (!(fp->flags & ARGS_FORCED)) {
            for (uint32_t i = 0; i < b->arity; i++) {
                if (!(b->strict & (1u << i))) continue;
                nx_value v = nx_deref(fp->base[i]);
                if (nx_needs_force(v)) FORCE_RETRY(v);
                fp->base[i] = v;
            }
            fp->flags |= ARGS_FORCED;
        }
        SAVE();
        int r = b->step(vm, fp);
        switch (r) {
        case NX_STEP_RETURN:
            retval = vm->ret;
            LOAD();
            NX_CALLTRACE_EXIT(fp);
            goto do_return;
        case NX_STEP_FORCE: {
            LOAD();
            nx_value v = vm->req;
            FORCE_RETRY(v);
        }
        case NX_STEP_CALL: {
            LOAD();
            fp->pc = ip;
            nx_value fnv = nx_deref(sp[-2]);
            if (nx_is_type(fnv, NX_OBJ_CLOSURE)) {
                /* Fast path: enter the lambda directly. */
                if (!enter_closure(vm, fnv, sp[-1], sp - 2)) goto error;
                LOAD();
                DISPATCH();
            }
            /* Otherwise a trampoline frame, so the CALL can retry (forcing
             * f, __functor) like any other instruction. */
            if (!push_trampoline(vm, &call_code, sp - 2)) goto error;
            LOAD();
            DISPATCH();
        }
        case NX_STEP_FORCE_LISTS: {
            /* The frame waits at FORCE_LISTS, the next instruction of
             * the native code, which forces the rest of the list. */
            LOAD();
            ip = pc;
            nx_value v = vm->req;
            FORCE_RETRY(v);
        }
        case NX_STEP_CALL2:
            LOAD();
            fp->pc = ip;
            if (!enter_curried2(vm, sp[-3], sp[-2], sp[-1], sp - 3)) goto error;
            LOAD();
            DISPATCH();
        default:
            LOAD();
            goto error;
        }
    }

    HANDLER(FORCE_LISTS, NONE) {
        /* concatLists' frame (vm/vm.h, NX_STEP_FORCE_LISTS) got the
         * element at the saved index: force the next unevaluated ones
         * from here, as its step would, until all are values or one is
         * not a list; then the step runs again (and reports that one). */
        nx_value *a = fp->base;
        nx_list *l = nx_listp(a[NX_FORCE_LISTS_LIST]);
        uint32_t n = l->h.aux;
        for (uint32_t i = (uint32_t)nx_smallint(a[NX_FORCE_LISTS_INDEX]); i < n; i++) {
            nx_value e = nx_deref(l->v[i]);
            if (nx_needs_force(e)) {
                a[NX_FORCE_LISTS_INDEX] = nx_mk_smallint(i);
                FORCE_RETRY(e);
            }
            if (!nx_is_list(e)) break;
            l->v[i] = e;
        }
        pc = ip - 1; /* NATIVE, the instruction before */
        DISPATCH_KNOWN(NATIVE);
    }

    HANDLER(APPLY_THUNK, NONE) {
        nx_thunk *t = (nx_thunk *)nx_obj_of(fp->thunk);
        *sp++ = t->a.fn;
        *sp++ = t->b.arg;
        DISPATCH();
    }

#ifndef NX_COMPUTED_GOTO
    default:
        goto bad_opcode;
    }
#else
L_RETURN_TRACED:
    /* RETURN while the call tracer is on (profiler/calltrace.h). */
    nx_calltrace_exit(fp);
    retval = sp[-1];
    goto do_return;
L_BAD:
    goto bad_opcode;
#endif

bad_opcode:
    SAVE();
    nx_vm_error(vm, nx_vm_pos(vm), "internal error: bad opcode %d", *ip);

error:
    nx_trace_collect(vm);
    /* Unwind to the HALT frame, putting thunks under evaluation back; a
     * catching builtin (tryEval) stops a catchable error. */
    fp = vm->fp;
    while (fp->kind != NX_FRAME_HALT) {
        if (fp->kind == NX_FRAME_THUNK) {
            nx_thunk *t = (nx_thunk *)nx_obj_of(fp->thunk);
            if (t->h.aux == NX_THUNK_BLACKHOLE) t->h.aux = fp->flags;
        } else if (fp->kind == NX_FRAME_NATIVE && fp->builtin->catches == NX_CATCH_ALL &&
                   fp->state != NX_STATE_CAUGHT) {
            /* addErrorContext: keep the error aside, evaluate the message. */
            nx_error_context_catch(vm, fp);
            drop_with_resume(vm, fp);
            vm->fp = fp;
            vm->sp = fp->base + fp->builtin->arity + fp->builtin->nslots;
            fp->state = NX_STATE_CAUGHT;
            fp->pc = nx_native_code.bc; /* FORCE_RETRY may have moved it */
            LOAD();
            DISPATCH();
        } else if (fp->kind == NX_FRAME_NATIVE && fp->builtin->catches == NX_CATCH_THROW && vm->catchable) {
            drop_with_resume(vm, fp);
            vm->fp = fp;
            vm->sp = fp->base + fp->builtin->arity + fp->builtin->nslots;
            fp->state = NX_STATE_CAUGHT;
            fp->pc = nx_native_code.bc; /* FORCE_RETRY may have moved it */
            nx_error_clear(&vm->err);
            vm->failed = false;
            vm->catchable = false;
            LOAD();
            DISPATCH();
        }
        if (fp->kind == NX_FRAME_CALL && (fp->flags & NX_FRAME_STACK_ENV)) vm->envs_sp = fp->env_mark;
        NX_CALLTRACE_EXIT(fp);
        vm->sp = fp->base;
        fp--;
    }
    drop_with_resume(vm, fp);
    vm->fp = fp;
#ifdef NX_DEBUG
    check_envs(vm, fp);
#endif
    return false;
}
