/* derivation.c — builtins.derivationStrict and the `derivation` wrapper.
 *
 * derivationStrict is a two-phase state machine.  Phase one walks the
 * attributes in name order (S_ATTR = the next one) and forces whatever
 * their conversion needs: a value already settled (a string, a
 * derivation, a list of such) is passed over; otherwise its string
 * coercion (copyMore, copy to the store: CppNix's coerceToString) runs
 * with its state in the frame's slots, stops at each unevaluated part
 * (an element, an outPath, a __toString call), yields it and goes on
 * where it stopped, and its string is kept for phase two; a structured
 * attribute is walked the same way (the printer's order), a set with
 * __toString in it coerced and its string kept for the printer.  Once
 * everything is in weak head normal form deep enough, phase two builds
 * the derivation in C memory in one go (no more forcing), computes its
 * output and .drv paths (vm/store/drv.c) and returns
 * { drvPath; <outputs> }. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profiler/profiler.h"
#include "vm/builtins/builtins.h"
#include "vm/print_value.h"
#include "vm/store/context.h"
#include "vm/store/drv.h"
#include "vm/store/path.h"

static nx_sym s_name, s_ignore_nulls, s_structured, s_args, s_builder, s_system, s_outputs, s_hash, s_hash_algo,
    s_hash_mode, s_json, s_ca, s_impure, s_drvpath;

static void init_syms(void)
{
    if (s_name) return;
    s_name = nx_sym_intern_cstr("name");
    s_ignore_nulls = nx_sym_intern_cstr("__ignoreNulls");
    s_structured = nx_sym_intern_cstr("__structuredAttrs");
    s_args = nx_sym_intern_cstr("args");
    s_builder = nx_sym_intern_cstr("builder");
    s_system = nx_sym_intern_cstr("system");
    s_outputs = nx_sym_intern_cstr("outputs");
    s_hash = nx_sym_intern_cstr("outputHash");
    s_hash_algo = nx_sym_intern_cstr("outputHashAlgo");
    s_hash_mode = nx_sym_intern_cstr("outputHashMode");
    s_json = nx_sym_intern_cstr("__json");
    s_ca = nx_sym_intern_cstr("__contentAddressed");
    s_impure = nx_sym_intern_cstr("__impure");
    s_drvpath = nx_sym_intern_cstr("drvPath");
}

/* Position id of the attribute being processed, for errors: CppNix
 * reports an attribute's error at the attribute, the derivation's own
 * errors at its `name` attribute. */
static uint32_t err_pos, name_pos;

/* The frame's slots: the attribute reached (phase one; NX_NULL in phase
 * two, for the trace), the name order (name_order), the element of
 * `args` reached (for another attribute: 0 while its coercion is under
 * way), the strings phase one made (a list by name order, and
 * one by element for `args`; NX_NULL where phase two is to coerce), the
 * structured attributes' JSON walk (nx_json_walk, vm/builtins/walk.c:
 * the strings of the sets with __toString met in all of them are kept
 * for phase two's printer), whose coercion slots an attribute's
 * coercion (nx_coerce_resume) uses too (never both at once), and the
 * name for profiles (the last slot, profiler/profiler.h). */
enum { S_ATTR, S_ORDER, S_ELEM, S_STRS, S_ARGSTRS, S_JW, S_NAME = S_JW + NX_JW_NSLOTS, S_NSLOTS };
enum { S_COERCE = S_JW + NX_JW_COERCE, S_JSON_STRS = S_JW + NX_JW_STRS, S_JSON_NSTRS = S_JW + NX_JW_NSTRS };

/* A buffer for the string of one attribute at a time, emptied before each
 * use and kept for the process: phase two coerces every settled value,
 * and a fresh buffer each time cost a malloc, reallocs and a free per
 * attribute (the text is copied out by nx_drv_setenv and nx_xstrndup). */
static nx_buf *scratch(void)
{
    static nx_buf buf;
    buf.len = 0;
    if (buf.data) buf.data[0] = 0;
    return &buf;
}

/* Phase one's coercion of v (flags as nx_coerce_resume's: an attribute's
 * is copyMore with paths copied to the store), its state in the slots
 * from S_COERCE across the forces it asks for (an element, an outPath,
 * the call of a __toString: each once, so a list of n thunks costs n
 * steps).  Returns 1 with *out the string (its context kept) and the
 * state cleared, 0 on an error, -1 with vm->req to force before calling
 * again with the same v.  Allocates. */
static int coerce_resumable(nx_vm *vm, nx_frame *f, nx_value v, int flags, nx_value *out)
{
    nx_buf *b = scratch();
    nx_ctxacc ctx = { 0 };
    nx_value pending = NX_NOVALUE;
    int r = nx_coerce_resume(vm, b, &ctx, &SLOT(S_COERCE), v, flags, &pending);
    if (r < 0) vm->req = pending;
    if (r <= 0) {
        nx_ctx_free(&ctx);
        return r;
    }
    *out = nx_mk_string(b->data ? b->data : "", b->len, nx_ctx_finish(&ctx));
    for (int k = 0; k < NX_COERCE_NSTATE; k++) SLOT(S_COERCE + k) = NX_NULL;
    return 1;
}

/* Phase two's string of a derivation attribute (or of one element of
 * `args`) into b, its context into ctx: the one phase one made (done, a
 * string), else v's coercion, which needs no force (phase one found v
 * settled).  False on an error (a path that cannot be copied). */
static bool coerce_settled(nx_vm *vm, nx_buf *b, nx_ctxacc *ctx, nx_value v, nx_value done)
{
    if (nx_is_string(done)) {
        nx_buf_add(b, nx_str(done)->s, nx_str_len(done));
        if (nx_str(done)->ctx) nx_ctx_add_all(ctx, nx_str(done)->ctx);
        return true;
    }
    nx_value pending = NX_NOVALUE;
    return nx_coerce_to_string(vm, b, ctx, v, NX_COERCE_MORE, &pending) == 1;
}

static bool get_bool(nx_vm *vm, nx_attrs *a, nx_sym s, bool *out, int *status)
{
    nx_attr *x = nx_attrs_get(a, s);
    *out = false;
    if (!x) return true;
    nx_value v = nx_deref(x->value);
    if (v != NX_TRUE && v != NX_FALSE) {
        *status = nx_builtin_type_error(vm, v, "a Boolean");
        return false;
    }
    *out = v == NX_TRUE;
    return true;
}

/* The attributes of a in name order (CppNix's lexicographicOrder) as
 * their indices in a, kept as a Nix list of integers in S_ORDER: phase
 * one resumes once for every attribute it forces (15 times per
 * derivation on NixOS) and phase two and the trace walk the same order,
 * so it is sorted once per call.  Allocates the first time. */
static const nx_value *name_order(nx_frame *f, nx_attrs *a)
{
    if (!nx_is_list(SLOT(S_ORDER))) {
        nx_attr **v = nx_attrs_by_name(a);
        uint32_t n = a->h.aux;
        nx_list *l = nx_alloc_list_uninit(n);
        for (uint32_t i = 0; i < n; i++) l->v[i] = nx_mk_smallint(v[i] - a->a);
        free(v);
        SLOT(S_ORDER) = nx_from_obj(l);
    }
    return nx_listp(SLOT(S_ORDER))->v;
}

static nx_attr *nth_by_name(const nx_value *order, nx_attrs *a, int64_t i) { return &a->a[nx_int_val(order[i])]; }

/* Whether coercing v (copyMore) surely succeeds without forcing anything:
 * a string, number, Boolean or null, or a set without __toString whose
 * outPath is one of these (a derivation).  Phase one then need not build
 * the text to find out; anything else (a path: copying it can fail)
 * goes through coerce. */
static bool settled_scalar(nx_value v)
{
    static nx_sym s_outpath, s_tostring;
    if (!s_outpath) {
        s_outpath = nx_sym_intern_cstr("outPath");
        s_tostring = nx_sym_intern_cstr("__toString");
    }
    v = nx_deref(v);
    if (nx_is_attrs(v)) {
        nx_attr *o = nx_attrs_find(v, s_outpath);
        if (!o || nx_attrs_find(v, s_tostring)) return false;
        v = nx_deref(o->value);
    }
    return nx_is_string(v) || nx_is_int(v) || nx_is_float(v) || v == NX_TRUE || v == NX_FALSE || v == NX_NULL;
}

/* The same for a value or a flat list of such values. */
static bool settled(nx_value v)
{
    v = nx_deref(v);
    if (!nx_is_list(v)) return settled_scalar(v);
    for (uint32_t i = 0; i < nx_list_len(v); i++)
        if (!settled_scalar(nx_listp(v)->v[i])) return false;
    return true;
}

/* Keeps s, phase one's string of the attribute or element at index i,
 * in the list in slot `list` of n entries (made on first use). */
static void keep_string(nx_frame *f, int list, uint32_t n, uint32_t i, nx_value s)
{
    if (!nx_is_list(SLOT(list))) SLOT(list) = nx_walk_list(n);
    nx_listp(SLOT(list))->v[i] = s;
}

/* Phase one: force what phase two will read.  Returns -1 when done,
 * else a step status (S_ATTR the attribute being converted). */
static int force_phase(nx_vm *vm, nx_frame *f, nx_attrs *a)
{
    nx_attr *na = nx_attrs_get(a, s_name);
    if (!na) FAIL("attribute 'name' missing");
    nx_value name = na->value;
    NEED(name);
    nx_attr *x;
    if ((x = nx_attrs_get(a, s_structured))) {
        nx_value v = x->value;
        NEED(v);
    }
    if ((x = nx_attrs_get(a, s_ignore_nulls))) {
        nx_value v = x->value;
        NEED(v);
    }
    int status = -1;
    bool structured, ignore_nulls;
    if (!get_bool(vm, a, s_structured, &structured, &status)) return status;
    if (!get_bool(vm, a, s_ignore_nulls, &ignore_nulls, &status)) return status;
    const nx_value *order = name_order(f, a);
    int64_t start = nx_is_int(SLOT(S_ATTR)) ? nx_int_val(SLOT(S_ATTR)) : 0;
    for (int64_t i = start; i < a->h.aux; i++) {
        nx_attr *e = nth_by_name(order, a, i);
        if (e->name == s_ignore_nulls) continue;
        err_pos = e->pos;
        SLOT(S_ATTR) = nx_mk_smallint(i);
        nx_value v = e->value;
        NEED(v);
        if (ignore_nulls && v == NX_NULL) continue;
        if (e->name == s_args) {
            if (!nx_is_list(v)) return nx_builtin_type_error(vm, v, "a list");
            uint32_t n = nx_list_len(v);
            /* The element whose coercion is under way is not passed
             * over, even if the force made it settled: its state is in
             * the slots. */
            bool resuming = nx_is_int(SLOT(S_ELEM));
            for (uint32_t k = resuming ? (uint32_t)nx_int_val(SLOT(S_ELEM)) : 0; k < n; k++, resuming = false) {
                nx_value item = nx_listp(v)->v[k], s;
                if (!resuming && settled_scalar(item)) continue;
                SLOT(S_ELEM) = nx_mk_smallint(k);
                int r = coerce_resumable(vm, f, item, NX_COERCE_MORE, &s);
                if (r < 0) return NX_STEP_FORCE;
                if (r == 0) return NX_STEP_ERROR;
                keep_string(f, S_ARGSTRS, n, k, s);
            }
            SLOT(S_ELEM) = NX_NULL;
        } else if (structured) {
            int st = nx_json_walk(vm, f, S_JW, v);
            if (st != -1) return st;
        } else if (e->name != s_ca && e->name != s_impure && (nx_is_int(SLOT(S_ELEM)) || !settled(v))) {
            /* S_ELEM marks the coercion under way: settled would look
             * through the list again at each step. */
            SLOT(S_ELEM) = nx_mk_smallint(0);
            nx_value s;
            int r = coerce_resumable(vm, f, v, NX_COERCE_MORE, &s);
            if (r < 0) return NX_STEP_FORCE;
            if (r == 0) return NX_STEP_ERROR;
            keep_string(f, S_STRS, a->h.aux, (uint32_t)i, s);
            SLOT(S_ELEM) = NX_NULL;
        }
    }
    SLOT(S_ATTR) = nx_mk_smallint(a->h.aux);
    return -1;
}

/* Splits s at whitespace (CppNix's tokenizeString) into out. */
static size_t tokenize(const char *s, char ***out)
{
    size_t n = 0;
    *out = NULL;
    const char *p = s;
    for (;;) {
        while (*p && strchr(" \t\n\r", *p)) p++;
        if (!*p) break;
        const char *q = p;
        while (*q && !strchr(" \t\n\r", *q)) q++;
        *out = nx_xrealloc(*out, (n + 1) * sizeof **out);
        (*out)[n++] = nx_xstrndup(p, (size_t)(q - p));
        p = q;
    }
    return n;
}

static void free_strs(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++) free(v[i]);
    free(v);
}

typedef struct build {
    nx_drv drv;
    nx_ctxacc ctx;
    char **outputs; size_t noutputs;
    char *hash, *hash_algo, *hash_mode;
    bool have_hash;
} build;

static void build_free(build *b)
{
    nx_drv_free(&b->drv);
    nx_ctx_free(&b->ctx);
    free_strs(b->outputs, b->noutputs);
    free(b->hash);
    free(b->hash_algo);
    free(b->hash_mode);
}

/* CppNix's handleOutputs. */
static int set_outputs(nx_vm *vm, build *b, char **v, size_t n)
{
    err_pos = name_pos; /* these errors point at the name, as in CppNix */
    free_strs(b->outputs, b->noutputs);
    b->outputs = NULL;
    b->noutputs = 0;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < b->noutputs; j++)
            if (strcmp(b->outputs[j], v[i]) == 0) return nx_builtin_fail(vm, "duplicate derivation output '%s'", v[i]);
        if (strcmp(v[i], "drvPath") == 0) return nx_builtin_fail(vm, "invalid derivation output name 'drvPath'");
        b->outputs = nx_xrealloc(b->outputs, (b->noutputs + 1) * sizeof *b->outputs);
        b->outputs[b->noutputs++] = nx_xstrndup(v[i], strlen(v[i]));
    }
    if (!b->noutputs) return nx_builtin_fail(vm, "derivation cannot have an empty set of outputs");
    return -1;
}

/* Records the special attributes (builder, system, outputHash…) from
 * their string value s. */
static int special(nx_vm *vm, build *b, nx_sym key, const char *s)
{
    if (key == s_builder) {
        free(b->drv.builder);
        b->drv.builder = nx_xstrndup(s, strlen(s));
    } else if (key == s_system) {
        free(b->drv.platform);
        b->drv.platform = nx_xstrndup(s, strlen(s));
    } else if (key == s_hash) {
        free(b->hash);
        b->hash = nx_xstrndup(s, strlen(s));
        b->have_hash = true;
    } else if (key == s_hash_algo) {
        free(b->hash_algo);
        b->hash_algo = nx_xstrndup(s, strlen(s));
    } else if (key == s_hash_mode) {
        err_pos = name_pos;
        if (strcmp(s, "flat") && strcmp(s, "recursive") && strcmp(s, "nar")) {
            if (strcmp(s, "text") == 0 || strcmp(s, "git") == 0)
                return nx_builtin_fail(vm, "outputHashMode '%s' needs an experimental feature that nixe does not implement", s);
            return nx_builtin_fail(vm, "invalid value '%s' for 'outputHashMode' attribute", s);
        }
        free(b->hash_mode);
        b->hash_mode = nx_xstrndup(s, strlen(s));
    }
    return -1;
}

static void add_closure_cb(void *cx, const char *path, bool is_drv)
{
    build *b = cx;
    nx_drv_add_src(&b->drv, path);
    if (!is_drv) return;
    size_t n = 0;
    char **outs = nx_drv_output_names(path, &n);
    for (size_t i = 0; outs && i < n; i++) nx_drv_add_input(&b->drv, path, outs[i]);
}

static int build_phase(nx_vm *vm, nx_frame *f, nx_attrs *a, build *b)
{
    nx_value name = nx_deref(nx_attrs_get(a, s_name)->value);
    if (!nx_is_string(name)) return nx_builtin_type_error(vm, name, "a string");
    if (nx_str(name)->ctx) return nx_string_ctx_error(vm, name) ? -1 : NX_STEP_ERROR;
    const char *drv_name = nx_str(name)->s;
    err_pos = name_pos;
    char *bad = nx_store_check_name(drv_name, nx_str_len(name));
    if (bad) {
        int st = nx_builtin_fail(vm, "invalid derivation name: %s. Please pass a different 'name'.", bad);
        free(bad);
        return st;
    }
    b->drv.name = nx_xstrndup(drv_name, strlen(drv_name));
    err_pos = name_pos;
    int status = -1;
    bool structured, ignore_nulls;
    get_bool(vm, a, s_structured, &structured, &status);
    get_bool(vm, a, s_ignore_nulls, &ignore_nulls, &status);
    char *out1 = "out";
    set_outputs(vm, b, &out1, 1);
    nx_buf json = { 0 };
    bool json_first = true;
    if (structured) nx_buf_addc(&json, '{');
    /* The strings of the sets with __toString phase one met. */
    nx_json_strs jstrs = { 0 }, *jt = NULL;
    if (structured && nx_is_list(SLOT(S_JSON_STRS))) {
        nx_json_strs_init(&jstrs, nx_listp(SLOT(S_JSON_STRS))->v, (size_t)nx_smallint(SLOT(S_JSON_NSTRS)));
        jt = &jstrs;
    }
    const nx_value *order = name_order(f, a);
    for (uint32_t i = 0; i < a->h.aux && status < 0; i++) {
        nx_attr *e = nth_by_name(order, a, i);
        if (e->name == s_ignore_nulls) continue;
        err_pos = e->pos;
        nx_value v = nx_deref(e->value);
        if (ignore_nulls && v == NX_NULL) continue;
        const char *key = nx_sym_str(e->name);
        if (e->name == s_ca || e->name == s_impure) {
            if (v != NX_TRUE && v != NX_FALSE) status = nx_builtin_type_error(vm, v, "a Boolean");
            else if (v == NX_TRUE)
                status = nx_builtin_fail(vm, "experimental Nix feature '%s' is disabled; add '--extra-experimental-features %s' to enable it",
                                         e->name == s_ca ? "ca-derivations" : "impure-derivations",
                                         e->name == s_ca ? "ca-derivations" : "impure-derivations");
            continue;
        }
        if (e->name == s_args) {
            /* One allocation for the whole list: growing it by one each
             * time copied it each time where realloc cannot grow in place
             * (the sanitizer build: 400,000 arguments took over a minute). */
            b->drv.args = nx_xrealloc(b->drv.args, (b->drv.nargs + nx_list_len(v) + 1) * sizeof *b->drv.args);
            for (uint32_t k = 0; k < nx_list_len(v); k++) {
                nx_buf *s = scratch();
                nx_value done = nx_is_list(SLOT(S_ARGSTRS)) ? nx_listp(SLOT(S_ARGSTRS))->v[k] : NX_NULL;
                if (!coerce_settled(vm, s, &b->ctx, nx_listp(v)->v[k], done)) status = NX_STEP_ERROR;
                b->drv.args[b->drv.nargs++] = nx_xstrndup(s->data ? s->data : "", s->len);
                if (status >= 0) break;
            }
            continue;
        }
        if (structured) {
            if (e->name == s_structured) continue;
            if (!json_first) nx_buf_addc(&json, ',');
            json_first = false;
            bool key_ok = nx_print_json(vm, &json, nx_mk_string(key, strlen(key), NULL), NULL);
            nx_buf_addc(&json, ':');
            if (!key_ok || !nx_print_json(vm, &json, v, jt)) {
                status = NX_STEP_ERROR;
                break;
            }
            char *err = NULL;
            if (!nx_ctx_collect_deep(&b->ctx, v, jt, &err)) {
                status = nx_builtin_fail(vm, "%s", err);
                free(err);
                break;
            }
            if (e->name == s_outputs) {
                if (!nx_is_list(v)) {
                    status = nx_builtin_type_error(vm, v, "a list");
                    break;
                }
                uint32_t n = nx_list_len(v);
                char **names = nx_xmalloc((n + 1) * sizeof *names);
                for (uint32_t k = 0; k < n; k++) {
                    nx_value s = nx_deref(nx_listp(v)->v[k]);
                    if (!nx_is_string(s)) {
                        free_strs(names, k);
                        names = NULL;
                        status = nx_builtin_type_error(vm, s, "a string");
                        break;
                    }
                    names[k] = nx_xstrndup(nx_str(s)->s, nx_str_len(s));
                }
                if (names) {
                    status = set_outputs(vm, b, names, n);
                    free_strs(names, n);
                }
            } else if (e->name == s_builder || e->name == s_system || e->name == s_hash || e->name == s_hash_algo ||
                       e->name == s_hash_mode) {
                if (!nx_is_string(v)) {
                    status = nx_builtin_type_error(vm, v, "a string");
                    break;
                }
                status = special(vm, b, e->name, nx_str(v)->s);
            }
            continue;
        }
        nx_buf *s = scratch();
        if (!coerce_settled(vm, s, &b->ctx, v, nx_is_list(SLOT(S_STRS)) ? nx_listp(SLOT(S_STRS))->v[i] : NX_NULL)) {
            status = NX_STEP_ERROR;
            break;
        }
        const char *sv = s->data ? s->data : "";
        nx_drv_setenv(&b->drv, key, sv);
        if (e->name == s_outputs) {
            char **names;
            size_t n = tokenize(sv, &names);
            status = set_outputs(vm, b, names, n);
            free_strs(names, n);
        } else {
            status = special(vm, b, e->name, sv);
        }
    }
    if (status < 0) err_pos = nx_attrs_get(a, s_name)->pos;
    if (structured) {
        nx_buf_addc(&json, '}');
        if (status < 0) nx_drv_setenv(&b->drv, "__json", json.data);
    }
    nx_buf_free(&json);
    nx_json_strs_free(&jstrs);
    if (status >= 0) return status;

    /* Inputs from the context of everything above. */
    const nx_context *c = nx_ctx_make(&b->ctx);
    for (const char *e = nx_ctx_first(c); e; e = nx_ctx_next(c, e)) {
        if (e[0] == '=') {
            if (!nx_store_closure(e + 1, add_closure_cb, b))
                return nx_builtin_fail(vm, "path '%s' is not valid", e + 1);
        } else if (e[0] == '!') {
            const char *p = strchr(e + 1, '!');
            char *out = nx_xstrndup(e + 1, (size_t)(p - e - 1));
            nx_drv_add_input(&b->drv, p + 1, out);
            free(out);
        } else {
            nx_drv_add_src(&b->drv, e);
        }
    }

    if (!b->drv.builder || !*b->drv.builder) return nx_builtin_fail(vm, "required attribute 'builder' missing");
    if (!b->drv.platform || !*b->drv.platform) return nx_builtin_fail(vm, "required attribute 'system' missing");
    size_t nl = strlen(drv_name);
    if (nl >= 4 && strcmp(drv_name + nl - 4, ".drv") == 0)
        return nx_builtin_fail(vm, "derivation names are allowed to end in '.drv' only if they produce a single derivation file");

    if (b->have_hash) {
        if (b->noutputs != 1 || strcmp(b->outputs[0], "out"))
            return nx_builtin_fail(vm, "multiple outputs are not supported in fixed-output derivations");
        /* parseHashAlgoOpt: an unknown or empty name is "not given". */
        int algo = b->hash_algo ? nx_hash_algo_parse(b->hash_algo, strlen(b->hash_algo)) : -1;
        nx_hash h;
        if (!*b->hash) {
            if (algo < 0) return nx_builtin_fail(vm, "empty hash requires explicit hash algorithm");
            memset(&h, 0, sizeof h);
            h.algo = algo;
            h.len = nx_hash_size(algo);
            char sri[200];
            nx_hash_format(sri, &h, NX_HASH_SRI, true);
            fprintf(stderr, "warning: found empty hash, assuming '%s'\n", sri);
        } else {
            char *err = NULL;
            if (!nx_hash_parse(b->hash, strlen(b->hash), algo, &h, &err)) {
                int st = nx_builtin_fail(vm, "%s", err);
                free(err);
                return st;
            }
        }
        bool rec = b->hash_mode && strcmp(b->hash_mode, "flat") != 0;
        char *path = nx_store_fixed_path(drv_name, rec, &h);
        char hex[200], algo_s[32];
        nx_hash_format(hex, &h, NX_HASH_BASE16, false);
        snprintf(algo_s, sizeof algo_s, "%s%s", rec ? "r:" : "", nx_hash_algo_name(h.algo));
        nx_drv_setenv(&b->drv, "out", path);
        nx_drv_add_output(&b->drv, "out", path, algo_s, hex);
        free(path);
    } else {
        for (size_t i = 0; i < b->noutputs; i++) {
            nx_drv_setenv(&b->drv, b->outputs[i], "");
            nx_drv_add_output(&b->drv, b->outputs[i], "", "", "");
        }
    }
    char *drv_path = NULL, *err = NULL;
    if (!nx_drv_instantiate(&b->drv, &drv_path, &err)) {
        int st = nx_builtin_fail(vm, "%s", err);
        free(err);
        free(drv_path);
        return st;
    }
    /* { drvPath = "…drv" (context =drv); <output> = "…" (context !o!drv); } */
    nx_attrs *r = nx_alloc_attrs((uint32_t)b->drv.noutputs + 1);
    nx_ctxacc ca = { 0 };
    nx_buf e = { 0 };
    nx_buf_printf(&e, "=%s", drv_path);
    nx_ctx_add(&ca, e.data, e.len);
    r->a[0] = (nx_attr){ s_drvpath, 0, nx_mk_string(drv_path, strlen(drv_path), nx_ctx_finish(&ca)) };
    for (size_t i = 0; i < b->drv.noutputs; i++) {
        nx_drv_output *o = &b->drv.outputs[i];
        e.len = 0;
        nx_buf_printf(&e, "!%s!%s", o->name, drv_path);
        nx_ctx_add(&ca, e.data, e.len);
        r->a[i + 1] = (nx_attr){ nx_sym_intern_cstr(o->name), 0, nx_mk_string(o->path, strlen(o->path), nx_ctx_finish(&ca)) };
    }
    nx_buf_free(&e);
    free(drv_path);
    nx_attrs_sort(r);
    vm->ret = nx_from_obj(r);
    return NX_STEP_RETURN;
}

static int step_derivationStrict(nx_vm *vm, nx_frame *f)
{
    init_syms();
    EXPECT(ARG(0), nx_is_attrs(ARG(0)), "a set");
    nx_attrs *a = nx_attrsp(ARG(0));
    nx_attr *na = nx_attrs_get(a, s_name);
    err_pos = name_pos = na ? na->pos : 0;
    if (NX_UNLIKELY(nx_prof_names) && na && SLOT(S_NAME) == NX_NULL) {
        /* `primop derivationStrict NAME` in profiles, once the name is
         * known (profiler/profiler.h). */
        nx_value nv = nx_deref(na->value);
        if (nx_is_string(nv)) SLOT(S_NAME) = nx_mk_smallint(nx_sym_intern(nx_str(nv)->s, nx_str_len(nv)));
    }
    int st = force_phase(vm, f, a);
    if (st == -1) {
        SLOT(S_ATTR) = NX_NULL; /* no attribute of its own in the trace */
        build b = { 0 };
        st = build_phase(vm, f, a, &b);
        build_free(&b);
    }
    if (st == NX_STEP_ERROR && err_pos) vm->err.pos = nx_pos_get(err_pos);
    return st;
}

void nx_drv_trace(nx_vm *vm, const nx_frame *f);

/* The trace entries of an error unwinding a derivationStrict frame f
 * (vm/trace.c), innermost first, as CppNix's prim_derivationStrict adds
 * them: "while evaluating attribute 'A' of derivation 'N'" at the
 * attribute whose conversion failed (S_ATTR, phase one only), then
 * "while evaluating derivation 'N'" with the name's position in the text;
 * or, while the name itself fails, "while evaluating the `name` attribute
 * …" and "while evaluating the derivation attribute 'name'".  Allocates; error path only. */
void nx_drv_trace(nx_vm *vm, const nx_frame *f)
{
    init_syms();
    nx_value av = nx_deref(ARG(0));
    if (!nx_is_attrs(av)) return;
    nx_attrs *a = nx_attrsp(av);
    nx_attr *na = nx_attrs_get(a, s_name);
    if (!na) {
        nx_error_add_trace(&vm->err, NX_NOPOS, false, "in the attrset passed as argument to builtins.derivationStrict");
        return;
    }
    nx_pos npos = na->pos ? nx_pos_get(na->pos) : NX_NOPOS;
    nx_value name = nx_deref(na->value);
    if (!nx_is_string(name)) {
        nx_error_add_trace(&vm->err, NX_NOPOS, false,
                           "while evaluating the `name` attribute passed to builtins.derivationStrict");
        nx_error_add_trace(&vm->err, npos, false, "while evaluating the derivation attribute 'name'");
        return;
    }
    const char *n = nx_str(name)->s;
    if (nx_is_int(SLOT(S_ATTR)) && nx_int_val(SLOT(S_ATTR)) < a->h.aux && nx_is_list(SLOT(S_ORDER))) {
        nx_attr *e = nth_by_name(nx_listp(SLOT(S_ORDER))->v, a, nx_int_val(SLOT(S_ATTR)));
        nx_error_add_trace(&vm->err, e->pos ? nx_pos_get(e->pos) : NX_NOPOS, false,
                           "while evaluating attribute '%s' of derivation '%s'", nx_sym_str(e->name), n);
    }
    nx_buf loc = { 0 };
    nx_pos_format(&loc, npos);
    nx_error_add_trace(&vm->err, NX_NOPOS, true, "while evaluating derivation '%s'\n  whose name attribute is located at %s",
                       n, loc.data);
    nx_buf_free(&loc);
}

static const nx_builtin table[] = {
    { "derivationStrict", 1, 1, S_NSLOTS, false, step_derivationStrict },
};

const nx_builtin_table nx_builtins_derivation = { table, NX_ARRAY_LEN(table) };

/* The `derivation` function: nixe's own Nix wrapper around
 * derivationStrict, equivalent to CppNix's derivation.nix (same
 * attributes, same laziness): one attribute set per output sharing the
 * input attributes, the outputs by name, `all`, `drvAttrs`, `drvPath`,
 * `outPath`, `outputName` and `type = "derivation"`. */
const char nx_derivation_nix[] =
    "drvAttrs@{ outputs ? [ \"out\" ], ... }:\n"
    "let\n"
    "  strict = derivationStrict drvAttrs;\n"
    "  perOutput = map (outputName: {\n"
    "    name = outputName;\n"
    "    value = shared // {\n"
    "      outPath = strict.${outputName};\n"
    "      drvPath = strict.drvPath;\n"
    "      type = \"derivation\";\n"
    "      inherit outputName;\n"
    "    };\n"
    "  }) outputs;\n"
    "  shared = drvAttrs // builtins.listToAttrs perOutput // {\n"
    "    all = map (o: o.value) perOutput;\n"
    "    inherit drvAttrs;\n"
    "  };\n"
    "in (builtins.head perOutput).value\n";

/* <nix/fetchurl.nix>: the fixed-output derivation with the built-in
 * fetchurl builder, equivalent to CppNix's corepkgs file (same arguments,
 * same attributes, so the same .drv).  Nix 2.8 shows its path as
 * /__corepkgs__/fetchurl.nix. */
static const char fetchurl_nix[] =
    "{ system ? \"\", url, hash ? \"\", md5 ? \"\", sha1 ? \"\", sha256 ? \"\", sha512 ? \"\"\n"
    ", outputHash ? (if hash != \"\" then hash else if sha512 != \"\" then sha512\n"
    "    else if sha1 != \"\" then sha1 else if md5 != \"\" then md5 else sha256)\n"
    ", outputHashAlgo ? (if hash != \"\" then \"\" else if sha512 != \"\" then \"sha512\"\n"
    "    else if sha1 != \"\" then \"sha1\" else if md5 != \"\" then \"md5\" else \"sha256\")\n"
    ", executable ? false, unpack ? false, name ? baseNameOf (toString url), impure ? false }:\n"
    "derivation ({\n"
    "  inherit name url executable unpack;\n"
    "  builder = \"builtin:fetchurl\";\n"
    "  system = \"builtin\";\n"
    "  outputHashMode = if unpack || executable then \"recursive\" else \"flat\";\n"
    "  preferLocalBuild = true;\n"
    "  impureEnvVars = [ \"http_proxy\" \"https_proxy\" \"ftp_proxy\" \"all_proxy\" \"no_proxy\" ];\n"
    "  urls = [ url ];\n"
    "} // (if impure then { __impure = true; } else { inherit outputHashAlgo outputHash; }))\n";

const char *nx_corepkgs_file(const char *path)
{
    if (strcmp(path, NX_COREPKGS_DIR "/fetchurl.nix") == 0) return fetchurl_nix;
    return NULL;
}
