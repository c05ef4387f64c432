/* walk.c — frame-slot data structures for builtins that traverse deep
 * values (toJSON's forcing walk, toXML): a growable stack kept in a list
 * object, and a set of visited lists and sets (an open-addressing table of
 * object addresses in the bytes of a string object, which the collector
 * does not trace: the objects are reachable from the argument).  Both
 * live in the builtin's slots with their counts, so they survive the
 * steps between forces.  All of these may allocate.  On them, the JSON
 * forcing walk of toJSON and structured derivations (nx_json_walk). */
#include <stdlib.h>
#include <string.h>

#include "vm/builtins/builtins.h"
#include "vm/print_value.h"
#include "vm/store/context.h"
#include "vm/store/path.h"

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

/* Pushes what the JSON printer prints of v, last first, so the walk pops
 * it in the printer's order: a set with an outPath only that, another
 * set its values by name (the first failing attribute is CppNix's;
 * vm/trace.c finds the path the same way), a list its elements; a set or
 * list visited already, nothing. */
static void push_children(nx_frame *f, int list, int len, int table, int count, nx_value v)
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

/* tryAttrsToString's coercion of the result of x's __toString (no
 * copyMore, a path as its text), resumable (nx_coerce_resume, its state
 * in the slots from st): 1 with *out the string (its context kept) and
 * the state cleared, 0 on an error, -1 with vm->req to force before
 * calling again with the same x.  Allocates. */
static int tostring(nx_vm *vm, nx_frame *f, int st, nx_value x, nx_value *out)
{
    nx_buf b = { 0 };
    nx_ctxacc ctx = { 0 };
    nx_value pending = NX_NOVALUE;
    int r = nx_coerce_resume(vm, &b, &ctx, &SLOT(st), x, NX_COERCE_PATH_TEXT, &pending);
    if (r < 0) vm->req = pending;
    if (r == 1) {
        *out = nx_mk_string(b.data ? b.data : "", b.len, nx_ctx_finish(&ctx));
        for (int k = 0; k < NX_COERCE_NSTATE; k++) SLOT(st + k) = NX_NULL;
    }
    nx_ctx_free(&ctx);
    nx_buf_free(&b);
    return r < 0 ? -1 : r;
}

int nx_json_walk(nx_vm *vm, nx_frame *f, int base, nx_value root)
{
    static nx_sym s_tostring;
    if (!s_tostring) s_tostring = nx_sym_intern_cstr("__toString");
    const int stack = base + NX_JW_STACK, n = base + NX_JW_N, seen = base + NX_JW_SEEN, nseen = base + NX_JW_NSEEN,
              strs = base + NX_JW_STRS, nstrs = base + NX_JW_NSTRS;
    if (!nx_is_smallint(SLOT(n))) nx_walk_begin(f, stack, n, seen, nseen, root);
    for (uint32_t k; (k = (uint32_t)nx_smallint(SLOT(n)));) {
        nx_value x = nx_listp(SLOT(stack))->v[k - 1];
        NEED(x);
        int type = nx_objtype_of(x);
        if (type == NX_OBJ_ATTRS && nx_attrs_find(x, s_tostring)) {
            /* Stays on the stack until its string is made: the step
             * after each force comes back to it.  Called at each place
             * the set is printed, as CppNix does. */
            nx_value s = NX_NOVALUE;
            int r = tostring(vm, f, base + NX_JW_COERCE, x, &s);
            if (r < 0) return NX_STEP_FORCE;
            if (r == 0) return NX_STEP_ERROR;
            if (!nx_is_list(SLOT(strs))) {
                SLOT(strs) = nx_walk_list(16);
                SLOT(nstrs) = nx_mk_smallint(0);
            }
            nx_walk_push(f, strs, nstrs, x);
            nx_walk_push(f, strs, nstrs, s);
            SLOT(n) = nx_mk_smallint(k - 1);
            continue;
        }
        /* The printer's own errors, where it would meet them: nothing
         * after them is forced. */
        if (type == NX_OBJ_CLOSURE || type == NX_OBJ_PRIMOP || type == NX_OBJ_PAPP) {
            nx_json_unconvertible(vm, x);
            return NX_STEP_ERROR;
        }
        if (type == NX_OBJ_PATH) {
            char *err = NULL;
            if (!nx_store_copy_path(nx_str(x)->s, &err)) {
                nx_vm_error(vm, NX_NOPOS, "%s", err);
                free(err);
                return NX_STEP_ERROR;
            }
        }
        SLOT(n) = nx_mk_smallint(k - 1);
        if (type == NX_OBJ_ATTRS || type == NX_OBJ_LIST) push_children(f, stack, n, seen, nseen, x);
    }
    for (int k = stack; k <= nseen; k++) SLOT(k) = NX_NULL;
    return -1;
}
