/* attrs.c — attribute set builtins. */
#include <stdlib.h>
#include <string.h>

#include "vm/builtins/builtins.h"
#include "vm/source.h"

static int step_attrNames(nx_vm *vm, nx_frame *f)
{
    EXPECT(ARG(0), nx_is_attrs(ARG(0)), "a set");
    nx_attrs *a = nx_attrsp(ARG(0));
    uint32_t n = a->h.aux;
    if (n == 0) RETURN_VALUE(nx_empty_list);
    nx_attr **order = nx_attrs_by_name(a);
    nx_list *l = nx_alloc_list(n);
    for (uint32_t i = 0; i < n; i++) l->v[i] = nx_from_obj(nx_sym_name_string(order[i]->name));
    free(order);
    RETURN_VALUE(nx_from_obj(l));
}

static int step_attrValues(nx_vm *vm, nx_frame *f)
{
    EXPECT(ARG(0), nx_is_attrs(ARG(0)), "a set");
    nx_attrs *a = nx_attrsp(ARG(0));
    uint32_t n = a->h.aux;
    if (n == 0) RETURN_VALUE(nx_empty_list);
    nx_attr **order = nx_attrs_by_name(a);
    nx_list *l = nx_alloc_list(n);
    for (uint32_t i = 0; i < n; i++) l->v[i] = order[i]->value;
    free(order);
    RETURN_VALUE(nx_from_obj(l));
}

static nx_sym name_sym(nx_value s) { return nx_sym_of_string(nx_str(s), nx_str(s)->s, nx_str_len(s), true); }

static int step_hasAttr(nx_vm *vm, nx_frame *f)
{
    EXPECT(ARG(0), nx_is_string(ARG(0)), "a string");
    EXPECT_NO_CTX(ARG(0));
    EXPECT(ARG(1), nx_is_attrs(ARG(1)), "a set");
    RETURN_VALUE(nx_bool(nx_attrs_find(ARG(1), name_sym(ARG(0))) != NULL));
}

static int step_getAttr(nx_vm *vm, nx_frame *f)
{
    EXPECT(ARG(0), nx_is_string(ARG(0)), "a string");
    EXPECT_NO_CTX(ARG(0));
    EXPECT(ARG(1), nx_is_attrs(ARG(1)), "a set");
    nx_attr *a = nx_attrs_find(ARG(1), name_sym(ARG(0)));
    if (!a) FAIL("attribute '%s' missing", nx_str(ARG(0))->s);
    nx_value v = a->value;
    NEED(v);
    a->value = v;
    RETURN_VALUE(v);
}

/* removeAttrs set names — slot 0: the index of the first name not yet
 * forced and checked, so each force resumes there (from the start, a
 * list of n unevaluated names cost n^2/2 checks). */
static int step_removeAttrs(nx_vm *vm, nx_frame *f)
{
    nx_value set = ARG(0), names = ARG(1);
    EXPECT(set, nx_is_attrs(set), "a set");
    EXPECT(names, nx_is_list(names), "a list");
    uint32_t m = nx_list_len(names);
    if (f->state == 0) {
        SLOT(0) = nx_mk_smallint(0);
        f->state = 1;
    }
    for (uint32_t i = (uint32_t)nx_smallint(SLOT(0)); i < m; i++) {
        nx_value s = nx_listp(names)->v[i];
        NEED(s);
        nx_listp(names)->v[i] = s;
        EXPECT(s, nx_is_string(s), "a string");
        SLOT(0) = nx_mk_smallint(i + 1);
    }
    nx_attrs *a = nx_attrsp(set);
    /* Mark the attributes named (each name looked up once, not interned:
     * a name no symbol has cannot be in the set), then copy the rest. */
    uint32_t n = a->h.aux, ndrop = 0;
    uint8_t small[256], *drop = n <= sizeof small ? small : nx_xmalloc(n);
    memset(drop, 0, n);
    for (uint32_t j = 0; j < m; j++) {
        nx_value s = nx_listp(names)->v[j];
        nx_sym sym = nx_sym_of_string(nx_str(s), nx_str(s)->s, nx_str_len(s), false);
        nx_attr *x = sym ? nx_attrs_get(a, sym) : NULL;
        if (x && !drop[x - a->a]) drop[x - a->a] = 1, ndrop++;
    }
    /* A new set even when nothing goes: printing marks repeats by object
     * identity, as CppNix does by Value. */
    if (ndrop == n) {
        if (drop != small) free(drop);
        RETURN_VALUE(nx_empty_attrs);
    }
    nx_attrs *r = nx_alloc_attrs(n - ndrop);
    uint32_t k = 0;
    for (uint32_t i = 0; i < n; i++)
        if (!drop[i]) r->a[k++] = a->a[i];
    if (drop != small) free(drop);
    r->h.aux = k;
    RETURN_VALUE(k ? nx_from_obj(r) : nx_empty_attrs);
}

/* listToAttrs list — slots: 0 index, 1 scratch set (aux = entries so far). */
static int step_listToAttrs(nx_vm *vm, nx_frame *f)
{
    static nx_sym s_name, s_value;
    if (!s_name) {
        s_name = nx_sym_intern_cstr("name");
        s_value = nx_sym_intern_cstr("value");
    }
    nx_value list = ARG(0);
    EXPECT(list, nx_is_list(list), "a list");
    uint32_t n = nx_list_len(list);
    if (f->state == 0) {
        nx_attrs *s = nx_alloc_attrs(n);
        s->h.aux = 0;
        SLOT(0) = nx_mk_smallint(0);
        SLOT(1) = nx_from_obj(s);
        f->state = 1;
    }
    nx_attrs *out = nx_attrsp(SLOT(1));
    for (int64_t i = nx_smallint(SLOT(0)); i < n; i++) {
        nx_value e = nx_listp(list)->v[i];
        NEED(e);
        nx_listp(list)->v[i] = e;
        EXPECT(e, nx_is_attrs(e), "a set");
        nx_attr *na = nx_attrs_find(e, s_name);
        if (!na) FAIL("attribute 'name' missing");
        nx_value name = na->value;
        NEED(name);
        na->value = name;
        EXPECT(name, nx_is_string(name), "a string");
        nx_attr *va = nx_attrs_find(e, s_value);
        if (!va) FAIL("attribute 'value' missing");
        /* pos holds the index for now, so sorting keeps the first. */
        out->a[out->h.aux++] = (nx_attr){ name_sym(name), (uint32_t)i, va->value };
        SLOT(0) = nx_mk_smallint(i + 1);
    }
    uint32_t k = out->h.aux;
    /* pos is the list index, so entries already in name order (names
     * made in order, as genList makes them) are sorted by (name, pos),
     * and a stable sort by name sorts by (name, pos). */
    uint32_t d = 1;
    while (d < k && out->a[d - 1].name <= out->a[d].name) d++;
    if (d < k) nx_attrs_sort_stable(out->a, k);
    uint32_t m = 0;
    for (uint32_t i = 0; i < k; i++) {
        if (m && out->a[m - 1].name == out->a[i].name) continue;
        out->a[m] = out->a[i];
        /* The position of the element's `value` (unsafeGetAttrPos), as
         * CppNix. */
        nx_value e = nx_deref(nx_listp(list)->v[out->a[i].pos]);
        out->a[m].pos = nx_attrs_find(e, s_value)->pos;
        m++;
    }
    out->h.aux = m;
    RETURN_VALUE(m ? SLOT(1) : nx_empty_attrs);
}

static int step_mapAttrs(nx_vm *vm, nx_frame *f)
{
    nx_value fn = ARG(0), set = ARG(1);
    EXPECT(set, nx_is_attrs(set), "a set");
    nx_attrs *a = nx_attrsp(set);
    if (a->h.aux == 0) RETURN_VALUE(set);
    nx_attrs *r = nx_alloc_attrs(a->h.aux);
    for (uint32_t i = 0; i < a->h.aux; i++) {
        nx_value name = nx_from_obj(nx_sym_name_string(a->a[i].name));
        /* no position, as CppNix (unsafeGetAttrPos gives null) */
        r->a[i] = (nx_attr){ a->a[i].name, 0, nx_mk_app_thunk(nx_mk_app_thunk(fn, name), a->a[i].value) };
    }
    RETURN_VALUE(nx_from_obj(r));
}

static int step_intersectAttrs(nx_vm *vm, nx_frame *f)
{
    EXPECT(ARG(0), nx_is_attrs(ARG(0)), "a set");
    EXPECT(ARG(1), nx_is_attrs(ARG(1)), "a set");
    /* Walk the smaller set and look names up in the larger one (callPackage
     * intersects a function's few arguments with all of nixpkgs); the
     * values come from b.  Both are sorted by symbol, so is the result.
     * The larger set is searched as it is: a layered one (`//`, see
     * vm/ops.c) is not flattened, which would copy all of nixpkgs again
     * for each scope callPackage is given. */
    uint32_t na = nx_attrs_count(ARG(0)), nb = nx_attrs_count(ARG(1));
    uint32_t n = na < nb ? na : nb;
    if (n == 0) RETURN_VALUE(nx_empty_attrs);
    nx_attrs *r = nx_alloc_attrs(n);
    uint32_t k = 0;
    if (na < nb) {
        nx_attrs *a = nx_attrsp(ARG(0));
        for (uint32_t i = 0; i < na; i++) {
            nx_attr *x = nx_attrs_find(ARG(1), a->a[i].name);
            if (x) r->a[k++] = *x;
        }
    } else {
        nx_attrs *b = nx_attrsp(ARG(1));
        for (uint32_t i = 0; i < nb; i++)
            if (nx_attrs_find(ARG(0), b->a[i].name)) r->a[k++] = b->a[i];
    }
    r->h.aux = k;
    RETURN_VALUE(k ? nx_from_obj(r) : nx_empty_attrs);
}

/* unsafeGetAttrPos name set: { column; file; line; } of the attribute's
 * definition, or null when it has none or was not defined in a file
 * (modern CppNix's mkPos). */
static int step_unsafeGetAttrPos(nx_vm *vm, nx_frame *f)
{
    EXPECT(ARG(0), nx_is_string(ARG(0)), "a string");
    EXPECT(ARG(1), nx_is_attrs(ARG(1)), "a set");
    nx_attr *at = nx_attrs_find(ARG(1), nx_sym_intern(nx_str(ARG(0))->s, nx_str_len(ARG(0))));
    if (!at || !at->pos) RETURN_VALUE(NX_NULL);
    nx_pos p = nx_pos_get(at->pos);
    nx_source *src = nx_source_get(p.src);
    if (!src || !src->is_file) RETURN_VALUE(NX_NULL);
    uint32_t line = 0, col = 0;
    nx_source_linecol(src, p.off, &line, &col);
    nx_attrs *a = nx_alloc_attrs(3);
    a->a[0] = (nx_attr){ nx_sym_intern_cstr("file"), 0, nx_mk_cstring(src->name) };
    a->a[1] = (nx_attr){ nx_sym_intern_cstr("line"), 0, nx_mk_int(line) };
    a->a[2] = (nx_attr){ nx_sym_intern_cstr("column"), 0, nx_mk_int(col) };
    nx_attrs_sort(a);
    RETURN_VALUE(nx_from_obj(a));
}

static const nx_builtin table[] = {
    { "unsafeGetAttrPos", 2, 3, 0, false, step_unsafeGetAttrPos },
    { "attrNames", 1, 1, 0, false, step_attrNames },
    { "attrValues", 1, 1, 0, false, step_attrValues },
    { "hasAttr", 2, 3, 0, false, step_hasAttr },
    { "getAttr", 2, 3, 0, false, step_getAttr },
    { "removeAttrs", 2, 3, 1, false, step_removeAttrs },
    { "listToAttrs", 1, 1, 2, false, step_listToAttrs },
    { "mapAttrs", 2, 2, 0, false, step_mapAttrs },
    { "intersectAttrs", 2, 3, 0, false, step_intersectAttrs },
};

const nx_builtin_table nx_builtins_attrs = { table, NX_ARRAY_LEN(table) };
