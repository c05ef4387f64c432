/* control.c — errors, sequencing, tryEval, trace and import. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "profiler/profiler.h"
#include "vm/builtins/builtins.h"
#include "vm/compile.h"
#include "vm/nixe.h"
#include "vm/parser.h"
#include "vm/scope.h"
#include "vm/source.h"
#include "vm/store/drv.h"
#include "vm/store/path.h"

/* The error message of throw and abort: CppNix's coerceToString (a
 * set's __toString or outPath, a path's store path), into b.  Returns -1
 * when done, else the step status (force, or the "cannot coerce" error). */
static int error_message(nx_vm *vm, nx_frame *f, nx_buf *b)
{
    nx_value pending = NX_NOVALUE;
    int r = nx_coerce_to_string(vm, b, NULL, ARG(0), 0, &pending);
    if (r == -2) ARG(0) = pending;
    if (r < 0) {
        vm->req = pending;
        return NX_STEP_FORCE;
    }
    return r == 0 ? NX_STEP_ERROR : -1;
}

static int step_throw(nx_vm *vm, nx_frame *f)
{
    nx_buf b = { 0 };
    int st = error_message(vm, f, &b);
    if (st < 0) {
        nx_vm_error(vm, nx_vm_pos(vm), "%s", b.data ? b.data : "");
        vm->catchable = true;
        st = NX_STEP_ERROR;
    }
    nx_buf_free(&b);
    return st;
}

static int step_abort(nx_vm *vm, nx_frame *f)
{
    nx_buf b = { 0 };
    int st = error_message(vm, f, &b);
    if (st < 0) st = nx_builtin_fail(vm, "evaluation aborted with the following error message: '%s'", b.data ? b.data : "");
    nx_buf_free(&b);
    return st;
}

static int step_seq(nx_vm *vm, nx_frame *f)
{
    nx_value b = ARG(1);
    NEED(b);
    RETURN_VALUE(b);
}

/* deepSeq a b: forces a completely, depth first in CppNix's order (a
 * list's elements by index, a set's values in attribute order), cycles
 * ending the walk, then b.  Slots: the walk's stack and depth, the set of
 * visited lists and sets and its count; the walk resumes where it stopped
 * after each force (a restart from the top would be quadratic). */
enum { DS_STACK, DS_N, DS_SEEN, DS_NSEEN, DS_NSLOTS };
enum { DS_START, DS_WALK };

static int step_deepSeq(nx_vm *vm, nx_frame *f)
{
    if (f->state == DS_START) {
        nx_walk_begin(f, DS_STACK, DS_N, DS_SEEN, DS_NSEEN, ARG(0));
        f->state = DS_WALK;
    }
    for (;;) {
        uint32_t n = (uint32_t)nx_smallint(SLOT(DS_N));
        if (n == 0) break;
        nx_value v = nx_listp(SLOT(DS_STACK))->v[n - 1];
        NEED(v);
        SLOT(DS_N) = nx_mk_smallint(n - 1);
        if (nx_is_attrs(v) && nx_walk_seen_add(f, DS_SEEN, DS_NSEEN, v)) {
            nx_attrs *a = nx_attrsp(v);
            for (uint32_t i = a->h.aux; i-- > 0;) nx_walk_push(f, DS_STACK, DS_N, a->a[i].value);
        } else if (nx_is_list(v) && nx_walk_seen_add(f, DS_SEEN, DS_NSEEN, v)) {
            for (uint32_t i = nx_list_len(v); i-- > 0;) nx_walk_push(f, DS_STACK, DS_N, nx_listp(v)->v[i]);
        }
    }
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

/* traceVerbose: trace with --trace-verbose, else its second argument. */
static bool trace_verbose;
void nx_set_trace_verbose(bool on) { trace_verbose = on; }

static int step_traceVerbose(nx_vm *vm, nx_frame *f)
{
    if (trace_verbose && f->state == 0) {
        nx_value m = ARG(0);
        NEED(m);
        ARG(0) = m;
        return step_trace(vm, f);
    }
    if (trace_verbose) return step_trace(vm, f);
    nx_value v = ARG(1);
    NEED(v);
    RETURN_VALUE(v);
}

/* abort-on-warn: --abort-on-warn or NIX_ABORT_ON_WARN=1/yes/true. */
static int abort_on_warn = -1;
void nx_set_abort_on_warn(bool on) { abort_on_warn = on; }

/* warn msg v: prints "evaluation warning: msg" (continuation lines
 * indented under the message, as CppNix's logWarning) and returns v, or
 * fails after printing with abort-on-warn. */
static int step_warn(nx_vm *vm, nx_frame *f)
{
    if (f->state == 0) {
        nx_value m = ARG(0);
        EXPECT(m, nx_is_string(m), "a string");
        const char *s = nx_str(m)->s, *e = s + nx_str_len(m);
        nx_buf b = { 0 };
        const char *prefix = "evaluation warning: ";
        bool no_indent = s < e && *s == '\n';
        if (no_indent) nx_buf_adds(&b, "evaluation warning:");
        for (bool first = true; s < e || first; first = false) {
            const char *nl = memchr(s, '\n', (size_t)(e - s));
            const char *end = nl ? nl : e;
            size_t start = b.len;
            if (!first) nx_buf_addc(&b, '\n');
            if (!no_indent) nx_buf_adds(&b, first ? prefix : "                    ");
            nx_buf_add(&b, s, (size_t)(end - s));
            /* each line loses its trailing whitespace */
            while (b.len > start && strchr(" \t\r\n", b.data[b.len - 1])) b.data[--b.len] = 0;
            if (!nl) break;
            s = nl + 1;
        }
        while (b.len && strchr(" \t\r\n", b.data[b.len - 1])) b.data[--b.len] = 0;
        fprintf(stderr, "%s\n", b.data ? b.data : "");
        nx_buf_free(&b);
        if (abort_on_warn < 0) {
            const char *env = getenv("NIX_ABORT_ON_WARN");
            abort_on_warn = env && (strcmp(env, "1") == 0 || strcmp(env, "yes") == 0 || strcmp(env, "true") == 0);
        }
        if (abort_on_warn) {
            /* No position in CppNix: "while calling the 'warn' builtin" has it. */
            nx_builtin_fail(vm, "aborting to reveal stack trace of warning, as abort-on-warn is set");
            vm->err.pos = NX_NOPOS;
            return NX_STEP_ERROR;
        }
        f->state = 1;
    }
    nx_value v = ARG(1);
    NEED(v);
    RETURN_VALUE(v);
}

/* break v: v (nixe has no debugger). */
static int step_break(nx_vm *vm, nx_frame *f)
{
    nx_value v = ARG(0);
    NEED(v);
    RETURN_VALUE(v);
}

/* Errors caught by addErrorContext frames while their message is being
 * evaluated: a stack of C data (no heap values), each entry tagged with
 * its frame's index.  A frame's entry is the newest one with its index;
 * entries of frames unwound since (their message failed, or a tryEval
 * caught the error) are dropped when a frame at or below their index
 * catches or rethrows. */
typedef struct {
    size_t frame;
    nx_error err;
    bool catchable;
} stashed_error;
static stashed_error *stash;
static size_t nstash, capstash;

static void stash_drop_from(size_t frame)
{
    while (nstash && stash[nstash - 1].frame >= frame) nx_error_clear(&stash[--nstash].err);
}

void nx_error_context_catch(nx_vm *vm, nx_frame *f)
{
    size_t idx = (size_t)(f - vm->frames);
    stash_drop_from(idx);
    if (nstash == capstash) {
        capstash = capstash ? capstash * 2 : 16;
        stash = nx_xrealloc(stash, capstash * sizeof *stash);
    }
    stash[nstash++] = (stashed_error){ idx, vm->err, vm->catchable };
    memset(&vm->err, 0, sizeof vm->err);
    vm->failed = false;
    vm->catchable = false;
}

/* addErrorContext ctx v: v.  If forcing v fails, the unwinder resumes this
 * frame in NX_STATE_CAUGHT with the error stashed; ctx is then coerced to
 * a string (without copying paths) and the error rethrown with it as a
 * trace, keeping whether tryEval may catch it (CppNix's
 * TracePrint::Always trace).  An error in ctx replaces the original.
 * The trace entries of the frames above this one were collected when the
 * error was raised, those below are collected when it is rethrown
 * (vm/trace.c), so ctx takes its place among them. */
static int step_addErrorContext(nx_vm *vm, nx_frame *f)
{
    if (f->state != NX_STATE_CAUGHT) {
        nx_value v = ARG(1);
        NEED(v);
        RETURN_VALUE(v);
    }
    nx_buf b = { 0 };
    nx_value pending = NX_NOVALUE;
    int r = nx_coerce_to_string(vm, &b, NULL, ARG(0), NX_COERCE_PATH_TEXT, &pending);
    if (r == -2) ARG(0) = pending;
    if (r < 0) {
        nx_buf_free(&b);
        vm->req = pending;
        return NX_STEP_FORCE;
    }
    size_t idx = (size_t)(f - vm->frames);
    while (nstash && stash[nstash - 1].frame > idx) nx_error_clear(&stash[--nstash].err);
    if (r == 0 || !nstash || stash[nstash - 1].frame != idx) {
        nx_buf_free(&b);
        if (r == 0) return NX_STEP_ERROR;
        FAIL("internal error: addErrorContext lost its error");
    }
    stashed_error *se = &stash[--nstash];
    nx_error_clear(&vm->err);
    vm->err = se->err;
    nx_error_add_trace(&vm->err, NX_NOPOS, true, "%.*s", (int)b.len, b.data ? b.data : "");
    nx_buf_free(&b);
    vm->failed = true;
    vm->catchable = se->catchable;
    return NX_STEP_ERROR;
}

/* ---- import ----------------------------------------------------------- */

/* Nix's built-in files (`<nix/fetchurl.nix>`): texts under
 * NX_COREPKGS_DIR, provided by vm/builtins/derivation.c. */
static const char *corepkgs_text(const char *path)
{
    if (strncmp(path, NX_COREPKGS_DIR "/", sizeof NX_COREPKGS_DIR) == 0) return nx_corepkgs_file(path);
    /* A file builtins.toFile made in this evaluation (never written). */
    return nx_store_text_file(path);
}

/* The per-evaluation import cache: resolved file path → the thunk of its
 * top-level expression (open addressing, power-of-two capacity).  The
 * values are GC roots (mark_imports). */
typedef struct { char *path; uint64_t hash; nx_value value; } import_entry;
static import_entry *imports;
static size_t nimports, capimports;

static uint64_t hash_path(const char *s)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static void mark_imports(nx_gc_mark_fn mark)
{
    for (size_t i = 0; i < capimports; i++)
        if (imports[i].path) mark(imports[i].value);
}

static import_entry *import_slot(const char *path, uint64_t h)
{
    size_t i = h & (capimports - 1);
    while (imports[i].path && (imports[i].hash != h || strcmp(imports[i].path, path) != 0)) i = (i + 1) & (capimports - 1);
    return &imports[i];
}

static import_entry *import_lookup(const char *path)
{
    if (!capimports) return NULL;
    import_entry *e = import_slot(path, hash_path(path));
    return e->path ? e : NULL;
}

static void import_insert(const char *path, nx_value v)
{
    if (!capimports) nx_gc_register_roots(mark_imports);
    if ((nimports + 1) * 2 > capimports) {
        size_t oc = capimports;
        import_entry *old = imports;
        capimports = oc ? oc * 2 : 256;
        imports = nx_xcalloc(capimports, sizeof *imports);
        for (size_t i = 0; i < oc; i++)
            if (old[i].path) *import_slot(old[i].path, old[i].hash) = old[i];
        free(old);
    }
    uint64_t h = hash_path(path);
    *import_slot(path, h) = (import_entry){ nx_xstrndup(path, strlen(path)), h, v };
    nimports++;
}

/* CppNix's resolveExprPath: follows symlinks on the last component (so
 * relative paths in the file work), then a directory means its
 * default.nix.  out has room for PATH_MAX + 16 bytes; false (error set)
 * on a symlink loop or a path that does not exist. */
static bool resolve_expr_path(nx_vm *vm, const char *path, char *out)
{
    size_t cap = PATH_MAX + 16;
    snprintf(out, cap, "%s", path);
    if (corepkgs_text(out)) return true;
    struct stat st;
    bool have_st = false; /* st is the status of out (an lstat that found no symlink) */
    for (int follow = 0;; follow++) {
        if (strcmp(out, "/") == 0) break;
        if (follow >= 1024) {
            nx_builtin_fail(vm, "too many symbolic links encountered while traversing the path '%s'", path);
            return false;
        }
        char real[PATH_MAX];
        const char *rp = nx_store_real_path(out, real, sizeof real);
        if (lstat(rp, &st) != 0) break;
        if (!S_ISLNK(st.st_mode)) {
            have_st = true;
            break;
        }
        char target[PATH_MAX];
        ssize_t n = readlink(rp, target, sizeof target - 1);
        if (n < 0) break;
        target[n] = 0;
        nx_buf b = { 0 };
        if (target[0] != '/') {
            char *slash = strrchr(out, '/');
            nx_buf_add(&b, out, slash ? (size_t)(slash - out) : 0);
            nx_buf_addc(&b, '/');
        }
        nx_buf_adds(&b, target);
        char *canon = nx_xmalloc(b.len + 2);
        nx_canon_path(canon, b.data, b.len);
        snprintf(out, cap, "%s", canon);
        free(canon);
        nx_buf_free(&b);
    }
    char real[PATH_MAX];
    if (!have_st && stat(nx_store_real_path(out, real, sizeof real), &st) != 0) {
        nx_builtin_fail(vm, "getting status of '%s': %s", out, strerror(errno));
        return false;
    }
    if (S_ISDIR(st.st_mode)) {
        size_t l = strlen(out);
        snprintf(out + l, cap - l, "%sdefault.nix", l && out[l - 1] == '/' ? "" : "/");
    }
    return true;
}

/* The absolute path an import argument names (path value or string), or
 * NULL with the error set. */
static const char *import_arg(nx_vm *vm, nx_value p)
{
    if (!nx_is_path(p) && !nx_is_string(p)) {
        nx_builtin_type_error(vm, p, "a path");
        return NULL;
    }
    const char *path = nx_str(p)->s;
    if (path[0] != '/') {
        nx_builtin_fail(vm, "string '%s' doesn't represent an absolute path", path);
        return NULL;
    }
    return path;
}

/* Parses, resolves (with scopedImport's names, if any) and compiles the
 * file at resolved; NULL with the error set on failure. */
static nx_code *load_file(nx_vm *vm, const char *resolved, const nx_sym *names, uint32_t n)
{
    const char *core = corepkgs_text(resolved);
    uint32_t src = core ? nx_source_add(resolved, NX_COREPKGS_DIR, core, strlen(core)) : nx_source_load_file(resolved);
    if (!src) {
        nx_builtin_fail(vm, "opening file '%s': %s", resolved, strerror(errno));
        return NULL;
    }
    char *dir = nx_xstrndup(resolved, strlen(resolved));
    char *slash = strrchr(dir, '/');
    if (slash) *(slash == dir ? slash + 1 : slash) = 0;
    nx_parse_result r;
    nx_error err = { 0 };
    int prof = nx_prof_phase_enter(NX_PROF_PARSE);
    bool ok = nx_parse(src, dir, &r, &err) && nx_scope_resolve_in(r.root, names, n, &err);
    nx_prof_phase_leave(prof);
    free(dir);
    if (!ok) {
        nx_vm_error(vm, err.pos, "%s", err.msg);
        nx_error_clear(&err);
        nx_parse_free(&r);
        return NULL;
    }
    prof = nx_prof_phase_enter(NX_PROF_COMPILE);
    nx_code *code = nx_compile(r.root);
    nx_prof_phase_leave(prof);
    /* The AST and the text are not needed once compiled (code copies what
     * it uses; an error excerpt reads the file again). */
    nx_parse_free(&r);
    nx_source_release_text(src);
    return code;
}

/* import path: the value of the file (a directory: its default.nix),
 * evaluated once per resolved path. */
static int step_import(nx_vm *vm, nx_frame *f)
{
    PATH_ARG(0);
    const char *path = import_arg(vm, ARG(0));
    if (!path) return NX_STEP_ERROR;
    /* CppNix turns an imported valid .drv store path into the derivation
     * it describes (derivationToValue).  nixe never writes .drv files and
     * does not read them back: such an import is a clear error. */
    size_t pl = strlen(path);
    if (pl > 4 && strcmp(path + pl - 4, ".drv") == 0 && nx_is_store_path(path, pl)) {
        size_t no;
        char **outs = nx_drv_output_names(path, &no);
        struct stat st;
        char real[PATH_MAX];
        if (outs || stat(nx_store_real_path(path, real, sizeof real), &st) == 0)
            FAIL("importing the derivation '%s' is not supported by nixe", path);
    }
    /* As CppNix's evalFile, the cache is looked up by the path as given
     * before it is resolved, so importing the same path again costs no
     * lstat/stat: both the given and the resolved path name the entry. */
    import_entry *e = import_lookup(path);
    if (!e) {
        char resolved[PATH_MAX + 16];
        if (!resolve_expr_path(vm, path, resolved)) return NX_STEP_ERROR;
        e = import_lookup(resolved);
        nx_value t;
        if (e) {
            t = e->value;
        } else {
            nx_code *code = load_file(vm, resolved, NULL, 0);
            if (!code) return NX_STEP_ERROR;
            t = nx_mk_thunk(code, NULL);
            import_insert(resolved, t);
        }
        if (strcmp(path, resolved) != 0) import_insert(path, t);
        NEED(t);
        RETURN_VALUE(t);
    }
    nx_value v = e->value;
    NEED(v);
    e->value = v;
    RETURN_VALUE(v);
}

/* scopedImport scope path: the file evaluated with the names of scope
 * bound lexically around it (shadowing builtins); not cached. */
NX_STATES(scoped, "scopedImport", SI_START, SI_EVAL);

static int step_scopedImport(nx_vm *vm, nx_frame *f)
{
    if (f->state == SI_START) {
        nx_value s = ARG(0);
        EXPECT(s, nx_is_attrs(s), "a set");
        PATH_ARG(1);
        const char *path = import_arg(vm, ARG(1));
        if (!path) return NX_STEP_ERROR;
        char resolved[PATH_MAX + 16];
        if (!resolve_expr_path(vm, path, resolved)) return NX_STEP_ERROR;
        nx_attrs *a = nx_attrsp(s);
        uint32_t n = a->h.aux;
        nx_sym *names = nx_xmalloc((n + 1) * sizeof *names);
        for (uint32_t i = 0; i < n; i++) names[i] = a->a[i].name;
        nx_code *code = load_file(vm, resolved, names, n);
        free(names);
        if (!code) return NX_STEP_ERROR;
        nx_env *env = nx_alloc_env(n, NULL);
        for (uint32_t i = 0; i < n; i++) env->slot[i] = a->a[i].value;
        SLOT(0) = nx_mk_thunk(code, env);
        f->state = SI_EVAL;
    }
    nx_value t = SLOT(0);
    NEED(t);
    RETURN_VALUE(t);
}


/* ---- assertEqValues: why `assert a == b` failed ------------------------ */

/* assertEqValues msg a b (internal, not in the base environment: the
 * compiler calls it when the `a == b` of an assertion was false, with the
 * assertion's text).  Modern CppNix's assertEqValues: walks a and b in
 * eqValues' order (lists front to back, sets by symbol, derivations by
 * outPath) to the first difference and raises a catchable error that
 * describes it, with "while comparing list element N" / "while comparing
 * attribute 'x'" entries (no position: `==` has none in CppNix) for the
 * path to it; vm/trace.c adds "while evaluating the condition of the
 * assertion '…'".  Returns null if it finds no difference.
 *
 * The path is a stack of levels in SLOT(AEQ_STACK), three values each:
 * the two values and where the walk is in them (AEQ_NEW: not looked at
 * yet, AEQ_DRV: compared by outPath, else the index of the element or
 * attribute being compared). */
enum { AEQ_STACK, AEQ_DEPTH, AEQ_NSLOTS };
NX_STATES(aeq, "assertEqValues", AEQ_START, AEQ_WALK);
#define AEQ_NEW (-1)
#define AEQ_DRV (-2)

static nx_value *aeq_level(nx_frame *f, uint32_t k) { return &nx_listp(SLOT(AEQ_STACK))->v[k * 3]; }

static void aeq_push(nx_frame *f, nx_value a, nx_value b)
{
    nx_walk_push(f, AEQ_STACK, AEQ_DEPTH, a);
    nx_walk_push(f, AEQ_STACK, AEQ_DEPTH, b);
    nx_walk_push(f, AEQ_STACK, AEQ_DEPTH, nx_mk_smallint(AEQ_NEW));
}

/* Raises the error with message b (freed) and the entries for the path. */
static int aeq_fail(nx_vm *vm, nx_frame *f, nx_buf *b)
{
    nx_vm_error(vm, NX_NOPOS, "%s", b->data ? b->data : "");
    nx_buf_free(b);
    vm->catchable = true;
    uint32_t depth = (uint32_t)nx_smallint(SLOT(AEQ_DEPTH)) / 3;
    for (uint32_t k = depth - 1; k-- > 0;) {
        nx_value *l = aeq_level(f, k);
        int64_t i = nx_smallint(l[2]);
        nx_value x = nx_deref(l[0]), y = nx_deref(l[1]);
        if (i == AEQ_DRV) {
            nx_error_add_trace(&vm->err, NX_NOPOS, false, "while comparing a derivation by its '%s' attribute", "outPath");
        } else if (nx_is_list(x)) {
            nx_error_add_trace(&vm->err, NX_NOPOS, false, "while comparing list element %" PRId64, i);
        } else {
            nx_attr *ai = &nx_attrsp(x)->a[i], *aj = &nx_attrsp(y)->a[i];
            if (aj->pos) nx_error_add_trace(&vm->err, nx_pos_get(aj->pos), false, "where right hand side is");
            if (ai->pos) nx_error_add_trace(&vm->err, nx_pos_get(ai->pos), false, "where left hand side is");
            nx_error_add_trace(&vm->err, NX_NOPOS, false, "while comparing attribute '%s'", nx_sym_str(ai->name));
        }
    }
    return NX_STEP_ERROR;
}

/* "MSG 'A' … 'B'" with the values printed as in error messages. */
static void aeq_show2(nx_buf *b, const char *fmt, nx_value x, nx_value y)
{
    nx_buf sx = { 0 }, sy = { 0 };
    nx_show_value_short(&sx, x);
    nx_show_value_short(&sy, y);
    nx_buf_printf(b, fmt, sx.data ? sx.data : "", sy.data ? sy.data : "");
    nx_buf_free(&sx);
    nx_buf_free(&sy);
}

/* Whether set x is a derivation (its type is "derivation"); -1 after
 * setting vm->req when that attribute must be forced first. */
static int aeq_is_drv(nx_vm *vm, nx_value x)
{
    static nx_sym s_type;
    if (!s_type) s_type = nx_sym_intern_cstr("type");
    nx_attr *t = nx_attrs_get(nx_attrsp(x), s_type);
    if (!t) return 0;
    nx_value v = nx_deref(t->value);
    if (nx_needs_force(v)) {
        vm->req = v;
        return -1;
    }
    return nx_is_string(v) && nx_str_len(v) == 10 && memcmp(nx_str(v)->s, "derivation", 10) == 0;
}

static int step_assertEqValues(nx_vm *vm, nx_frame *f)
{
    static nx_sym s_outpath;
    if (!s_outpath) s_outpath = nx_sym_intern_cstr("outPath");
    if (f->state == AEQ_START) {
        SLOT(AEQ_STACK) = nx_walk_list(48);
        SLOT(AEQ_DEPTH) = nx_mk_smallint(0);
        aeq_push(f, ARG(1), ARG(2));
        f->state = AEQ_WALK;
    }
    nx_buf b = { 0 };
    while (nx_smallint(SLOT(AEQ_DEPTH))) {
        uint32_t k = (uint32_t)nx_smallint(SLOT(AEQ_DEPTH)) / 3 - 1;
        nx_value *l = aeq_level(f, k);
        nx_value x = l[0], y = l[1];
        NEED(x);
        l = aeq_level(f, k);
        l[0] = x;
        NEED(y);
        l = aeq_level(f, k);
        l[1] = y;
        int64_t i = nx_smallint(l[2]);
        bool done = false;
        if (i == AEQ_NEW) {
            bool xn = nx_is_int(x) || nx_is_float(x), yn = nx_is_int(y) || nx_is_float(y);
            if (k > 0 && l[0] == l[1]) {
                done = true; /* the very same element (CppNix: the same Value) */
            } else if (xn && yn) {
                if (nx_eq_shallow(x, y) == 1) {
                    done = true;
                } else {
                    nx_buf_printf(&b, "%s with value '", nx_type_phrase(x));
                    nx_show_value_short(&b, x);
                    nx_buf_printf(&b, "' is not equal to %s with value '", nx_type_phrase(y));
                    nx_show_value_short(&b, y);
                    nx_buf_addc(&b, '\'');
                    return aeq_fail(vm, f, &b);
                }
            } else if (strcmp(nx_type_phrase(x), nx_type_phrase(y)) != 0) {
                nx_buf_printf(&b, "%s of value '", nx_type_phrase(x));
                nx_show_value_short(&b, x);
                nx_buf_printf(&b, "' is not equal to %s of value '", nx_type_phrase(y));
                nx_show_value_short(&b, y);
                nx_buf_addc(&b, '\'');
                return aeq_fail(vm, f, &b);
            } else if (nx_is_function(x)) {
                nx_buf_adds(&b, "distinct functions and immediate comparisons of identical functions compare as unequal");
                return aeq_fail(vm, f, &b);
            } else if (nx_is_list(x)) {
                if (nx_list_len(x) != nx_list_len(y)) {
                    nx_buf_printf(&b, "list of size '%u' is not equal to list of size '%u', left hand side is '",
                                  nx_list_len(x), nx_list_len(y));
                    nx_show_value_short(&b, x);
                    nx_buf_adds(&b, "', right hand side is '");
                    nx_show_value_short(&b, y);
                    nx_buf_addc(&b, '\'');
                    return aeq_fail(vm, f, &b);
                }
                l[2] = nx_mk_smallint(0);
                continue;
            } else if (nx_is_attrs(x)) {
                int dx = aeq_is_drv(vm, x);
                if (dx < 0) return NX_STEP_FORCE;
                int dy = dx ? aeq_is_drv(vm, y) : 0;
                if (dy < 0) return NX_STEP_FORCE;
                nx_attr *ox = dx && dy ? nx_attrs_get(nx_attrsp(x), s_outpath) : NULL;
                nx_attr *oy = dx && dy ? nx_attrs_get(nx_attrsp(y), s_outpath) : NULL;
                if (ox && oy) {
                    l[2] = nx_mk_smallint(AEQ_DRV);
                    aeq_push(f, ox->value, oy->value);
                    continue;
                }
                if (nx_attrsp(x)->h.aux != nx_attrsp(y)->h.aux) {
                    aeq_show2(&b, "attribute names of attribute set '%s' differs from attribute set '%s'", x, y);
                    return aeq_fail(vm, f, &b);
                }
                l[2] = nx_mk_smallint(0);
                continue;
            } else {
                int r = nx_eq_shallow(x, y);
                if (r == 1) {
                    done = true;
                } else {
                    const char *what = nx_is_string(x) ? "string" : nx_is_path(x) ? "path" : NULL;
                    if (!what) {
                        done = true; /* null, or nothing CppNix would report */
                    } else {
                        nx_buf fmt = { 0 };
                        nx_buf_printf(&fmt, "%s '%%s' is not equal to %s '%%s'", what, what);
                        aeq_show2(&b, fmt.data, x, y);
                        nx_buf_free(&fmt);
                        return aeq_fail(vm, f, &b);
                    }
                }
            }
        } else if (i == AEQ_DRV) {
            done = true; /* its outPath compared equal */
        } else if (nx_is_list(x)) {
            if ((uint32_t)i >= nx_list_len(x)) {
                done = true;
            } else {
                aeq_push(f, nx_listp(x)->v[i], nx_listp(y)->v[i]);
                continue;
            }
        } else {
            nx_attrs *ax = nx_attrsp(x), *ay = nx_attrsp(y);
            if ((uint32_t)i >= ax->h.aux) {
                done = true;
            } else if (ax->a[i].name != ay->a[i].name) {
                nx_sym missing = !nx_attrs_get(ay, ax->a[i].name) ? ax->a[i].name : ay->a[i].name;
                nx_buf fmt = { 0 };
                nx_buf_printf(&fmt, "attribute name '%s' %s '%%s'%s '%%s'", nx_sym_str(missing),
                              missing == ax->a[i].name ? "is contained in" : "is missing in",
                              missing == ax->a[i].name ? ", but not in" : ", but is contained in");
                aeq_show2(&b, fmt.data, x, y);
                nx_buf_free(&fmt);
                return aeq_fail(vm, f, &b);
            } else {
                aeq_push(f, ax->a[i].value, ay->a[i].value);
                continue;
            }
        }
        /* This level compared equal: pop it, and move its parent on. */
        (void)done;
        SLOT(AEQ_DEPTH) = nx_mk_smallint((int64_t)k * 3);
        if (k > 0) {
            nx_value *p = aeq_level(f, k - 1);
            int64_t pi = nx_smallint(p[2]);
            if (pi >= 0) p[2] = nx_mk_smallint(pi + 1);
        }
    }
    RETURN_VALUE(NX_NULL);
}

static const nx_builtin table[] = {
    { "throw", 1, 1, 0, false, step_throw },
    { "abort", 1, 1, 0, false, step_abort },
    { "seq", 2, 1, 0, false, step_seq },
    { "deepSeq", 2, 1, DS_NSLOTS, false, step_deepSeq },
    { "tryEval", 1, 0, 0, NX_CATCH_THROW, step_tryEval },
    { "trace", 2, 1, 0, false, step_trace },
    { "traceVerbose", 2, 0, 0, false, step_traceVerbose },
    { "warn", 2, 1, 0, false, step_warn },
    { "break", 1, 0, 0, false, step_break },
    { "addErrorContext", 2, 0, 0, NX_CATCH_ALL, step_addErrorContext },
    { "import", 1, 1, 0, false, step_import },
    { "scopedImport", 2, 3, 1, false, step_scopedImport },
    { "assertEqValues", 3, 0, AEQ_NSLOTS, false, step_assertEqValues },
};

const nx_builtin_table nx_builtins_control = { table, NX_ARRAY_LEN(table) };
