/* walk.c — frame-slot data structures for builtins that traverse deep
 * values (toJSON's forcing walk, toXML): a growable stack kept in a list
 * object, and a set of visited lists and sets (an open-addressing table of
 * object addresses in the bytes of a string object, which the collector
 * does not trace: the objects are reachable from the argument).  Both
 * live in the builtin's slots with their counts, so they survive the
 * steps between forces.  All of these may allocate. */
#include <stdlib.h>
#include <string.h>

#include "vm/builtins/builtins.h"

nx_value nx_walk_list(uint32_t cap)
{
    nx_list *l = nx_alloc_list(cap);
    for (uint32_t i = 0; i < cap; i++) l->v[i] = NX_NULL;
    return nx_from_obj(l);
}

void nx_walk_push(nx_frame *f, int list, int len, nx_value v)
{
    uint32_t n = (uint32_t)nx_smallint(SLOT(len)), cap = nx_list_len(SLOT(list));
    if (n == cap) {
        nx_value g = nx_walk_list(cap * 2);
        memcpy(nx_listp(g)->v, nx_listp(SLOT(list))->v, n * sizeof(nx_value));
        SLOT(list) = g;
    }
    nx_listp(SLOT(list))->v[n] = v;
    SLOT(len) = nx_mk_smallint(n + 1);
}

void nx_walk_begin(nx_frame *f, int list, int len, int table, int count, nx_value root)
{
    SLOT(list) = nx_walk_list(64);
    SLOT(len) = nx_mk_smallint(0);
    SLOT(table) = nx_walk_table(256);
    SLOT(count) = nx_mk_smallint(0);
    nx_walk_push(f, list, len, root);
}

nx_value nx_walk_table(uint32_t cap)
{
    nx_string *s = nx_alloc_string((size_t)cap * sizeof(uint64_t), NX_OBJ_STRING);
    memset(s->s, 0, (size_t)cap * sizeof(uint64_t));
    return nx_from_obj(s);
}

bool nx_walk_seen_add(nx_frame *f, int table, int count, nx_value v)
{
    uint32_t cap = nx_str_len(SLOT(table)) / sizeof(uint64_t);
    uint32_t n = (uint32_t)nx_smallint(SLOT(count));
    if ((n + 1) * 2 > cap) {
        nx_value t = nx_walk_table(cap * 2);
        uint64_t *old = (uint64_t *)nx_str(SLOT(table))->s, *nt = (uint64_t *)nx_str(t)->s;
        for (uint32_t i = 0; i < cap; i++)
            if (old[i]) {
                uint32_t h = (uint32_t)nx_ptr_slot(old[i], cap * 2);
                while (nt[h]) h = (h + 1) & (cap * 2 - 1);
                nt[h] = old[i];
            }
        SLOT(table) = t;
        cap *= 2;
    }
    uint64_t *tab = (uint64_t *)nx_str(SLOT(table))->s;
    uint32_t h = (uint32_t)nx_ptr_slot(v, cap);
    while (tab[h]) {
        if (tab[h] == v) return false;
        h = (h + 1) & (cap - 1);
    }
    tab[h] = v;
    SLOT(count) = nx_mk_smallint(n + 1);
    return true;
}

void nx_walk_push_children(nx_frame *f, int list, int len, int table, int count, nx_value v)
{
    static nx_sym s_outpath;
    if (!s_outpath) s_outpath = nx_sym_intern_cstr("outPath");
    if (nx_is_attrs(v)) {
        nx_attr *o = nx_attrs_get(nx_attrsp(v), s_outpath);
        if (o) nx_walk_push(f, list, len, o->value);
        else if (nx_walk_seen_add(f, table, count, v)) {
            nx_attr **order = nx_attrs_by_name(nx_attrsp(v));
            for (uint32_t i = nx_attrsp(v)->h.aux; i-- > 0;) nx_walk_push(f, list, len, order[i]->value);
            free(order);
        }
    } else if (nx_is_list(v) && nx_walk_seen_add(f, table, count, v)) {
        for (uint32_t i = nx_list_len(v); i-- > 0;) nx_walk_push(f, list, len, nx_listp(v)->v[i]);
    }
}
