/* heap.c — value constructors and attribute-set helpers (the allocator
 * and the collector are in vm/gc.c). */
#include "vm/heap.h"
#include "vm/source.h"

#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

static inline void *alloc_obj(size_t size, int type, uint32_t aux)
{
    nx_obj *o = nx_heap_alloc(size);
    if (type == NX_OBJ_LIST) nx_count.lists++, nx_count.list_elems += aux;
    else if (type == NX_OBJ_ATTRS) nx_count.sets++, nx_count.set_elems += aux;
    else nx_count.values++, nx_count.value_bytes += size;
    o->type = (uint8_t)type;
    o->gc = 0;
    o->flags = 0;
    o->aux = aux;
    return o;
}

nx_value nx_mk_int_slow(int64_t i)
{
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

void nx_string_buf_init(nx_buf *b, size_t expect)
{
    *b = (nx_buf){ 0 };
    nx_buf_reserve(b, NX_STRING_TEXT + expect);
    b->len = NX_STRING_TEXT;
}

nx_value nx_string_buf_finish(nx_buf *b, const struct nx_context *ctx)
{
    size_t len = b->len - NX_STRING_TEXT;
    if (len > UINT32_MAX - 64) nx_out_of_memory();
    b->data[b->len] = 0; /* an nx_buf always has room for it */
    nx_string *s = nx_heap_adopt(b->data, b->len + 1);
    *b = (nx_buf){ 0 };
    nx_count.values++, nx_count.value_bytes += NX_STRING_TEXT + len + 1;
    s->h = (nx_obj){ .type = NX_OBJ_STRING, .aux = (uint32_t)len };
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
    nx_list *l = alloc_obj(sizeof(nx_list) + (size_t)n * sizeof(nx_value), NX_OBJ_LIST, n);
    memset(l->v, 0, (size_t)n * sizeof(nx_value));
    return l;
}

nx_attrs *nx_alloc_attrs_uninit(uint32_t n)
{
    return alloc_obj(sizeof(nx_attrs) + (size_t)n * sizeof(nx_attr), NX_OBJ_ATTRS, n);
}

nx_attrs *nx_alloc_attrs(uint32_t n)
{
    nx_attrs *a = alloc_obj(sizeof(nx_attrs) + (size_t)n * sizeof(nx_attr), NX_OBJ_ATTRS, n);
    memset(a->a, 0, (size_t)n * sizeof(nx_attr));
    return a;
}




static nx_list empty_list_obj = { { NX_OBJ_LIST, NX_GC_PINNED, 0, 0 } };
static nx_attrs empty_attrs_obj = { { NX_OBJ_ATTRS, NX_GC_PINNED, 0, 0 } };
/* The empty string: a header, a NULL context and a NUL byte. */
static union {
    nx_string s;
    char bytes[sizeof(nx_string) + 16];
} empty_string_obj = { .s = { { NX_OBJ_STRING, NX_GC_PINNED, 0, 0 }, NULL } };

nx_value nx_empty_list = (nx_value)(uintptr_t)&empty_list_obj;
nx_value nx_empty_attrs = (nx_value)(uintptr_t)&empty_attrs_obj;
nx_value nx_empty_string = (nx_value)(uintptr_t)&empty_string_obj;

/* Binary search without an early exit: the range halves without a
 * branch on the comparison, so the predictor has nothing to miss (a set of
 * 30 names costs 5 probes whether the name is there or not).  Returns the
 * last entry whose name is <= s, or a[0] when every name is > s; n >= 1. */
static inline nx_attr *search_floor(nx_attrs *a, nx_sym s)
{
    uint32_t n = a->h.aux;
    nx_attr *base = a->a;
    while (n > 1) {
        uint32_t half = n / 2;
        /* base += half if the name there is <= s, as a mask (compilers
         * turn a plain conditional into a branch; the empty asm makes the
         * mask a value they must compute). */
        uintptr_t take = -(uintptr_t)(base[half].name <= s);
        __asm__("" : "+r"(take));
        base = (nx_attr *)((uintptr_t)base + (take & ((uintptr_t)half * sizeof *base)));
        n -= half;
    }
    return base;
}

nx_attr *nx_attrs_search(nx_attrs *a, nx_sym s)
{
    if (a->h.aux == 0) return NULL;
    nx_attr *base = search_floor(a, s);
    return base->name == s ? base : NULL;
}

nx_attr *nx_attrs_search_ic(nx_attrs *a, nx_sym s, uint32_t *ic)
{
    if (a->h.aux == 0) {
        *ic = 0;
        return NULL;
    }
    nx_attr *base = search_floor(a, s);
    *ic = (uint32_t)(base - a->a) + (base->name < s);
    return base->name == s ? base : NULL;
}

/* An entry to sort by name: the name's first 8 bytes, big-endian and
 * zero-padded (as nx_sym_cmp's prefix), decide most comparisons without
 * reading the symbol table. */
typedef struct by_name {
    uint64_t key;
    nx_attr *a;
} by_name;

static inline bool by_name_less(const by_name *x, const by_name *y)
{
    if (x->key != y->key) return x->key < y->key;
    return nx_sym_cmp(x->a->name, y->a->name) < 0;
}

/* Defines `static void NAME(T *v, T *tmp, uint32_t n)`: a stable sort of
 * v[0..n) with tmp[0..n) as scratch (not touched when n <= 16) —
 * insertion sort of runs of 16, then bottom-up merges (a merge whose
 * halves are already in order is a copy).  LESS(x, y) compares two T
 * lvalues. */
#define NX_DEFINE_RUN_MERGE_SORT(NAME, T, LESS)                                              \
    static void NAME(T *v, T *tmp, uint32_t n)                                               \
    {                                                                                        \
        enum { RUN = 16 };                                                                   \
        for (uint32_t lo = 0; lo < n; lo += RUN) {                                           \
            uint32_t hi = lo + RUN < n ? lo + RUN : n;                                       \
            for (uint32_t i = lo + 1; i < hi; i++) {                                         \
                T x = v[i];                                                                  \
                uint32_t j = i;                                                              \
                while (j > lo && LESS(x, v[j - 1])) {                                        \
                    v[j] = v[j - 1];                                                         \
                    j--;                                                                     \
                }                                                                            \
                v[j] = x;                                                                    \
            }                                                                                \
        }                                                                                    \
        if (n <= RUN) return;                                                                \
        T *src = v, *dst = tmp;                                                              \
        for (uint32_t w = RUN; w < n; w *= 2) {                                              \
            for (uint32_t lo = 0; lo < n; lo += 2 * w) {                                     \
                uint32_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n; \
                uint32_t i = lo, j = mid, k = lo;                                            \
                if (mid >= hi || !LESS(src[mid], src[mid - 1])) {                            \
                    memcpy(dst + lo, src + lo, (size_t)(hi - lo) * sizeof *src);             \
                    continue;                                                                \
                }                                                                            \
                /* Ties take the left run's entry first: stable. */                          \
                while (i < mid && j < hi) dst[k++] = LESS(src[j], src[i]) ? src[j++] : src[i++]; \
                while (i < mid) dst[k++] = src[i++];                                         \
                while (j < hi) dst[k++] = src[j++];                                          \
            }                                                                                \
            T *t = src;                                                                      \
            src = dst;                                                                       \
            dst = t;                                                                         \
        }                                                                                    \
        if (src != v) memcpy(v, src, (size_t)n * sizeof *v);                                 \
    }

/* Names in a set are distinct, so stability does not matter here. */
#define BY_NAME_LESS(x, y) by_name_less(&(x), &(y))
NX_DEFINE_RUN_MERGE_SORT(sort_by_name, by_name, BY_NAME_LESS)

nx_attr **nx_attrs_by_name(nx_attrs *a)
{
    uint32_t n = a->h.aux;
    nx_attr **v = nx_xmalloc((n + 1) * sizeof *v);
    if (n <= 8) {
        /* Insertion sort: no qsort call for the small sets that printing
         * and toJSON meet most. */
        for (uint32_t i = 0; i < n; i++) {
            nx_attr *x = &a->a[i];
            uint32_t j = i;
            while (j > 0 && nx_sym_cmp(x->name, v[j - 1]->name) < 0) {
                v[j] = v[j - 1];
                j--;
            }
            v[j] = x;
        }
        return v;
    }
    by_name *e = nx_xmalloc(2 * (size_t)n * sizeof *e);
    for (uint32_t i = 0; i < n; i++) {
        const unsigned char *p = (const unsigned char *)nx_sym_str(a->a[i].name);
        size_t len = nx_sym_len(a->a[i].name);
        uint64_t key = 0;
        for (size_t b = 0; b < 8; b++) key = key << 8 | (b < len ? p[b] : 0);
        e[i] = (by_name){ key, &a->a[i] };
    }
    sort_by_name(e, e + n, n);
    for (uint32_t i = 0; i < n; i++) v[i] = e[i].a;
    free(e);
    return v;
}

#define ATTR_NAME_LESS(x, y) ((x).name < (y).name)
NX_DEFINE_RUN_MERGE_SORT(sort_attrs_by_sym, nx_attr, ATTR_NAME_LESS)

void nx_attrs_sort_stable(nx_attr *a, uint32_t n)
{
    nx_attr *tmp = n > 16 ? nx_xmalloc((size_t)n * sizeof *tmp) : NULL;
    sort_attrs_by_sym(a, tmp, n);
    free(tmp);
}

nx_sym nx_attrs_sort(nx_attrs *a)
{
    uint32_t n = a->h.aux;
    bool sorted = true;
    for (uint32_t i = 1; i < n && sorted; i++)
        if (a->a[i - 1].name >= a->a[i].name) sorted = false;
    if (sorted) return 0;
    nx_attrs_sort_stable(a->a, n);
    for (uint32_t i = 1; i < n; i++)
        if (a->a[i - 1].name == a->a[i].name) return a->a[i].name;
    return 0;
}

nx_list *nx_alloc_list_uninit(uint32_t n)
{
    return alloc_obj(sizeof(nx_list) + (size_t)n * sizeof(nx_value), NX_OBJ_LIST, n);
}

/* ---- position ids -------------------------------------------------------- */

/* Ids are offsets into the sources' id ranges (vm/source.c): no table. */
uint32_t nx_pos_id(nx_pos p) { return p.src ? nx_source_pos_id(p.src, p.off) : 0; }

nx_pos nx_pos_get(uint32_t id)
{
    nx_pos p;
    return nx_source_pos_get(id, &p.src, &p.off) ? p : NX_NOPOS;
}
