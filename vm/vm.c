/* vm.c — the VM's state, frame helpers and driver entry points.  The
 * dispatch loop itself is in vm/exec.c. */
#include "vm/vm.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "profiler/calltrace.h"
#include "vm/heap.h"
#include "vm/opcodes.h"
#include "vm/vm_internal.h"

/* Tiny static code objects for frames that are not compiled Nix. */
static uint8_t halt_bc[] = { NX_OP_HALT };
/* A native frame runs NATIVE; concatLists' frame waits at FORCE_LISTS
 * while the loop forces its elements (NX_STEP_FORCE_LISTS). */
static uint8_t native_bc[] = { NX_OP_NATIVE, NX_OP_FORCE_LISTS };
uint8_t nx_apply_bc[] = { NX_OP_APPLY_THUNK, NX_OP_CALL, NX_OP_RETURN };
nx_code nx_halt_code = { .bc = halt_bc, .len = 1, .kind = NX_CODE_THUNK };
nx_code nx_native_code = { .bc = native_bc, .len = 2, .kind = NX_CODE_THUNK };
nx_code nx_apply_code = { .bc = nx_apply_bc, .len = 3, .kind = NX_CODE_THUNK };

static void *reserve(size_t bytes)
{
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) nx_out_of_memory();
    return p;
}

/* Address space for the environment stack: room for a one-slot
 * environment per frame; calls that find it full use the heap. */
static size_t envs_bytes(uint64_t max_depth)
{
    return ((size_t)max_depth + 1024) * (sizeof(nx_env) + sizeof(nx_value));
}

nx_vm *nx_vm_new(uint64_t max_depth)
{
    nx_vm *vm = nx_xcalloc(1, sizeof *vm);
    vm->max_depth = max_depth;
    /* Address space only; pages are committed as the stacks grow. */
    size_t nframes = (size_t)max_depth + 16;
    vm->frames = reserve(nframes * sizeof(nx_frame));
    vm->frames_limit = vm->frames + nframes - 8;
    size_t nvals = (size_t)max_depth * 8 + (1u << 20);
    vm->stack = reserve(nvals * sizeof(nx_value));
    vm->stack_limit = vm->stack + nvals - 1024;
    vm->sp = vm->stack;
    vm->envs = reserve(envs_bytes(max_depth));
    vm->envs_sp = vm->envs;
    vm->envs_limit = vm->envs + envs_bytes(max_depth);
    vm->fp = vm->frames; /* frames[0] is never used */
    vm->fp->kind = NX_FRAME_HALT;
    vm->fp->base = vm->stack;
    vm->fp->code = &nx_halt_code;
    vm->fp->pc = halt_bc;
    vm->fp->env_mark = vm->envs;
    return vm;
}

void nx_vm_free(nx_vm *vm)
{
    size_t nframes = (size_t)vm->max_depth + 16;
    munmap(vm->frames, nframes * sizeof(nx_frame));
    munmap(vm->stack, ((size_t)vm->max_depth * 8 + (1u << 20)) * sizeof(nx_value));
    munmap(vm->envs, envs_bytes(vm->max_depth));
    nx_error_clear(&vm->err);
    free(vm->wr);
    free(vm);
}

void nx_vm_error(nx_vm *vm, nx_pos pos, const char *fmt, ...)
{
    if (vm->failed) return;
    va_list ap;
    va_start(ap, fmt);
    nx_error_vset(&vm->err, pos, fmt, ap); /* no length limit: values in messages are long */
    va_end(ap);
    vm->failed = true;
    vm->catchable = false;
}

nx_pos nx_frame_pos(const nx_frame *f)
{
    if (!f->code || !nx_code_nlines(f->code)) return f->code ? f->code->pos : NX_NOPOS;
    uint32_t off = (uint32_t)(f->pc - f->code->bc);
    return nx_code_pos_at(f->code, off ? off - 1 : 0);
}

nx_pos nx_vm_pos(nx_vm *vm)
{
    for (nx_frame *f = vm->fp; f > vm->frames; f--) {
        if (f->kind == NX_FRAME_NATIVE || f->kind == NX_FRAME_HALT) continue;
        if (f->code && nx_code_nlines(f->code)) return nx_frame_pos(f);
        if (f->code && f->code->pos.src) return f->code->pos;
    }
    return NX_NOPOS;
}

/* Pushes a frame evaluating the pending thunk tv.  The caller has saved
 * its state and will re-execute its instruction when this frame returns. */
bool nx_push_force(nx_vm *vm, nx_value tv)
{
    nx_thunk *t = (nx_thunk *)nx_obj_of(tv);
    if (t->h.aux == NX_THUNK_BLACKHOLE) {
        /* Reported where it is forced again (CppNix's forceValue pos). */
        nx_vm_error(vm, nx_vm_pos(vm), "infinite recursion encountered");
        return false;
    }
    if (NX_UNLIKELY(vm->fp + 1 >= vm->frames_limit)) {
        nx_vm_error(vm, nx_vm_pos(vm), "stack overflow; max-call-depth exceeded");
        return false;
    }
    nx_frame *f = vm->fp + 1;
    f->kind = NX_FRAME_THUNK;
    f->flags = (uint8_t)t->h.aux; /* original state, restored on error */
    f->thunk = tv;
    f->base = vm->sp;
    f->builtin = NULL;
    f->state = 0;
    f->pending = 0;
    if (t->h.aux == NX_THUNK_APP) {
        f->code = &nx_apply_code;
        f->env = NULL;
    } else {
        f->code = t->a.code;
        f->env = t->b.env;
    }
    f->pc = f->code->bc;
    NX_PUBLISH_FRAME(vm, f);
    t->h.aux = NX_THUNK_BLACKHOLE;
    nx_gc_safepoint(vm);
    return true;
}

/* ---- drivers ------------------------------------------------------------ */

static nx_frame *push_halt(nx_vm *vm)
{
    nx_frame *h = vm->fp + 1;
    memset(h, 0, sizeof *h);
    h->kind = NX_FRAME_HALT;
    h->code = &nx_halt_code;
    h->pc = halt_bc;
    h->base = vm->sp;
    h->env_mark = vm->envs_sp;
    NX_PUBLISH_FRAME(vm, h);
    return h;
}

static void pop_halt(nx_vm *vm, nx_frame *h)
{
    vm->fp = h - 1;
    vm->sp = h->base;
}

bool nx_vm_force(nx_vm *vm, nx_value *v)
{
    nx_value x = nx_deref(*v);
    if (!nx_needs_force(x)) {
        *v = x;
        return true;
    }
    nx_frame *h = push_halt(vm);
    vm->sp[0] = x; /* keep it on the stack while it is evaluated */
    vm->sp++;
    h->base = vm->sp;
    bool ok = nx_push_force(vm, x) && nx_exec(vm);
    vm->sp = h->base;
    pop_halt(vm, h);
    vm->sp--;
    if (!ok) return false;
    *v = nx_deref(x);
    return true;
}

bool nx_vm_run(nx_vm *vm, nx_code *code, nx_env *env, nx_value *out)
{
    nx_frame *h = push_halt(vm);
    nx_frame *f = vm->fp + 1;
    memset(f, 0, sizeof *f);
    f->kind = NX_FRAME_CALL;
    f->code = code;
    f->env = env;
    f->pc = code->bc;
    f->base = vm->sp;
    NX_PUBLISH_FRAME(vm, f);
    NX_CALLTRACE_ENTER(vm);
    bool ok = nx_exec(vm);
    if (ok) *out = vm->sp[-1];
    pop_halt(vm, h);
    return ok;
}

bool nx_vm_apply(nx_vm *vm, nx_value fn, nx_value x, nx_value *out)
{
    nx_value t = nx_mk_app_thunk(fn, x);
    if (!nx_vm_force(vm, &t)) return false;
    *out = t;
    return true;
}
