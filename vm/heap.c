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
    uint32_t n = a->h.aux;
    for (uint32_t i = 0; i < n; i++) v[i] = &a->a[i];
    if (n > 24) {
        qsort(v, n, sizeof *v, cmp_attr_name);
        return v;
    }
    /* Insertion sort: most sets are small, and glibc's qsort (a merge
     * sort through a function pointer) cost more than the comparisons. */
    for (uint32_t i = 1; i < n; i++) {
        nx_attr *x = v[i];
        uint32_t j = i;
        while (j > 0 && nx_sym_cmp(v[j - 1]->name, x->name) > 0) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
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

/* Ids are offsets into the sources' id ranges (vm/source.c): no table. */
uint32_t nx_pos_id(nx_pos p) { return p.src ? nx_source_pos_id(p.src, p.off) : 0; }

nx_pos nx_pos_get(uint32_t id)
{
    nx_pos p;
    return nx_source_pos_get(id, &p.src, &p.off) ? p : NX_NOPOS;
}
