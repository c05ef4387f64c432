/* context.c — string context accumulation (see context.h). */
#include "vm/store/context.h"

#include <stdlib.h>
#include <string.h>

#include "vm/heap.h"
#include "vm/print_value.h"
#include "vm/store/path.h"

static void push(nx_ctxacc *a, const char *s, size_t n)
{
    if (a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 8;
        a->v = nx_xrealloc(a->v, a->cap * sizeof *a->v);
    }
    a->v[a->n++] = nx_xstrndup(s, n);
}

static void expand_single(nx_ctxacc *a)
{
    const nx_context *c = a->single;
    a->single = NULL;
    for (const char *e = nx_ctx_first(c); e; e = nx_ctx_next(c, e)) push(a, e, strlen(e));
}

void nx_ctx_add(nx_ctxacc *a, const char *s, size_t n)
{
    if (a->single) expand_single(a);
    a->mixed = true;
    push(a, s, n);
}

void nx_ctx_add_all(nx_ctxacc *a, const nx_context *c)
{
    if (!c || !c->h.aux || c == a->single) return;
    if (!a->mixed && !a->single) {
        a->single = c;
        return;
    }
    if (a->single) expand_single(a);
    a->mixed = true;
    for (const char *e = nx_ctx_first(c); e; e = nx_ctx_next(c, e)) push(a, e, strlen(e));
}

static int cmp(const void *x, const void *y) { return strcmp(*(char *const *)x, *(char *const *)y); }

const nx_context *nx_ctx_make(nx_ctxacc *a)
{
    if (a->single) return a->single;
    if (!a->n) return NULL;
    nx_sort_nearly(a->v, a->n, sizeof *a->v, cmp);
    size_t bytes = 0, k = 0;
    for (size_t i = 0; i < a->n; i++) {
        if (i && strcmp(a->v[i], a->v[i - 1]) == 0) continue;
        bytes += strlen(a->v[i]) + 1;
        k++;
    }
    nx_context *c = nx_heap_alloc(sizeof *c + bytes);
    c->h = (nx_obj){ NX_OBJ_CONTEXT, 0, 0, (uint32_t)k };
    c->bytes = (uint32_t)bytes;
    c->pad = 0;
    char *o = c->data;
    for (size_t i = 0; i < a->n; i++) {
        if (i && strcmp(a->v[i], a->v[i - 1]) == 0) continue;
        size_t l = strlen(a->v[i]) + 1;
        memcpy(o, a->v[i], l);
        o += l;
    }
    return c;
}

void nx_ctx_free(nx_ctxacc *a)
{
    for (size_t i = 0; i < a->n; i++) free(a->v[i]);
    free(a->v);
    memset(a, 0, sizeof *a);
}

const nx_context *nx_ctx_finish(nx_ctxacc *a)
{
    const nx_context *c = nx_ctx_make(a);
    nx_ctx_free(a);
    return c;
}

bool nx_ctx_collect_deep(nx_ctxacc *a, nx_value v, const struct nx_json_strs *t, char **err)
{
    static nx_sym s_outpath;
    if (!s_outpath) s_outpath = nx_sym_intern_cstr("outPath");
    size_t cap = 64, n = 0, visited = 0;
    nx_value *work = nx_xmalloc(cap * sizeof *work);
    work[n++] = v;
    bool ok = true;
    while (n && ok) {
        nx_value x = nx_deref(work[--n]);
        if (++visited > 50000000) break; /* a cycle: the printer reports it */
        uint32_t m = 0;
        if (nx_is_string(x)) nx_ctx_add_all(a, nx_str(x)->ctx);
        else if (nx_is_path(x)) {
            const char *sp = nx_store_copy_path(nx_str(x)->s, err);
            if (!sp) ok = false;
            else nx_ctx_add(a, sp, strlen(sp));
        } else if (nx_is_list(x)) m = nx_list_len(x);
        else if (nx_is_attrs(x)) {
            nx_value s = t ? nx_json_strs_get(t, x) : NX_NOVALUE;
            if (s != NX_NOVALUE) {
                nx_ctx_add_all(a, nx_str(s)->ctx);
                continue;
            }
            nx_attr *o = nx_attrs_get(nx_attrsp(x), s_outpath);
            if (o) {
                work[n++] = o->value;
                continue;
            }
            m = nx_attrsp(x)->h.aux;
        }
        if (n + m >= cap) {
            cap = (n + m) * 2;
            work = nx_xrealloc(work, cap * sizeof *work);
        }
        for (uint32_t i = m; i-- > 0;) work[n++] = nx_is_list(x) ? nx_listp(x)->v[i] : nx_attrsp(x)->a[i].value;
    }
    free(work);
    return ok;
}
