/* registry.c — the table of builtins and the base environment's values. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vm/builtins/builtins.h"
#include "vm/compile.h"
#include "vm/parser.h"
#include "vm/scope.h"
#include "vm/searchpath.h"
#include "vm/source.h"

static const nx_builtin_table *const tables[] = {
    &nx_builtins_arith, &nx_builtins_lists, &nx_builtins_attrs, &nx_builtins_strings, &nx_builtins_control,
    &nx_builtins_regex, &nx_builtins_versions, &nx_builtins_more, &nx_builtins_files, &nx_builtins_json,
    &nx_builtins_search, &nx_builtins_closure, &nx_builtins_xml, &nx_builtins_toml,
    &nx_builtins_store, &nx_builtins_derivation, &nx_builtins_fetch,
};

int nx_builtin_fail(nx_vm *vm, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *m = nx_vformat(fmt, ap);
    va_end(ap);
    nx_vm_error(vm, nx_vm_pos(vm), "%s", m);
    free(m);
    return NX_STEP_ERROR;
}

int nx_builtin_type_error(nx_vm *vm, nx_value v, const char *expected)
{
    nx_type_error(vm, v, expected);
    return NX_STEP_ERROR;
}

const nx_builtin *nx_builtin_find(const char *name)
{
    for (size_t t = 0; t < NX_ARRAY_LEN(tables); t++)
        for (size_t i = 0; i < tables[t]->n; i++)
            if (strcmp(tables[t]->v[i].name, name) == 0) return &tables[t]->v[i];
    return NULL;
}

/* A builtin CppNix has and nixe does not yet: an honest error when used. */
static int step_unimplemented(nx_vm *vm, nx_frame *f)
{
    FAIL("builtin '%s' is not implemented yet", f->builtin->name);
}

static nx_value mk_primop(const nx_builtin *b)
{
    nx_primop *p = nx_heap_alloc(sizeof *p);
    p->h = (nx_obj){ NX_OBJ_PRIMOP, 0, 0, 0 };
    p->b = b;
    return nx_from_obj(p);
}

nx_value nx_builtin_primop(const char *name)
{
    const nx_builtin *b = nx_builtin_find(name);
    return b ? mk_primop(b) : NX_NOVALUE;
}

static nx_value *globals;
static nx_value builtins_set;

/* Constants of the base environment (without the __ prefix). */
static nx_value constant(const char *name, bool *found)
{
    *found = true;
    if (strcmp(name, "true") == 0) return NX_TRUE;
    if (strcmp(name, "false") == 0) return NX_FALSE;
    if (strcmp(name, "null") == 0) return NX_NULL;
    if (strcmp(name, "nixVersion") == 0) return nx_mk_cstring("2.28.0");
    if (strcmp(name, "langVersion") == 0) return nx_mk_int(6);
    if (strcmp(name, "currentSystem") == 0) return nx_mk_cstring("x86_64-linux");
    if (strcmp(name, "storeDir") == 0) {
        const char *d = getenv("NIX_STORE_DIR");
        return nx_mk_cstring(d && *d ? d : "/nix/store");
    }
    if (strcmp(name, "currentTime") == 0) return nx_mk_int((int64_t)time(NULL));
    if (strcmp(name, "nixPath") == 0) {
        nx_search_path_add_env();
        return nx_search_path_value();
    }
    *found = false;
    return NX_NULL;
}

/* `derivation` is Nix code (nx_derivation_nix) compiled once at start-up
 * into a thunk; it refers to derivationStrict as a global. */
static void mark_globals(nx_gc_mark_fn mark)
{
    mark(builtins_set);
    for (uint32_t i = 0; i < nx_global_count(); i++) mark(globals[i]);
}

static nx_value derivation_value(void)
{
    uint32_t src = nx_source_add("«nixe-internal»/derivation.nix", "/", nx_derivation_nix, strlen(nx_derivation_nix));
    nx_parse_result r;
    nx_error err = { 0 };
    if (!nx_parse(src, "/", &r, &err) || !nx_scope_resolve(r.root, &err)) {
        fprintf(stderr, "nixe: internal error in the derivation wrapper: %s\n", err.msg);
        abort();
    }
    nx_code *code = nx_compile(r.root);
    nx_parse_free(&r);
    return nx_mk_thunk(code, NULL);
}

static nx_value value_of(const char *name)
{
    if (strcmp(name, "derivation") == 0) return derivation_value();
    bool found;
    nx_value c = constant(name, &found);
    if (found) return c;
    const nx_builtin *b = nx_builtin_find(name);
    if (!b) {
        nx_builtin *u = nx_xcalloc(1, sizeof *u);
        u->name = nx_xstrndup(name, strlen(name));
        u->arity = 1;
        u->step = step_unimplemented;
        b = u;
    }
    return mk_primop(b);
}

void nx_globals_init(void)
{
    if (globals) return;
    uint32_t n = nx_global_count();
    globals = nx_xcalloc(n, sizeof *globals);
    /* builtins: every __name global, unprefixed, plus the unprefixed
     * globals themselves (map, toString, ...), plus `builtins`. */
    nx_attrs *b = nx_alloc_attrs(n + 1);
    uint32_t k = 0;
    uint32_t builtins_id = UINT32_MAX;
    for (uint32_t i = 0; i < n; i++) {
        const char *name = nx_sym_str(nx_global_name(i));
        if (strcmp(name, "builtins") == 0) {
            builtins_id = i;
            continue;
        }
        const char *plain = strncmp(name, "__", 2) == 0 ? name + 2 : name;
        nx_value v = NX_NOVALUE;
        /* Share one value between `__x` and `x` when both exist. */
        nx_sym ps = nx_sym_intern_cstr(plain);
        for (uint32_t j = 0; j < k; j++)
            if (b->a[j].name == ps) v = b->a[j].value;
        if (!v) {
            v = value_of(plain);
            if (strcmp(plain, "true") && strcmp(plain, "false") && strcmp(plain, "null"))
                b->a[k++] = (nx_attr){ ps, 0, v };
            else
                b->a[k++] = (nx_attr){ ps, 0, v };
        }
        globals[i] = v;
    }
    b->h.aux = k;
    b->a[b->h.aux++] = (nx_attr){ nx_sym_intern_cstr("builtins"), 0, NX_NULL };
    nx_attrs_sort(b);
    builtins_set = nx_from_obj(b);
    nx_attr *self = nx_attrs_get(b, nx_sym_intern_cstr("builtins"));
    self->value = builtins_set;
    /* The base environment lives as long as the process. */
    /* Not pinned: `derivation` is a thunk, and a pinned object must never
     * come to point to a collectable one when it is evaluated. */
    nx_gc_register_roots(mark_globals);
    if (builtins_id != UINT32_MAX) globals[builtins_id] = builtins_set;
}

nx_value nx_global_value(uint32_t id) { return globals[id]; }
