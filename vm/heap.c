/* heap.c — the bump-allocated Nix heap and value constructors. */
#include "vm/heap.h"

#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

/* Heap chunks grow geometrically from 1 MiB to 64 MiB, so small
 * evaluations stay small.  Chunks are mapped pre-faulted (MAP_POPULATE):
 * bump allocation touches fresh memory at a high rate, and taking a page
 * fault per 4 KiB page costs up to a third of the run time otherwise (the
 * collector, issue 6, will reuse memory instead). */
#define CHUNK_MIN (1u << 20)
#define CHUNK_MAX (64u << 20)

char *nx_heap_cur, *nx_heap_end;
size_t nx_heap_total;
static size_t chunk_size = CHUNK_MIN;
static size_t heap_limit; /* 0: three quarters of physical memory */

void nx_heap_set_limit(size_t bytes) { heap_limit = bytes; }

/* Ends the evaluation cleanly (exit status 1) instead of letting the
 * kernel kill the process when the heap outgrows the limit. */
static void check_limit(size_t more)
{
    if (!heap_limit) {
        long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
        heap_limit = pages > 0 && size > 0 ? (size_t)pages / 4 * 3 * (size_t)size : (size_t)16 << 30;
    }
    if (nx_heap_total + more > heap_limit) {
        char msg[160];
        int n = snprintf(msg, sizeof msg, "error: out of memory: the evaluation heap would exceed %zu MiB (see --max-heap)\n",
                         heap_limit >> 20);
        ssize_t w = write(2, msg, (size_t)n);
        (void)w;
        _exit(1);
    }
}

static char *new_chunk(size_t sz)
{
    int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
    if (!getenv("NIXE_NO_POPULATE")) flags |= MAP_POPULATE;
    char *p = mmap(NULL, sz, PROT_READ | PROT_WRITE, flags, -1, 0);
    if (p == MAP_FAILED) nx_out_of_memory();
#ifdef MADV_HUGEPAGE
    /* Opt-in: huge pages help when the kernel has them free and cost a lot
     * when it must compact memory first. */
    if (getenv("NIXE_HUGEPAGES")) madvise(p, sz, MADV_HUGEPAGE);
#endif
    return p;
}

void *nx_heap_alloc_slow(size_t n)
{
    check_limit(n > CHUNK_MIN / 4 ? n : chunk_size);
    if (n > CHUNK_MIN / 4) {
        nx_heap_total += n;
        return nx_xmalloc(n);
    }
    nx_heap_cur = new_chunk(chunk_size);
    nx_heap_end = nx_heap_cur + chunk_size;
    if (chunk_size < CHUNK_MAX) chunk_size *= 2;
    void *p = nx_heap_cur;
    nx_heap_cur += n;
    nx_heap_total += n;
    return p;
}



/* ---- registered roots ---------------------------------------------------- */

static nx_value **root_slots;
static size_t nroot_slots, caproot_slots;
static void (**root_fns)(nx_gc_mark_fn);
static size_t nroot_fns, caproot_fns;

void nx_gc_add_root(nx_value *slot)
{
    if (nroot_slots == caproot_slots) {
        caproot_slots = caproot_slots ? caproot_slots * 2 : 16;
        root_slots = nx_xrealloc(root_slots, caproot_slots * sizeof *root_slots);
    }
    root_slots[nroot_slots++] = slot;
}

void nx_gc_register_roots(void (*each)(nx_gc_mark_fn mark))
{
    if (nroot_fns == caproot_fns) {
        caproot_fns = caproot_fns ? caproot_fns * 2 : 16;
        root_fns = nx_xrealloc(root_fns, caproot_fns * sizeof *root_fns);
    }
    root_fns[nroot_fns++] = each;
}

static inline void *alloc_obj(size_t size, int type, uint32_t aux)
{
    nx_obj *o = nx_heap_alloc(size);
    o->type = (uint8_t)type;
    o->gc = 0;
    o->flags = 0;
    o->aux = aux;
    return o;
}

nx_value nx_mk_int(int64_t i)
{
    if (i >= NX_SMALLINT_MIN && i <= NX_SMALLINT_MAX) return nx_mk_smallint(i);
    nx_int_obj *o = alloc_obj(sizeof *o, NX_OBJ_INT, 0);
    o->v = i;
    return nx_from_obj(o);
}

nx_value nx_mk_float(double d)
{
    nx_float_obj *o = alloc_obj(sizeof *o, NX_OBJ_FLOAT, 0);
    o->v = d;
    return nx_from_obj(o);
}

nx_string *nx_alloc_string(size_t len, int type)
{
    if (len > UINT32_MAX - 64) nx_out_of_memory();
    nx_string *s = alloc_obj(sizeof *s + len + 1, type, (uint32_t)len);
    s->ctx = NULL;
    s->s[len] = 0;
    return s;
}

nx_value nx_mk_string(const char *p, size_t len, const struct nx_context *ctx)
{
    nx_string *s = nx_alloc_string(len, NX_OBJ_STRING);
    memcpy(s->s, p, len);
    s->ctx = ctx;
    return nx_from_obj(s);
}

nx_value nx_mk_cstring(const char *p) { return nx_mk_string(p, strlen(p), NULL); }

nx_value nx_mk_path(const char *p, size_t len)
{
    nx_string *s = nx_alloc_string(len, NX_OBJ_PATH);
    memcpy(s->s, p, len);
    return nx_from_obj(s);
}

nx_list *nx_alloc_list(uint32_t n)
{
    return alloc_obj(sizeof(nx_list) + (size_t)n * sizeof(nx_value), NX_OBJ_LIST, n);
}

nx_attrs *nx_alloc_attrs(uint32_t n)
{
    return alloc_obj(sizeof(nx_attrs) + (size_t)n * sizeof(nx_attr), NX_OBJ_ATTRS, n);
}


nx_value nx_mk_closure(struct nx_code *code, nx_env *env)
{
    nx_closure *c = alloc_obj(sizeof *c, NX_OBJ_CLOSURE, 0);
    c->code = code;
    c->env = env;
    return nx_from_obj(c);
}


nx_value nx_mk_app_thunk(nx_value fn, nx_value arg)
{
    nx_thunk *t = alloc_obj(sizeof *t, NX_OBJ_THUNK, NX_THUNK_APP);
    t->a.fn = fn;
    t->b.arg = arg;
    return nx_from_obj(t);
}

static nx_list empty_list_obj = { { NX_OBJ_LIST, 0, 0, 0 } };
static nx_attrs empty_attrs_obj = { { NX_OBJ_ATTRS, 0, 0, 0 } };
/* The empty string: a header, a NULL context and a NUL byte. */
static union {
    nx_string s;
    char bytes[sizeof(nx_string) + 16];
} empty_string_obj = { .s = { { NX_OBJ_STRING, 0, 0, 0 }, NULL } };

nx_value nx_empty_list = (nx_value)(uintptr_t)&empty_list_obj;
nx_value nx_empty_attrs = (nx_value)(uintptr_t)&empty_attrs_obj;
nx_value nx_empty_string = (nx_value)(uintptr_t)&empty_string_obj;

nx_attr *nx_attrs_get(nx_attrs *a, nx_sym s)
{
    uint32_t lo = 0, hi = a->h.aux;
    if (hi <= 8) {
        for (uint32_t i = 0; i < hi; i++)
            if (a->a[i].name == s) return &a->a[i];
        return NULL;
    }
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        nx_sym m = a->a[mid].name;
        if (m == s) return &a->a[mid];
        if (m < s) lo = mid + 1;
        else hi = mid;
    }
    return NULL;
}

static int cmp_attr_name(const void *x, const void *y)
{
    return nx_sym_cmp((*(nx_attr *const *)x)->name, (*(nx_attr *const *)y)->name);
}

nx_attr **nx_attrs_by_name(nx_attrs *a)
{
    nx_attr **v = nx_xmalloc((a->h.aux + 1) * sizeof *v);
    for (uint32_t i = 0; i < a->h.aux; i++) v[i] = &a->a[i];
    qsort(v, a->h.aux, sizeof *v, cmp_attr_name);
    return v;
}

static int cmp_attr(const void *x, const void *y)
{
    nx_sym a = ((const nx_attr *)x)->name, b = ((const nx_attr *)y)->name;
    return a < b ? -1 : a > b;
}

nx_sym nx_attrs_sort(nx_attrs *a)
{
    uint32_t n = a->h.aux;
    bool sorted = true;
    for (uint32_t i = 1; i < n && sorted; i++)
        if (a->a[i - 1].name >= a->a[i].name) sorted = false;
    if (sorted) return 0;
    qsort(a->a, n, sizeof(nx_attr), cmp_attr);
    for (uint32_t i = 1; i < n; i++)
        if (a->a[i - 1].name == a->a[i].name) return a->a[i].name;
    return 0;
}

/* ---- position ids -------------------------------------------------------- */

static nx_pos *positions;
static uint32_t npositions, cappositions;

uint32_t nx_pos_id(nx_pos p)
{
    if (!p.src) return 0;
    if (npositions + 1 >= cappositions) {
        cappositions = cappositions ? cappositions * 2 : 1024;
        positions = nx_xrealloc(positions, cappositions * sizeof *positions);
        if (npositions == 0) positions[npositions++] = NX_NOPOS;
    }
    positions[npositions] = p;
    return npositions++;
}

nx_pos nx_pos_get(uint32_t id) { return id && id < npositions ? positions[id] : NX_NOPOS; }
