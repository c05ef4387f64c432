/* more.c — further list, set and environment builtins: elem, any, all,
 * concatMap, partition, groupBy, catAttrs, zipAttrsWith, functionArgs,
 * getEnv.  (hashString lives in store.c.) */
#include <stdlib.h>
#include <string.h>

#include "vm/builtins/builtins.h"
#include "vm/code.h"

#define I(v) nx_smallint(v)
#define MKI(i) nx_mk_smallint(i)

/* elem x list — slot 0: index of the next element to compare. */
static int step_elem(nx_vm *vm, nx_frame *f)
{
    nx_value list = ARG(1);
    EXPECT(list, nx_is_list(list), "a list");
    for (int64_t i = nx_is_int(SLOT(0)) ? I(SLOT(0)) : 0; i < nx_list_len(list); i++) {
        SLOT(0) = MKI(i);
        nx_value pending = NX_NOVALUE;
        int r = nx_deep_eq(ARG(0), nx_listp(list)->v[i], &pending);
        if (r < 0) {
            vm->req = pending;
            return NX_STEP_FORCE;
        }
        if (r == 1) RETURN_VALUE(NX_TRUE);
    }
    RETURN_VALUE(NX_FALSE);
}

/* any/all pred list — slot 0: index; stops at the first decisive result. */
NX_STATES(quant, "any all", QUANT_LOOP, QUANT_TESTED);

static int quantify(nx_vm *vm, nx_frame *f, bool any)
{
    nx_value list = ARG(1);
    EXPECT(list, nx_is_list(list), "a list");
    if (f->state == QUANT_TESTED) {
        nx_value r = RESULT();
        EXPECT(r, r == NX_TRUE || r == NX_FALSE, "a Boolean");
        if ((r == NX_TRUE) == any) RETURN_VALUE(nx_bool(any));
        SLOT(0) = MKI(I(SLOT(0)) + 1);
    }
    int64_t i = nx_is_int(SLOT(0)) ? I(SLOT(0)) : 0;
    if (i >= nx_list_len(list)) RETURN_VALUE(nx_bool(!any));
    SLOT(0) = MKI(i);
    CALL(ARG(0), nx_listp(list)->v[i], QUANT_TESTED);
}

static int step_any(nx_vm *vm, nx_frame *f) { return quantify(vm, f, true); }
static int step_all(nx_vm *vm, nx_frame *f) { return quantify(vm, f, false); }

/* The common state machine of concatMap, partition and groupBy: apply
 * ARG(0) to every element of ARG(1) in order, keeping result i in the list
 * SLOT(1) (slot 0 is the index); with `force`, each element is forced
 * before the call (CppNix's partition does).  Returns NX_STEP_CALL or
 * NX_STEP_FORCE while working, an error status, or COLLECTED once every
 * result is in and has the type `want` (checked with `ok`). */
NX_STATES(collect, "concatMap partition groupBy", COLLECT_LOOP, COLLECT_APPLIED);
#define COLLECTED (-1)

static int collect(nx_vm *vm, nx_frame *f, bool (*ok)(nx_value), const char *want, bool force)
{
    nx_value list = ARG(1);
    EXPECT(list, nx_is_list(list), "a list");
    uint32_t n = nx_list_len(list);
    if (f->state == COLLECT_LOOP && !nx_is_int(SLOT(0))) {
        SLOT(0) = MKI(0);
        SLOT(1) = nx_from_obj(nx_alloc_list(n));
    }
    if (f->state == COLLECT_APPLIED) {
        nx_value r = RESULT();
        EXPECT(r, ok(r), want);
        nx_listp(SLOT(1))->v[I(SLOT(0))] = r;
        SLOT(0) = MKI(I(SLOT(0)) + 1);
    }
    int64_t i = I(SLOT(0));
    if (i < n) {
        if (force) {
            f->state = COLLECT_LOOP; /* resumed here after the force */
            NEED(nx_listp(list)->v[i]);
        }
        CALL(ARG(0), nx_listp(list)->v[i], COLLECT_APPLIED);
    }
    return COLLECTED;
}

static bool is_list(nx_value v) { return nx_is_list(v); }
static bool is_bool(nx_value v) { return v == NX_TRUE || v == NX_FALSE; }
static bool is_string(nx_value v) { return nx_is_string(v); }

static int step_concatMap(nx_vm *vm, nx_frame *f)
{
    int r = collect(vm, f, is_list, "a list", false);
    if (r != COLLECTED) return r;
    uint32_t n = nx_list_len(ARG(1));
    uint64_t total = 0;
    for (uint32_t k = 0; k < n; k++) total += nx_list_len(nx_listp(SLOT(1))->v[k]);
    if (!total) RETURN_VALUE(nx_empty_list);
    nx_list *out = nx_alloc_list((uint32_t)total);
    uint32_t o = 0;
    for (uint32_t k = 0; k < n; k++) {
        nx_value l = nx_listp(SLOT(1))->v[k];
        memcpy(out->v + o, nx_listp(l)->v, nx_list_len(l) * sizeof(nx_value));
        o += nx_list_len(l);
    }
    RETURN_VALUE(nx_from_obj(out));
}

static int step_partition(nx_vm *vm, nx_frame *f)
{
    static nx_sym s_right, s_wrong;
    if (!s_right) {
        s_right = nx_sym_intern_cstr("right");
        s_wrong = nx_sym_intern_cstr("wrong");
    }
    int st = collect(vm, f, is_bool, "a Boolean", true);
    if (st != COLLECTED) return st;
    nx_value list = ARG(1);
    uint32_t n = nx_list_len(list), nr = 0;
    for (uint32_t k = 0; k < n; k++) nr += nx_listp(SLOT(1))->v[k] == NX_TRUE;
    nx_list *right = nx_alloc_list(nr), *wrong = nx_alloc_list(n - nr);
    uint32_t a = 0, b = 0;
    for (uint32_t k = 0; k < n; k++) {
        if (nx_listp(SLOT(1))->v[k] == NX_TRUE) right->v[a++] = nx_listp(list)->v[k];
        else wrong->v[b++] = nx_listp(list)->v[k];
    }
    nx_attrs *r = nx_alloc_attrs(2);
    r->a[0] = (nx_attr){ s_right, 0, nr ? nx_from_obj(right) : nx_empty_list };
    r->a[1] = (nx_attr){ s_wrong, 0, n - nr ? nx_from_obj(wrong) : nx_empty_list };
    nx_attrs_sort(r);
    RETURN_VALUE(nx_from_obj(r));
}

static int step_groupBy(nx_vm *vm, nx_frame *f)
{
    int st = collect(vm, f, is_string, "a string", false);
    if (st != COLLECTED) return st;
    nx_value list = ARG(1);
    uint32_t n = nx_list_len(list);
    /* Group in order of first appearance; each group keeps list order. */
    nx_sym *syms = nx_xmalloc((n + 1) * sizeof *syms);
    uint32_t *count = nx_xcalloc(n + 1, sizeof *count);
    uint32_t ng = 0;
    nx_sym *gsym = nx_xmalloc((n + 1) * sizeof *gsym);
    for (uint32_t k = 0; k < n; k++) {
        nx_value s = nx_listp(SLOT(1))->v[k];
        syms[k] = nx_sym_intern(nx_str(s)->s, nx_str_len(s));
        uint32_t g = 0;
        while (g < ng && gsym[g] != syms[k]) g++;
        if (g == ng) gsym[ng++] = syms[k];
        count[g]++;
    }
    nx_attrs *r = nx_alloc_attrs(ng);
    for (uint32_t g = 0; g < ng; g++) {
        nx_list *l = nx_alloc_list(count[g]);
        uint32_t o = 0;
        for (uint32_t k = 0; k < n; k++)
            if (syms[k] == gsym[g]) l->v[o++] = nx_listp(list)->v[k];
        r->a[g] = (nx_attr){ gsym[g], 0, nx_from_obj(l) };
    }
    free(syms);
    free(count);
    free(gsym);
    nx_attrs_sort(r);
    RETURN_VALUE(ng ? nx_from_obj(r) : nx_empty_attrs);
}

/* catAttrs name list — the elements must be sets (forced in order). */
static int step_catAttrs(nx_vm *vm, nx_frame *f)
{
    EXPECT(ARG(0), nx_is_string(ARG(0)), "a string");
    nx_value list = ARG(1);
    EXPECT(list, nx_is_list(list), "a list");
    uint32_t n = nx_list_len(list);
    for (int64_t i = nx_is_int(SLOT(0)) ? I(SLOT(0)) : 0; i < n; i++) {
        nx_value e = nx_listp(list)->v[i];
        SLOT(0) = MKI(i);
        NEED(e);
        nx_listp(list)->v[i] = e;
        EXPECT(e, nx_is_attrs(e), "a set");
    }
    nx_sym s = nx_sym_intern(nx_str(ARG(0))->s, nx_str_len(ARG(0)));
    nx_list *out = nx_alloc_list(n);
    uint32_t k = 0;
    for (uint32_t i = 0; i < n; i++) {
        nx_attr *a = nx_attrs_find(nx_listp(list)->v[i], s);
        if (a) out->v[k++] = a->value;
    }
    out->h.aux = k;
    RETURN_VALUE(k ? nx_from_obj(out) : nx_empty_list);
}

/* zipAttrsWith f sets — f name [values...] lazily, per name. */
static int step_zipAttrsWith(nx_vm *vm, nx_frame *f)
{
    nx_value list = ARG(1);
    EXPECT(list, nx_is_list(list), "a list");
    uint32_t n = nx_list_len(list);
    for (int64_t i = nx_is_int(SLOT(0)) ? I(SLOT(0)) : 0; i < n; i++) {
        nx_value e = nx_listp(list)->v[i];
        SLOT(0) = MKI(i);
        NEED(e);
        nx_listp(list)->v[i] = e;
        EXPECT(e, nx_is_attrs(e), "a set");
    }
    uint32_t total = 0;
    for (uint32_t i = 0; i < n; i++) total += nx_attrsp(nx_listp(list)->v[i])->h.aux;
    nx_sym *names = nx_xmalloc((total + 1) * sizeof *names);
    uint32_t nn = 0;
    for (uint32_t i = 0; i < n; i++) {
        nx_attrs *a = nx_attrsp(nx_listp(list)->v[i]);
        for (uint32_t j = 0; j < a->h.aux; j++) {
            uint32_t k = 0;
            while (k < nn && names[k] != a->a[j].name) k++;
            if (k == nn) names[nn++] = a->a[j].name;
        }
    }
    nx_attrs *r = nx_alloc_attrs(nn);
    for (uint32_t k = 0; k < nn; k++) {
        uint32_t c = 0;
        for (uint32_t i = 0; i < n; i++) c += nx_attrs_find(nx_listp(list)->v[i], names[k]) != NULL;
        nx_list *vals = nx_alloc_list(c);
        uint32_t o = 0;
        for (uint32_t i = 0; i < n; i++) {
            nx_attr *a = nx_attrs_find(nx_listp(list)->v[i], names[k]);
            if (a) vals->v[o++] = a->value;
        }
        nx_value name = nx_from_obj(nx_sym_name_string(names[k]));
        r->a[k] = (nx_attr){ names[k], 0, nx_mk_app_thunk(nx_mk_app_thunk(ARG(0), name), nx_from_obj(vals)) };
    }
    free(names);
    nx_attrs_sort(r);
    RETURN_VALUE(nn ? nx_from_obj(r) : nx_empty_attrs);
}

/* functionArgs f — formals with a default map to true, others to false. */
static int step_functionArgs(nx_vm *vm, nx_frame *f)
{
    nx_value fn = ARG(0);
    if (nx_is_type(fn, NX_OBJ_PRIMOP) || nx_is_type(fn, NX_OBJ_PAPP)) RETURN_VALUE(nx_empty_attrs);
    EXPECT(fn, nx_is_type(fn, NX_OBJ_CLOSURE), "a function");
    const nx_lambda_code *c = nx_code_lambda(((nx_closure *)nx_obj_of(fn))->code);
    if (!c->has_formals || !c->nformals) RETURN_VALUE(nx_empty_attrs);
    nx_attrs *r = nx_alloc_attrs(c->nformals);
    for (uint32_t i = 0; i < c->nformals; i++)
        r->a[i] = (nx_attr){ c->formals[i].name, 0, nx_bool(c->formals[i].def >= 0 || c->formals[i].constant || c->formals[i].alias_level >= 0) };
    nx_attrs_sort(r);
    RETURN_VALUE(nx_from_obj(r));
}

static int step_getEnv(nx_vm *vm, nx_frame *f)
{
    EXPECT(ARG(0), nx_is_string(ARG(0)), "a string");
    const char *v = getenv(nx_str(ARG(0))->s);
    RETURN_VALUE(v && *v ? nx_mk_cstring(v) : nx_empty_string);
}

static const nx_builtin table[] = {
    { "elem", 2, 2, 1, false, step_elem },
    { "any", 2, 3, 1, false, step_any },
    { "all", 2, 3, 1, false, step_all },
    { "concatMap", 2, 3, 2, false, step_concatMap },
    { "partition", 2, 3, 2, false, step_partition },
    { "groupBy", 2, 3, 2, false, step_groupBy },
    { "catAttrs", 2, 3, 1, false, step_catAttrs },
    { "zipAttrsWith", 2, 2, 1, false, step_zipAttrsWith },
    { "functionArgs", 1, 1, 0, false, step_functionArgs },
    { "getEnv", 1, 1, 0, false, step_getEnv },
};

const nx_builtin_table nx_builtins_more = { table, NX_ARRAY_LEN(table) };
