/* heap.h — allocation of Nix values.
 *
 * The Nix heap is managed by a precise, non-moving mark-sweep collector
 * (vm/gc.c).  Small objects come from 64 KiB blocks of one size class
 * each (bump allocation through runs of free cells), large ones from
 * jemalloc.  Allocation never
 * collects: when the heap has grown past its threshold it only sets
 * nx_gc_pending, and the VM collects at its next safepoint (a frame push,
 * or the `//`, `++` and `+` operators before they allocate),
 * where every live value is in the value stack, the frame stack or a
 * registered root.  So C code may hold values in locals between two
 * safepoints, never across one.  Every object starts with an nx_obj header
 * whose type is set right after allocation (type 0 marks a free cell).
 * All functions here may allocate and never fail (out of memory, or the
 * --max-heap limit, is a clean process exit). */
#ifndef NX_HEAP_H
#define NX_HEAP_H

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "vm/error.h"
#include "vm/stats.h"
#include "vm/value.h"

#if defined(__SANITIZE_ADDRESS__)
#define NX_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NX_ASAN 1
#endif
#endif
#ifdef NX_ASAN
#include <sanitizer/asan_interface.h>
#define NX_ASAN_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define NX_ASAN_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define NX_ASAN_POISON(p, n) ((void)(p), (void)(n))
#define NX_ASAN_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

/* nx_obj.gc: 0 for a fresh (young) object, the collector's epoch (1 or 2)
 * once marked, NX_GC_PINNED for objects that live as long as the process
 * (code constants, builtins, static objects): never freed, never traced,
 * so a pinned object must only point to pinned objects.
 *
 * The collector is generational with sticky marks (docs/memory.md): a
 * marked object stays marked ("old") until the next major collection; a
 * minor collection traces only from the roots and the remembered set and
 * frees only young objects.  An old object written to point to another
 * object is remembered (NX_GC_REMEMBERED, and listed) by NX_GC_BARRIER.
 * NX_GC_STACK marks environments on the VM's environment stack (not heap
 * objects: traced as roots, never remembered). */
#define NX_GC_STACK 0xfd
#define NX_GC_REMEMBERED 0xfe
#define NX_GC_PINNED 0xff
extern uint8_t nx_gc_epoch;
void nx_gc_remember(nx_obj *o);
/* The write barrier: call it on an existing heap object right before (or
 * after, with no safepoint in between) storing a value into one of its
 * fields, unless the object is young for sure (allocated since the last
 * safepoint) or the value stored is one the object already reached
 * through evaluated thunks (the nx_deref shortcut: `slot = nx_deref(slot)`
 * needs no barrier, the thunk that held the value keeps it visible).
 * Objects held directly by the VM's stacks and frames at a collection
 * are remembered by the collector itself, so a builtin filling a list or
 * set kept in one of its frame slots needs no barrier (vm/gc.c
 * mark_roots).  One compare inline; the rest out of line, once per
 * object per collection cycle. */
#define NX_GC_BARRIER(obj)                                                              \
    do {                                                                                \
        nx_obj *nx_bo_ = (nx_obj *)(obj);                                               \
        if (NX_UNLIKELY(nx_bo_->gc == nx_gc_epoch)) nx_gc_remember(nx_bo_);             \
    } while (0)
/* The barrier for storing the value v into obj: only an old object
 * written with a pointer to a young object (gc byte 0) is remembered, so
 * old thunks updated with small integers, Booleans or old values add
 * nothing to the remembered set (a fold over a forced list of 3 million
 * numbers would list every thunk). */
#define NX_GC_BARRIER_VALUE(obj, v)                                                     \
    do {                                                                                \
        nx_obj *nx_bo_ = (nx_obj *)(obj);                                               \
        nx_value nx_bv_ = (v);                                                          \
        if (NX_UNLIKELY(nx_bo_->gc == nx_gc_epoch) && nx_is_ptr(nx_bv_) && nx_obj_of(nx_bv_)->gc == 0) \
            nx_gc_remember(nx_bo_);                                                     \
    } while (0)

/* A size class: the run of free cells it allocates from (the rest of a
 * new block, or a run of dead cells in a swept one: vm/gc.c refill). */
typedef struct nx_sizeclass {
    char *bump, *end;
} nx_sizeclass;

/* Small objects (up to NX_SMALL_MAX bytes) are in classes of 8-byte steps,
 * indexed by size / 8, so the inline path needs no table. */
#define NX_SMALL_MAX 256
extern nx_sizeclass nx_classes[];
extern bool nx_gc_pending;
void *nx_heap_alloc_slow(size_t bytes);
/* Makes the malloc'd block p, of at least n bytes, an object's n bytes in
 * the heap: a large one is kept where it is (cut to n bytes), not copied;
 * a small one is copied and p freed.  Returns the object's address. */
void *nx_heap_adopt(void *p, size_t n);
/* Heap size limit in bytes (0: three quarters of physical memory); going
 * past it ends the process with "error: out of memory", status 1. */
void nx_heap_set_limit(size_t bytes);
/* If set, called instead of that exit; it must not return (the fuzzers,
 * tests/fuzz, longjmp out and discard the evaluation). */
extern void (*nx_heap_oom_hook)(void);

/* Allocates n bytes, 8-byte aligned; never NULL.  Contents are undefined:
 * the caller writes the header (and every traced field) before the next
 * safepoint. */
static inline __attribute__((always_inline)) void *nx_heap_alloc(size_t n)
{
    if (n < 16) n = 16;
    if (NX_LIKELY(n <= NX_SMALL_MAX)) {
        size_t sz = (n + 7) & ~(size_t)7;
        nx_sizeclass *k = &nx_classes[sz >> 3];
        char *p = k->bump;
        if (NX_LIKELY((size_t)(k->end - p) >= sz)) {
            k->bump = p + sz;
            NX_ASAN_UNPOISON(p, sz); /* a dead cell is poisoned until handed out */
            return p;
        }
    }
    return nx_heap_alloc_slow(n);
}

struct nx_vm;
/* The safepoint: collects if a collection is pending.  Call only where
 * every live value is reachable from the VM's stacks or the roots (the
 * VM calls it right after pushing a frame). */
void nx_gc_collect(struct nx_vm *vm);
/* A collection now, whatever the heap's state: major (marks everything
 * again) or minor (young objects only).  For tests and debugging. */
void nx_gc_collect_now(struct nx_vm *vm, bool major);
/* NIXE_GC_CENSUS: a full collection, then the live objects by kind
 * (count and bytes) printed to out. */
void nx_gc_census(struct nx_vm *vm, FILE *out);
static inline void nx_gc_safepoint(struct nx_vm *vm)
{
    if (NX_UNLIKELY(nx_gc_pending)) nx_gc_collect(vm);
}
/* An evaluation budget, for the fuzzers (tests/fuzz): while safepoints is
 * non-zero, a collection stays pending so every safepoint counts in
 * nx_gc_collect, and once more than `safepoints` have passed or the heap
 * holds more than `heap` bytes, the VM's frame limit is lowered to its
 * current frame: the next push fails with the uncatchable "stack overflow;
 * max-call-depth exceeded".  The caller restores vm->frames_limit
 * afterwards; (0, 0) turns the budget off.  Nothing is added to the
 * safepoint's fast path. */
void nx_gc_set_budget(uint64_t safepoints, size_t heap);
/* After a collection: whether the object survived it (marked or pinned).
 * For tests and debugging. */
bool nx_gc_survived(const void *obj);
/* Marks v and everything it reaches as pinned (see NX_GC_PINNED). */
nx_value nx_heap_pin(nx_value v);

/* Collector statistics (NIX_SHOW_STATS). */
typedef struct nx_gc_stats {
    uint64_t cycles;
    uint64_t major_cycles;   /* of which major (the rest are minor) */
    uint64_t total_bytes;    /* bytes handed out by the allocator, ever */
    uint64_t heap_bytes;     /* blocks + large objects held now */
    uint64_t live_bytes;     /* live after the last collection */
    double seconds;          /* time spent collecting */
} nx_gc_stats;
void nx_gc_get_stats(nx_gc_stats *s);

/* ---- roots outside the VM's stacks --------------------------------------
 * The collector (issue 6) runs only at VM safepoints and finds live values
 * in the value stack, the frame stack and the places registered here.  A
 * module that keeps values anywhere else (a static, a cache, a table)
 * registers them once: a single slot with nx_gc_add_root, or a function
 * that calls `mark` on each value it holds with nx_gc_register_roots. */
typedef void (*nx_gc_mark_fn)(nx_value v);
void nx_gc_add_root(nx_value *slot);
void nx_gc_register_roots(void (*each)(nx_gc_mark_fn mark));

nx_value nx_mk_int_slow(int64_t i);
/* An integer: inline for the small ones (no allocation). */
static inline nx_value nx_mk_int(int64_t i)
{
    if (NX_LIKELY(i >= NX_SMALLINT_MIN && i <= NX_SMALLINT_MAX)) return nx_mk_smallint(i);
    return nx_mk_int_slow(i);
}
nx_value nx_mk_float(double d);
/* Copies len bytes; ctx may be NULL. */
nx_value nx_mk_string(const char *s, size_t len, const struct nx_context *ctx);
/* Output built in place for a string: b's first NX_STRING_TEXT bytes are
 * room for the object's header (start with nx_string_buf_init), the text
 * follows.  nx_string_buf_finish makes the string without copying a long
 * text, and leaves b empty. */
#define NX_STRING_TEXT offsetof(nx_string, s)
void nx_string_buf_init(nx_buf *b, size_t expect);
nx_value nx_string_buf_finish(nx_buf *b, const struct nx_context *ctx);
nx_value nx_mk_cstring(const char *s);
nx_value nx_mk_path(const char *s, size_t len);
/* Uninitialised string of len bytes (NUL added); fill s before use. */
nx_string *nx_alloc_string(size_t len, int type);
/* Lists and sets come zeroed (no values), so a builtin may keep a
 * partly filled one in a slot across safepoints. */
nx_list *nx_alloc_list(uint32_t n);
/* A list of n elements left uninitialised: the caller fills every element
 * before the next safepoint (map, concatLists). */
nx_list *nx_alloc_list_uninit(uint32_t n);
nx_attrs *nx_alloc_attrs(uint32_t n);
/* A set of n entries left uninitialised: the caller fills every entry
 * (or lowers h.aux) before the next safepoint (nx_update's merge). */
nx_attrs *nx_alloc_attrs_uninit(uint32_t n);
/* Initialises an environment of n slots under up in memory e (the heap
 * or the VM's environment stack). */
static inline __attribute__((always_inline)) void nx_init_env(nx_env *e, uint32_t n, nx_env *up)
{
    e->h = (nx_obj){ NX_OBJ_ENV, 0, 0, n };
    nx_count.envs++;
    nx_count.env_slots += n;
    e->up = up;
    /* Slots are traced: a frame may reach a safepoint before it fills
     * them.  Most environments have one or two slots: no memset call. */
    if (NX_LIKELY(n <= 2)) {
        if (n) e->slot[0] = e->slot[n - 1] = NX_NOVALUE;
    } else {
        memset(e->slot, 0, (size_t)n * sizeof(nx_value));
    }
}
static inline __attribute__((always_inline)) nx_env *nx_alloc_env(uint32_t n, nx_env *up)
{
    nx_env *e = (nx_env *)nx_heap_alloc(sizeof(nx_env) + (size_t)n * sizeof(nx_value));
    nx_init_env(e, n, up);
    return e;
}
static inline __attribute__((always_inline)) nx_value nx_mk_closure(struct nx_code *code, nx_env *env)
{
    nx_closure *c = (nx_closure *)nx_heap_alloc(sizeof *c);
    c->h = (nx_obj){ NX_OBJ_CLOSURE, 0, 0, 0 };
    nx_count.values++, nx_count.value_bytes += sizeof *c;
    c->code = code;
    c->env = env;
    return nx_from_obj(c);
}
static inline __attribute__((always_inline)) nx_value nx_mk_thunk(struct nx_code *code, nx_env *env)
{
    nx_thunk *t = (nx_thunk *)nx_heap_alloc(sizeof *t);
    t->h = (nx_obj){ NX_OBJ_THUNK, 0, 0, NX_THUNK_PENDING };
    nx_count.thunks++;
    t->a.code = code;
    t->b.env = env;
    return nx_from_thunk(t);
}
static inline __attribute__((always_inline)) nx_value nx_mk_app_thunk(nx_value fn, nx_value arg)
{
    nx_thunk *t = (nx_thunk *)nx_heap_alloc(sizeof *t);
    t->h = (nx_obj){ NX_OBJ_THUNK, 0, 0, NX_THUNK_APP };
    nx_count.values++, nx_count.value_bytes += sizeof *t;
    nx_count.thunks++;
    t->a.fn = fn;
    t->b.arg = arg;
    return nx_from_thunk(t);
}

extern nx_value nx_empty_list;
extern nx_value nx_empty_attrs;
extern nx_value nx_empty_string;

/* nx_attrs_get (lookup by symbol id in a flat set) is inline in vm/value.h. */
/* The entries of a in Nix's order (by name bytes, not by symbol id);
 * a malloc'd array of a->h.aux pointers for the caller to free. */
nx_attr **nx_attrs_by_name(nx_attrs *a);
/* Sorts entries by symbol; returns the first duplicated symbol or 0. */
nx_sym nx_attrs_sort(nx_attrs *a);
/* Sorts n entries by symbol, stably (equal names keep their order:
 * listToAttrs keeps the first). */
void nx_attrs_sort_stable(nx_attr *a, uint32_t n);

/* Position ids: a compact 32-bit handle for (source, offset), used in
 * attribute sets (unsafeGetAttrPos) and code line tables.  0 = none. */
uint32_t nx_pos_id(nx_pos p);
nx_pos nx_pos_get(uint32_t id);

#endif
