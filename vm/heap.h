/* heap.h — allocation of Nix values.
 *
 * Until the collector lands (issue 6) the heap is a bump allocator over
 * large chunks: objects are never freed during an evaluation.  Every
 * object carries its nx_obj header, so the collector can be added behind
 * these functions without touching their callers.  All functions here may
 * allocate and never fail (out of memory is a clean process exit). */
#ifndef NX_HEAP_H
#define NX_HEAP_H

#include "vm/error.h"
#include "vm/value.h"

extern char *nx_heap_cur, *nx_heap_end;
extern size_t nx_heap_total;
void *nx_heap_alloc_slow(size_t bytes);
/* Heap size limit in bytes (0: three quarters of physical memory); going
 * past it ends the process with "error: out of memory", status 1. */
void nx_heap_set_limit(size_t bytes);

/* Bump allocation, 16-byte aligned; never NULL. */
static inline __attribute__((always_inline)) void *nx_heap_alloc(size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (NX_LIKELY((size_t)(nx_heap_end - nx_heap_cur) >= n)) {
        void *p = nx_heap_cur;
        nx_heap_cur += n;
        nx_heap_total += n;
        return p;
    }
    return nx_heap_alloc_slow(n);
}

/* ---- roots outside the VM's stacks --------------------------------------
 * The collector (issue 6) runs only at VM safepoints and finds live values
 * in the value stack, the frame stack and the places registered here.  A
 * module that keeps values anywhere else (a static, a cache, a table)
 * registers them once: a single slot with nx_gc_add_root, or a function
 * that calls `mark` on each value it holds with nx_gc_register_roots. */
typedef void (*nx_gc_mark_fn)(nx_value v);
void nx_gc_add_root(nx_value *slot);
void nx_gc_register_roots(void (*each)(nx_gc_mark_fn mark));

nx_value nx_mk_int(int64_t i);
nx_value nx_mk_float(double d);
/* Copies len bytes; ctx may be NULL. */
nx_value nx_mk_string(const char *s, size_t len, const struct nx_context *ctx);
nx_value nx_mk_cstring(const char *s);
nx_value nx_mk_path(const char *s, size_t len);
/* Uninitialised string of len bytes (NUL added); fill s before use. */
nx_string *nx_alloc_string(size_t len, int type);
nx_list *nx_alloc_list(uint32_t n);
nx_attrs *nx_alloc_attrs(uint32_t n);
static inline __attribute__((always_inline)) nx_env *nx_alloc_env(uint32_t n, nx_env *up)
{
    nx_env *e = (nx_env *)nx_heap_alloc(sizeof(nx_env) + (size_t)n * sizeof(nx_value));
    e->h = (nx_obj){ NX_OBJ_ENV, 0, 0, n };
    e->up = up;
    return e;
}
nx_value nx_mk_closure(struct nx_code *code, nx_env *env);
static inline __attribute__((always_inline)) nx_value nx_mk_thunk(struct nx_code *code, nx_env *env)
{
    nx_thunk *t = (nx_thunk *)nx_heap_alloc(sizeof *t);
    t->h = (nx_obj){ NX_OBJ_THUNK, 0, 0, NX_THUNK_PENDING };
    t->a.code = code;
    t->b.env = env;
    return nx_from_obj(t);
}
nx_value nx_mk_app_thunk(nx_value fn, nx_value arg);

extern nx_value nx_empty_list;
extern nx_value nx_empty_attrs;
extern nx_value nx_empty_string;

/* Binary search by symbol id; NULL if absent. */
nx_attr *nx_attrs_get(nx_attrs *a, nx_sym s);
/* The entries of a in Nix's order (by name bytes, not by symbol id);
 * a malloc'd array of a->h.aux pointers for the caller to free. */
nx_attr **nx_attrs_by_name(nx_attrs *a);
/* Sorts entries by symbol; returns the first duplicated symbol or 0. */
nx_sym nx_attrs_sort(nx_attrs *a);

/* Position ids: a compact 32-bit handle for (source, offset), used in
 * attribute sets (unsafeGetAttrPos) and code line tables.  0 = none. */
uint32_t nx_pos_id(nx_pos p);
nx_pos nx_pos_get(uint32_t id);

#endif
