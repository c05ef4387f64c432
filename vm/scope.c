/* scope.c — static scope resolution (CppNix's bindVars). */
#include "vm/scope.h"

#include <stdlib.h>
#include <string.h>

#include "vm/print_ast.h"

enum { S_LAMBDA, S_ATTRS, S_WITH, S_NAMES };

typedef struct scope {
    const struct scope *up;
    int kind;
    const nx_n_lambda *lam;   /* S_LAMBDA */
    const nx_n_attrs *attrs;  /* S_ATTRS (let, rec) */
    const nx_sym *names;      /* S_NAMES: sorted by symbol id */
    uint32_t nnames;
} scope;

typedef struct resolver {
    nx_error *err;
    bool failed;
    bool sorted;           /* visit attributes by name (CppNix's order) */
} resolver;

static int lookup_in(const scope *s, nx_sym name)
{
    if (s->kind == S_NAMES) {
        uint32_t lo = 0, hi = s->nnames;
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2;
            if (s->names[mid] == name) return (int)mid;
            if (s->names[mid] < name) lo = mid + 1;
            else hi = mid;
        }
        return -1;
    }
    if (s->kind == S_LAMBDA) {
        /* Slot 0 holds the argument (named or not); formals follow. */
        const nx_n_lambda *l = s->lam;
        if (l->arg && l->arg == name) return 0;
        for (uint32_t i = 0; i < l->nformals; i++)
            if (l->formals[i].name == name) return 1 + (int)i;
        return -1;
    }
    const nx_n_attrs *as = s->attrs;
    if (as->index) {
        uint32_t h = (name * 2654435761u) & (as->nindex - 1);
        while (as->index[h]) {
            uint32_t i = as->index[h] - 1;
            if (as->attrs[i].name == name) return (int)i;
            h = (h + 1) & (as->nindex - 1);
        }
        return -1;
    }
    for (uint32_t i = 0; i < as->nattrs; i++)
        if (as->attrs[i].name == name) return (int)i;
    return -1;
}

static void resolve(resolver *r, nx_node *n, const scope *env);

static void resolve_var(resolver *r, nx_n_var *v, const scope *env)
{
    uint32_t level = 0;
    int with_level = -1;
    for (const scope *s = env; s; s = s->up, level++) {
        if (s->kind == S_WITH) {
            if (with_level < 0) with_level = (int)level;
            continue;
        }
        int idx = lookup_in(s, v->name);
        if (idx >= 0) {
            v->how = NX_VAR_LOCAL;
            v->level = level;
            v->index = (uint32_t)idx;
            return;
        }
    }
    /* The base environment is the outermost static scope, so its names
     * win over any `with` (with { true = 1; }; true is true). */
    uint32_t g = nx_global_lookup(v->name);
    if (g != UINT32_MAX) {
        v->how = NX_VAR_GLOBAL;
        v->level = level;
        v->index = g;
        return;
    }
    if (with_level >= 0) {
        v->how = NX_VAR_WITH;
        v->level = (uint32_t)with_level;
        v->index = UINT32_MAX;
        return;
    }
    if (!r->failed) {
        r->failed = true;
        nx_buf b = { 0 };
        nx_print_identifier(&b, nx_sym_str(v->name), nx_sym_len(v->name));
        nx_error_set(r->err, (nx_pos){ v->h.src, v->h.start }, "undefined variable '%s'", b.data);
        nx_buf_free(&b);
    }
}

static int cmp_attr(const void *x, const void *y)
{
    const nx_attrdef *a = *(nx_attrdef *const *)x, *c = *(nx_attrdef *const *)y;
    return nx_sym_cmp(a->name, c->name);
}

static void resolve_path(resolver *r, nx_attrname *path, uint32_t n, const scope *env)
{
    for (uint32_t i = 0; i < n; i++)
        if (path[i].expr) resolve(r, path[i].expr, env);
}

/* Attribute bindings of a set or let.  `inner` is the scope of the set's
 * own names (rec/let) or the outer scope (plain set); inherited names are
 * always looked up outside. */
static void resolve_attrs(resolver *r, nx_n_attrs *as, const scope *inner, const scope *outer)
{
    /* CppNix's order (by name) only matters for which error is reported
     * first; the first pass (errors rare) keeps source order and needs no
     * sorted copy. */
    nx_attrdef **v = NULL;
    if (r->sorted) {
        v = nx_xmalloc((as->nattrs + 1) * sizeof *v);
        for (uint32_t i = 0; i < as->nattrs; i++) v[i] = &as->attrs[i];
        qsort(v, as->nattrs, sizeof *v, cmp_attr);
    }
    for (uint32_t i = 0; i < as->nattrs && !r->failed; i++) {
        nx_attrdef *d = v ? v[i] : &as->attrs[i];
        if (d->kind == NX_ATTR_INHERIT) {
            resolve(r, d->value, outer);
            /* The value is evaluated inside the set's own environment at
             * run time (rec, let), one level below `outer`. */
            nx_n_var *var = (nx_n_var *)d->value;
            if (inner != outer && (var->how == NX_VAR_LOCAL || var->how == NX_VAR_WITH)) var->level++;
        } else if (d->kind == NX_ATTR_INHERIT_FROM) {
            /* The source expression is shared by all names of one
             * `inherit (e)`; resolve it when its first name comes up. */
            nx_n_select *s = (nx_n_select *)d->value;
            resolve(r, s->e, inner);
        } else {
            resolve(r, d->value, inner);
        }
    }
    free(v);
    for (uint32_t i = 0; i < as->ndyn && !r->failed; i++) {
        resolve(r, as->dyn[i].name, inner);
        resolve(r, as->dyn[i].value, inner);
    }
}

static void resolve(resolver *r, nx_node *n, const scope *env)
{
    if (r->failed) return;
    switch (n->kind) {
    case NX_N_INT: case NX_N_FLOAT: case NX_N_STR: case NX_N_PATH: case NX_N_CURPOS:
        return;
    case NX_N_VAR:
        resolve_var(r, (nx_n_var *)n, env);
        return;
    case NX_N_SELECT: {
        nx_n_select *s = (nx_n_select *)n;
        resolve(r, s->e, env);
        if (s->def) resolve(r, s->def, env);
        resolve_path(r, s->path, s->npath, env);
        return;
    }
    case NX_N_HASATTR: {
        nx_n_hasattr *h = (nx_n_hasattr *)n;
        resolve(r, h->e, env);
        resolve_path(r, h->path, h->npath, env);
        return;
    }
    case NX_N_ATTRS: {
        nx_n_attrs *as = (nx_n_attrs *)n;
        if (as->rec) {
            scope s = { env, S_ATTRS, NULL, as, NULL, 0 };
            resolve_attrs(r, as, &s, env);
        } else {
            resolve_attrs(r, as, env, env);
        }
        return;
    }
    case NX_N_LIST: {
        nx_n_list *l = (nx_n_list *)n;
        for (uint32_t i = 0; i < l->n; i++) resolve(r, l->elems[i], env);
        return;
    }
    case NX_N_LAMBDA: {
        nx_n_lambda *l = (nx_n_lambda *)n;
        scope s = { env, S_LAMBDA, l, NULL, NULL, 0 };
        for (uint32_t i = 0; i < l->nformals; i++)
            if (l->formals[i].def) resolve(r, l->formals[i].def, &s);
        resolve(r, l->body, &s);
        return;
    }
    case NX_N_CALL: {
        nx_n_call *c = (nx_n_call *)n;
        resolve(r, c->fn, env);
        for (uint32_t i = 0; i < c->nargs; i++) resolve(r, c->args[i], env);
        return;
    }
    case NX_N_LET: {
        nx_n_let *l = (nx_n_let *)n;
        scope s = { env, S_ATTRS, NULL, l->attrs, NULL, 0 };
        resolve_attrs(r, l->attrs, &s, env);
        resolve(r, l->body, &s);
        return;
    }
    case NX_N_WITH: {
        nx_n_with *w = (nx_n_with *)n;
        resolve(r, w->attrs, env);
        scope s = { env, S_WITH, NULL, NULL, NULL, 0 };
        resolve(r, w->body, &s);
        return;
    }
    case NX_N_IF: {
        nx_n_if *i = (nx_n_if *)n;
        resolve(r, i->cond, env);
        resolve(r, i->then, env);
        resolve(r, i->els, env);
        return;
    }
    case NX_N_ASSERT: {
        nx_n_assert *a = (nx_n_assert *)n;
        resolve(r, a->cond, env);
        resolve(r, a->body, env);
        return;
    }
    case NX_N_NOT:
        resolve(r, ((nx_n_not *)n)->e, env);
        return;
    case NX_N_EQ: case NX_N_NEQ: case NX_N_AND: case NX_N_OR: case NX_N_IMPL:
    case NX_N_UPDATE: case NX_N_CONCATLISTS: {
        nx_n_binop *b = (nx_n_binop *)n;
        resolve(r, b->a, env);
        resolve(r, b->b, env);
        return;
    }
    case NX_N_CONCATSTRINGS: {
        nx_n_concat *c = (nx_n_concat *)n;
        for (uint32_t i = 0; i < c->n; i++) resolve(r, c->parts[i], env);
        return;
    }
    }
}

bool nx_scope_resolve_in(nx_node *root, const nx_sym *names, uint32_t n, nx_error *err)
{
    scope top = { NULL, S_NAMES, NULL, NULL, names, n };
    const scope *outer = names ? &top : NULL;
    resolver r = { err, false, false };
    resolve(&r, root, outer);
    if (!r.failed) return true;
    /* There is an error: find the one CppNix reports first. */
    nx_error_clear(err);
    r = (resolver){ err, false, true };
    resolve(&r, root, outer);
    return false;
}

bool nx_scope_resolve(nx_node *root, nx_error *err) { return nx_scope_resolve_in(root, NULL, 0, err); }
