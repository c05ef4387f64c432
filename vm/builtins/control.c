/* control.c — errors, sequencing, tryEval, trace and import. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "vm/builtins/builtins.h"
#include "vm/compile.h"
#include "vm/parser.h"
#include "vm/scope.h"
#include "vm/source.h"

static int step_throw(nx_vm *vm, nx_frame *f)
{
    EXPECT(ARG(0), nx_is_string(ARG(0)), "a string");
    nx_vm_error(vm, nx_vm_pos(vm), "%s", nx_str(ARG(0))->s);
    vm->catchable = true;
    return NX_STEP_ERROR;
}

static int step_abort(nx_vm *vm, nx_frame *f)
{
    EXPECT(ARG(0), nx_is_string(ARG(0)), "a string");
    FAIL("evaluation aborted with the following error message: '%s'", nx_str(ARG(0))->s);
}

static int step_seq(nx_vm *vm, nx_frame *f)
{
    nx_value b = ARG(1);
    NEED(b);
    RETURN_VALUE(b);
}

/* deepSeq a b: forces a completely (cycles end the walk), then b. */
static int step_deepSeq(nx_vm *vm, nx_frame *f)
{
    size_t cap = 256, n = 0, seen_cap = 1024, seen_n = 0;
    nx_value *work = nx_xmalloc(cap * sizeof *work);
    nx_value *seen = nx_xcalloc(seen_cap, sizeof *seen);
    work[n++] = ARG(0);
    while (n) {
        nx_value v = nx_deref(work[--n]);
        if (nx_needs_force(v)) {
            free(work);
            free(seen);
            vm->req = v;
            return NX_STEP_FORCE;
        }
        if (!nx_is_list(v) && !nx_is_attrs(v)) continue;
        /* Visited set (open addressing on the object address). */
        if (seen_n * 2 >= seen_cap) {
            size_t nc = seen_cap * 2;
            nx_value *ns = nx_xcalloc(nc, sizeof *ns);
            for (size_t i = 0; i < seen_cap; i++)
                if (seen[i]) {
                    size_t h = (seen[i] >> 4) & (nc - 1);
                    while (ns[h]) h = (h + 1) & (nc - 1);
                    ns[h] = seen[i];
                }
            free(seen);
            seen = ns;
            seen_cap = nc;
        }
        size_t h = (v >> 4) & (seen_cap - 1);
        bool dup = false;
        while (seen[h]) {
            if (seen[h] == v) { dup = true; break; }
            h = (h + 1) & (seen_cap - 1);
        }
        if (dup) continue;
        seen[h] = v;
        seen_n++;
        uint32_t m = nx_is_list(v) ? nx_list_len(v) : nx_attrsp(v)->h.aux;
        if (n + m >= cap) {
            cap = (n + m) * 2;
            work = nx_xrealloc(work, cap * sizeof *work);
        }
        for (uint32_t i = 0; i < m; i++) work[n++] = nx_is_list(v) ? nx_listp(v)->v[i] : nx_attrsp(v)->a[i].value;
    }
    free(work);
    free(seen);
    nx_value b = ARG(1);
    NEED(b);
    RETURN_VALUE(b);
}

/* tryEval e: { success = true; value = e; } or, if forcing e throws (throw
 * or assert), { success = false; value = false; }. */
static int step_tryEval(nx_vm *vm, nx_frame *f)
{
    static nx_sym s_success, s_value;
    if (!s_success) {
        s_success = nx_sym_intern_cstr("success");
        s_value = nx_sym_intern_cstr("value");
    }
    nx_value v = NX_FALSE;
    bool ok = f->state != NX_STATE_CAUGHT;
    if (ok) {
        v = ARG(0);
        NEED(v);
    }
    nx_attrs *a = nx_alloc_attrs(2);
    a->a[0] = (nx_attr){ s_success, 0, nx_bool(ok) };
    a->a[1] = (nx_attr){ s_value, 0, v };
    nx_attrs_sort(a);
    RETURN_VALUE(nx_from_obj(a));
}

static int step_trace(nx_vm *vm, nx_frame *f)
{
    if (f->state == 0) {
        nx_buf b = { 0 };
        nx_value m = nx_deref(ARG(0));
        if (nx_is_string(m)) nx_buf_add(&b, nx_str(m)->s, nx_str_len(m));
        else nx_show_value_short(&b, m);
        fprintf(stderr, "trace: %s\n", b.data ? b.data : "");
        nx_buf_free(&b);
        f->state = 1;
    }
    nx_value v = ARG(1);
    NEED(v);
    RETURN_VALUE(v);
}

/* ---- import ----------------------------------------------------------- */

typedef struct { char *path; nx_value value; } import_entry;
static import_entry *imports;
static size_t nimports, capimports;

static int step_import(nx_vm *vm, nx_frame *f)
{
    nx_value p = ARG(0);
    if (!nx_is_path(p) && !nx_is_string(p)) return nx_builtin_type_error(vm, p, "a path");
    const char *path = nx_str(p)->s;
    if (path[0] != '/') FAIL("string '%s' doesn't represent an absolute path", path);
    char resolved[PATH_MAX + 16];
    snprintf(resolved, sizeof resolved, "%s", path);
    struct stat st;
    if (stat(resolved, &st) == 0 && S_ISDIR(st.st_mode)) {
        size_t l = strlen(resolved);
        snprintf(resolved + l, sizeof resolved - l, "%sdefault.nix", l && resolved[l - 1] == '/' ? "" : "/");
    }
    for (size_t i = 0; i < nimports; i++)
        if (strcmp(imports[i].path, resolved) == 0) {
            nx_value v = imports[i].value;
            NEED(v);
            imports[i].value = v;
            RETURN_VALUE(v);
        }
    const char *core = nx_corepkgs_file(resolved);
    uint32_t src = core ? nx_source_add(resolved, NX_COREPKGS_DIR, core, strlen(core)) : nx_source_load_file(resolved);
    if (!src) FAIL("opening file '%s': %s", resolved, strerror(errno));
    char *dir = nx_xstrndup(resolved, strlen(resolved));
    char *slash = strrchr(dir, '/');
    if (slash) *(slash == dir ? slash + 1 : slash) = 0;
    nx_parse_result r;
    nx_error err = { 0 };
    bool ok = nx_parse(src, dir, &r, &err) && nx_scope_resolve(r.root, &err);
    free(dir);
    if (!ok) {
        nx_vm_error(vm, err.pos, "%s", err.msg);
        nx_error_clear(&err);
        nx_parse_free(&r);
        return NX_STEP_ERROR;
    }
    nx_code *code = nx_compile(r.root);
    /* The AST is not needed once compiled (code copies what it uses). */
    nx_parse_free(&r);
    if (nimports == capimports) {
        capimports = capimports ? capimports * 2 : 64;
        imports = nx_xrealloc(imports, capimports * sizeof *imports);
    }
    nx_value t = nx_mk_thunk(code, NULL);
    imports[nimports++] = (import_entry){ nx_xstrndup(resolved, strlen(resolved)), t };
    NEED(t);
    RETURN_VALUE(t);
}

static const nx_builtin table[] = {
    { "throw", 1, 1, 0, false, step_throw },
    { "abort", 1, 1, 0, false, step_abort },
    { "seq", 2, 1, 0, false, step_seq },
    { "deepSeq", 2, 1, 0, false, step_deepSeq },
    { "tryEval", 1, 0, 0, true, step_tryEval },
    { "trace", 2, 1, 0, false, step_trace },
    { "import", 1, 1, 0, false, step_import },
};

const nx_builtin_table nx_builtins_control = { table, NX_ARRAY_LEN(table) };
