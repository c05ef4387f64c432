/* cli.c — the `nixe` command line: nix-instantiate compatible options. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "profiler/profiler.h"
#include "vm/builtins/fetch_io.h"
#include "vm/stats.h"
#include "vm/compile.h"
#include "vm/disasm.h"
#include "vm/builtins/builtins.h"
#include "vm/heap.h"
#include "vm/nixe.h"
#include "vm/print_value.h"
#include "vm/searchpath.h"
#include "vm/store/path.h"
#include "vm/vm.h"

static void usage(FILE *f)
{
    fputs("usage: nixe [options] [FILE | - | -E EXPR]...\n"
          "\n"
          "  --parse             print the parsed expression (as nix-instantiate --parse)\n"
          "  --eval              evaluate and print the value (as nix-instantiate --eval)\n"
          "  --strict            with --eval: evaluate the value completely\n"
          "  --json              with --eval: print the value as JSON\n"
          "  --xml               with --eval: print the value as XML\n"
          "  --dump-bytecode     print the compiled code of every function\n"
          "  -E, --expr          the arguments are expressions, not files\n"
          "  -A, --attr PATH     select an attribute of the result (a.b.0.c, a.\"b.c\")\n"
          "  --arg NAME EXPR     argument for a top-level function\n"
          "  --argstr NAME STR   string argument for a top-level function\n"
          "  --trace-verbose     builtins.traceVerbose prints its message\n"
          "  --abort-on-warn     builtins.warn is an error (also NIX_ABORT_ON_WARN=1)\n"
          "  --find-file         print where each argument is found in the search path\n"
          "  -I [PREFIX=]PATH    add a search path entry (before $NIX_PATH) for <PREFIX/...>\n"
          "  --max-call-depth N  limit on nested calls and forcings (default 10000000)\n"
          "  --max-heap SIZE     limit on the evaluation heap, e.g. 4G (default: 3/4 of RAM)\n"
          "  --profile[=FILE]    sample the evaluation and write folded stacks to FILE\n"
          "                      (default nix.profile; also --eval-profiler flamegraph,\n"
          "                      --eval-profile-file FILE)\n"
          "  --profile-frequency HZ  samples per second of CPU time (default 99;\n"
          "                      also --eval-profiler-frequency)\n"
          "  --profile-format F  folded (default), speedscope (its JSON) or svg\n"
          "  --profile-native    add the C functions below the Nix frames\n"
          "  --profile-alloc[=BYTES]  sample the stacks that allocate on the heap,\n"
          "                      every BYTES (default 512K), into nix.alloc.profile\n"
          "  --profile-alloc-file FILE  the allocation profile's file\n"
          "  --trace-calls FILE  trace every call, builtin and thunk into FILE as\n"
          "                      Chrome trace-event JSON (Perfetto, chrome://tracing)\n"
          "  --trace-function-calls  CppNix's function-trace lines on stderr\n"
          "  --option NAME VALUE set eval-profiler, eval-profile-file,\n"
          "                      eval-profiler-frequency, trace-function-calls\n"
          "                      or abort-on-warn\n"
          "  --show-trace        print the trace of an error (modern CppNix's layout)\n"
          "  --eval-only, --read-only, --readonly-mode, --read-write-mode,\n"
          "  --timeout N         accepted as nix-instantiate does (nixe never writes\n"
          "                      to the store; nothing is built)\n"
          "  -                   read the expression from standard input\n"
          "  --version           print the version\n"
          "  --help              this text\n",
          f);
}

/* A pending input: a file path, an expression, or stdin. */
typedef struct input {
    enum { IN_FILE, IN_EXPR, IN_STDIN } kind;
    const char *arg;
} input;

static char *cwd_dup(void)
{
    char buf[PATH_MAX];
    if (!getcwd(buf, sizeof buf)) return nx_xstrndup("/", 1);
    return nx_xstrndup(buf, strlen(buf));
}

/* Absolute, canonical (".", ".." and "//" removed) form of path. */
static char *abs_path(const char *path, const char *base)
{
    nx_buf in = { 0 };
    if (path[0] != '/') {
        nx_buf_adds(&in, base);
        nx_buf_addc(&in, '/');
    }
    nx_buf_adds(&in, path);
    char *out = nx_xmalloc(in.len + 2);
    nx_canon_path(out, in.data, in.len);
    nx_buf_free(&in);
    return out;
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash || slash == path) return nx_xstrndup("/", 1);
    return nx_xstrndup(path, (size_t)(slash - path));
}

/* CppNix's resolveExprPath: follow symlinks of the file itself, and use
 * default.nix for a directory.  Returns NULL and fills err on failure. */
static char *resolve_expr_path(const char *path, nx_error *err)
{
    char *p = nx_xstrndup(path, strlen(path));
    for (int hops = 0;; hops++) {
        struct stat st;
        if (lstat(p, &st) < 0) {
            nx_error_set(err, NX_NOPOS, "getting status of '%s': %s", p, strerror(errno));
            free(p);
            return NULL;
        }
        if (S_ISLNK(st.st_mode) && hops < 64) {
            char target[PATH_MAX];
            ssize_t n = readlink(p, target, sizeof target - 1);
            if (n < 0) break;
            target[n] = 0;
            char *dir = dir_of(p);
            char *next = abs_path(target, dir);
            free(dir);
            free(p);
            p = next;
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            nx_buf b = { 0 };
            nx_buf_adds(&b, p);
            nx_buf_adds(&b, strcmp(p, "/") == 0 ? "default.nix" : "/default.nix");
            free(p);
            p = b.data;
            struct stat st2;
            if (stat(p, &st2) < 0) {
                nx_error_set(err, NX_NOPOS, "opening file '%s': %s", p, strerror(errno));
                free(p);
                return NULL;
            }
        }
        break;
    }
    return p;
}

typedef struct autoarg {
    const char *name, *value;
    bool is_string;
} autoarg;

typedef struct options {
    bool parse_only, eval, strict, expr_mode, dump, json, xml, find_file;
    bool instantiate;      /* no --eval: print .drv paths */
    const char **attrpaths;  /* -A PATH, each in turn (none: the whole value) */
    int nattrpaths;
    autoarg *args;
    int nargs;
    uint64_t max_depth;
    input *inputs;
    int ninputs;
    int rc;
    bool profile;
    const char *profile_file;
    unsigned profile_hz;
    int profile_format;
    bool profile_native;
    const char *profile_alloc_file; /* --profile-alloc */
    uint64_t profile_alloc_every;
    bool profile_alloc;
    const char *trace_calls;   /* --trace-calls FILE */
    bool trace_function_calls; /* CppNix's --trace-function-calls */
} options;

static nx_vm *the_vm;

typedef struct parse_job {
    uint32_t src;
    const char *base_dir;
    nx_error err;
    bool ok;
} parse_job;

/* Parses and resolves j->src, then prints it to stdout as it goes; on
 * failure j->err is set and nothing is printed. */
static void parse_and_print(void *v)
{
    parse_job *j = v;
    nx_parse_result r;
    j->ok = nx_parse(j->src, j->base_dir, &r, &j->err) && nx_scope_resolve(r.root, &j->err);
    if (j->ok) {
        fflush(stdout);
        if (!nx_print_ast_fd(STDOUT_FILENO, r.root)) {
            nx_error_set(&j->err, NX_NOPOS, "writing to standard output: %s", strerror(errno));
            j->ok = false;
        }
    }
    nx_parse_free(&r);
}

static char *read_all(FILE *f, size_t *len)
{
    nx_buf b = { 0 };
    char tmp[65536];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0) nx_buf_add(&b, tmp, n);
    *len = b.len;
    return b.data ? b.data : nx_xstrndup("", 0);
}

static int eval_source(const options *o, uint32_t src, const char *base);

static int run_input(const options *o, const input *in, const char *cwd)
{
    nx_error err = { 0 };
    uint32_t src = 0;
    char *base = NULL;
    if (in->kind == IN_EXPR) {
        src = nx_source_add("«string»", cwd, in->arg, strlen(in->arg));
        base = nx_xstrndup(cwd, strlen(cwd));
    } else if (in->kind == IN_STDIN) {
        size_t len;
        char *text = read_all(stdin, &len);
        src = nx_source_add("«stdin»", cwd, text, len);
        free(text);
        base = nx_xstrndup(cwd, strlen(cwd));
    } else {
        char *abs = abs_path(in->arg, cwd);
        char *path = resolve_expr_path(abs, &err);
        free(abs);
        if (!path) {
            nx_error_print(stderr, &err);
            nx_error_clear(&err);
            return 1;
        }
        src = nx_source_load_file(path);
        if (!src) {
            nx_error_set(&err, NX_NOPOS, "opening file '%s': %s", path, strerror(errno));
            nx_error_print(stderr, &err);
            nx_error_clear(&err);
            free(path);
            return 1;
        }
        base = dir_of(path);
        free(path);
    }
    if (o->eval) {
        int rc = eval_source(o, src, base);
        free(base);
        return rc;
    }
    parse_job job = { .src = src, .base_dir = base };
    parse_and_print(&job);
    free(base);
    if (!job.ok) {
        fflush(stdout);
        nx_error_print_28(stderr, &job.err);
        nx_error_clear(&job.err);
        return 1;
    }
    return 0;
}

/* Parses, checks and compiles a source; NULL with err set on failure. */
static nx_code *compile_source(uint32_t src, const char *base, nx_error *err)
{
    nx_parse_result r;
    int prof = nx_prof_phase_enter(NX_PROF_PARSE);
    bool ok = nx_parse(src, base, &r, err) && nx_scope_resolve(r.root, err);
    nx_prof_phase_leave(prof);
    if (!ok) {
        nx_parse_free(&r);
        return NULL;
    }
    prof = nx_prof_phase_enter(NX_PROF_COMPILE);
    nx_code *code = nx_compile(r.root);
    nx_prof_phase_leave(prof);
    nx_parse_free(&r);
    return code;
}

static int report(nx_vm *vm)
{
    fflush(stdout);
    nx_error_print(stderr, &vm->err);
    nx_error_clear(&vm->err);
    vm->failed = false;
    return 1;
}

/* nix-instantiate's auto-calling: a top-level function taking a set of
 * formals is called with the --arg/--argstr values it names. */
static bool auto_call(const options *o, nx_vm *vm, nx_value *v, const char *cwd)
{
    nx_value f = nx_deref(*v);
    if (!nx_is_type(f, NX_OBJ_CLOSURE)) return true;
    nx_closure *c = (nx_closure *)nx_obj_of(f);
    const nx_lambda_code *lc = nx_code_lambda(c->code);
    if (!lc->has_formals) return true;
    nx_attrs *a = nx_alloc_attrs((uint32_t)o->nargs + 1);
    uint32_t k = 0;
    for (int i = 0; i < o->nargs; i++) {
        nx_sym s = nx_sym_intern_cstr(o->args[i].name);
        bool wanted = lc->ellipsis;
        for (uint32_t j = 0; j < lc->nformals && !wanted; j++) wanted = lc->formals[j].name == s;
        if (!wanted) continue;
        nx_value val;
        if (o->args[i].is_string) {
            val = nx_mk_cstring(o->args[i].value);
        } else {
            nx_error err = { 0 };
            uint32_t src = nx_source_add("«string»", cwd, o->args[i].value, strlen(o->args[i].value));
            nx_code *code = compile_source(src, cwd, &err);
            if (!code) {
                nx_error_print(stderr, &err);
                nx_error_clear(&err);
                return false;
            }
            val = nx_mk_thunk(code, NULL);
        }
        a->a[k++] = (nx_attr){ s, 0, val };
    }
    a->h.aux = k;
    nx_attrs_sort(a);
    if (!nx_vm_apply(vm, f, nx_from_obj(a), v)) return report(vm), false;
    return true;
}

/* The next component of a selection path at *p (CppNix's parseAttrPath:
 * split at dots, a double-quoted part keeps its dots).  Returns a
 * malloc'd component and advances *p (NULL after the last one); NULL
 * with a message printed if a quote is not closed. */
static char *next_component(const char **p, const char *whole)
{
    nx_buf b = { 0 };
    const char *s = *p;
    for (; *s && *s != '.'; s++) {
        if (*s != '"') {
            nx_buf_addc(&b, *s);
            continue;
        }
        for (s++; *s != '"'; s++) {
            if (!*s) {
                fprintf(stderr, "error: missing closing quote in selection path '%s'\n", whole);
                nx_buf_free(&b);
                return NULL;
            }
            nx_buf_addc(&b, *s);
        }
    }
    *p = *s ? s + 1 : NULL;
    return b.data ? b.data : nx_xstrndup("", 0);
}

/* -A a.b.0.c: attribute names and list indices, auto-calling between. */
static bool select_attrpath(const options *o, const char *attrpath, nx_vm *vm, nx_value *v, const char *cwd)
{
    const char *p = attrpath;
    while (p && *p) {
        if (!nx_vm_force(vm, v)) return report(vm), false;
        if (!auto_call(o, vm, v, cwd)) return false;
        if (!nx_vm_force(vm, v)) return report(vm), false;
        char *comp = next_component(&p, attrpath);
        if (!comp) return false;
        size_t n = strlen(comp);
        char *endp;
        long idx = strtol(comp, &endp, 10);
        if (n && *endp == 0 && nx_is_list(*v)) {
            if (idx < 0 || (uint64_t)idx >= nx_list_len(*v)) {
                fprintf(stderr, "error: list index %ld in selection path '%s' is out of range\n", idx, attrpath);
                free(comp);
                return false;
            }
            *v = nx_listp(*v)->v[idx];
        } else {
            if (!nx_is_attrs(*v)) {
                fprintf(stderr, "error: the value selected by the selection path '%s' is %s, not a set\n", attrpath,
                        nx_type_phrase(*v));
                free(comp);
                return false;
            }
            nx_attr *at = nx_attrs_get(nx_attrsp(*v), nx_sym_intern(comp, n));
            if (!at) {
                fprintf(stderr, "error: attribute '%s' in selection path '%s' not found\n", comp, attrpath);
                free(comp);
                return false;
            }
            *v = at->value;
        }
        free(comp);
    }
    return true;
}

/* ---- nix-instantiate without --eval: the derivations' .drv paths -------
 * CppNix's getDerivations, without C recursion: a work stack of values to
 * visit, and the derivations found, both GC roots.  A task is a value and
 * a kind: GETDRVS (auto-call it, then a derivation is taken, a set's
 * attributes and a list's elements are visited, anything else is an
 * error), ATTR (an attribute's value: a derivation is taken, a set with
 * recurseForDerivations = true is visited as GETDRVS) or ELEM (a list
 * element: a derivation is taken, anything else is visited as GETDRVS). */
enum { TASK_GETDRVS, TASK_ATTR, TASK_ELEM };
static nx_value *tasks, *drvs;
static uint8_t *task_kind;
static size_t ntasks, captasks, ndrvs, capdrvs;

static void mark_instantiate(nx_gc_mark_fn mark)
{
    for (size_t i = 0; i < ntasks; i++) mark(tasks[i]);
    for (size_t i = 0; i < ndrvs; i++) mark(drvs[i]);
}

static void push_task(nx_value v, uint8_t kind)
{
    if (ntasks == captasks) {
        captasks = captasks ? captasks * 2 : 64;
        tasks = nx_xrealloc(tasks, captasks * sizeof *tasks);
        task_kind = nx_xrealloc(task_kind, captasks * sizeof *task_kind);
    }
    tasks[ntasks] = v;
    task_kind[ntasks++] = kind;
}

/* The attribute's value forced in place, or NX_NOVALUE if absent; false
 * after an error report. */
static bool force_attr(nx_vm *vm, nx_value set, const char *name, nx_value *out)
{
    nx_attr *a = nx_attrs_get(nx_attrsp(set), nx_sym_intern_cstr(name));
    *out = NX_NOVALUE;
    if (!a) return true;
    if (!nx_vm_force(vm, &a->value)) return false;
    *out = nx_deref(a->value);
    return true;
}

/* CppNix's isDerivation: a set whose `type` is the string "derivation".
 * Returns 1, 0, or -1 after an error. */
static int is_derivation(nx_vm *vm, nx_value v)
{
    if (!nx_is_attrs(v)) return 0;
    nx_value t;
    if (!force_attr(vm, v, "type", &t)) return -1;
    return t != NX_NOVALUE && nx_is_string(t) && strcmp(nx_str(t)->s, "derivation") == 0;
}

static int cmp_attr_names(const void *a, const void *b)
{
    return strcmp(nx_sym_str(((const nx_attr *)a)->name), nx_sym_str(((const nx_attr *)b)->name));
}

/* CppNix's attrRegex for the attributes getDerivations looks into. */
static bool drv_attr_name(const char *s)
{
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_')) return false;
    for (s++; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_' ||
              *s == '\'' || *s == '-'))
            return false;
    return true;
}

/* Takes a derivation (once per set object) after checking its name. */
static bool take_derivation(nx_vm *vm, nx_value v)
{
    for (size_t i = 0; i < ndrvs; i++)
        if (nx_attrsp(drvs[i]) == nx_attrsp(v)) return true;
    nx_value name;
    if (!force_attr(vm, v, "name", &name)) return false;
    if (name == NX_NOVALUE) {
        fflush(stdout);
        fputs("error: derivation name missing\n", stderr);
        return false;
    }
    if (ndrvs == capdrvs) {
        capdrvs = capdrvs ? capdrvs * 2 : 64;
        drvs = nx_xrealloc(drvs, capdrvs * sizeof *drvs);
    }
    drvs[ndrvs++] = v;
    return true;
}

/* Prints the .drv path of each derivation in v (nix-instantiate without
 * --eval), "PATH!OUTPUT" for an output other than out.  Returns the exit
 * status (errors reported). */
static int instantiate(const options *o, nx_vm *vm, nx_value root, const char *cwd)
{
    static bool rooted, warned;
    if (!rooted) nx_gc_register_roots(mark_instantiate), rooted = true;
    ntasks = ndrvs = 0;
    push_task(root, TASK_GETDRVS);
    while (ntasks) {
        uint8_t kind = task_kind[ntasks - 1];
        nx_value *slot = &tasks[ntasks - 1];
        if (kind == TASK_GETDRVS && !auto_call(o, vm, slot, cwd)) return 1;
        if (!nx_vm_force(vm, &tasks[ntasks - 1])) return report(vm);
        nx_value v = nx_deref(tasks[--ntasks]);
        int d = is_derivation(vm, v);
        if (d < 0) return report(vm);
        if (d) {
            if (!take_derivation(vm, v)) return vm->failed ? report(vm) : 1;
            continue;
        }
        if (kind == TASK_ATTR) {
            nx_value r;
            if (!nx_is_attrs(v)) continue;
            if (!force_attr(vm, v, "recurseForDerivations", &r)) return report(vm);
            if (r == NX_NOVALUE) continue;
            if (r != NX_TRUE && r != NX_FALSE) {
                nx_builtin_type_error(vm, r, "a Boolean");
                return report(vm);
            }
            if (r == NX_TRUE) push_task(v, TASK_GETDRVS);
            continue;
        }
        if (kind == TASK_ELEM) {
            push_task(v, TASK_GETDRVS);
            continue;
        }
        if (nx_is_attrs(v)) {
            nx_attrs *a = nx_attrsp(v);
            bool combine = nx_attrs_get(a, nx_sym_intern_cstr("_combineChannels")) != NULL;
            nx_attr *sorted = nx_xmalloc((a->h.aux + 1) * sizeof *sorted);
            memcpy(sorted, a->a, a->h.aux * sizeof *sorted);
            qsort(sorted, a->h.aux, sizeof *sorted, cmp_attr_names);
            /* Pushed last first, so that the first is visited first. */
            for (uint32_t i = a->h.aux; i-- > 0;)
                if (drv_attr_name(nx_sym_str(sorted[i].name)))
                    push_task(sorted[i].value, combine ? TASK_GETDRVS : TASK_ATTR);
            free(sorted);
        } else if (nx_is_list(v)) {
            for (uint32_t i = nx_list_len(v); i-- > 0;) push_task(nx_listp(v)->v[i], TASK_ELEM);
        } else {
            fflush(stdout);
            fputs("error: expression does not evaluate to a derivation (or a set or list of those)\n", stderr);
            return 1;
        }
    }
    for (size_t i = 0; i < ndrvs; i++) {
        nx_value p, out;
        if (!force_attr(vm, drvs[i], "drvPath", &p)) return report(vm);
        if (p == NX_NOVALUE || (!nx_is_string(p) && !nx_is_path(p))) {
            fflush(stdout);
            fputs(p == NX_NOVALUE ? "error: derivation does not contain a 'drvPath' attribute\n"
                                  : "error: the 'drvPath' of a derivation is not a string\n",
                  stderr);
            return 1;
        }
        const char *sd = nx_store_dir();
        size_t sdl = strlen(sd);
        if (strncmp(nx_str(p)->s, sd, sdl) != 0 || nx_str(p)->s[sdl] != '/') {
            fflush(stdout);
            fprintf(stderr, "error: path '%s' is not in the Nix store\n", nx_str(p)->s);
            return 1;
        }
        if (!force_attr(vm, drvs[i], "outputName", &out)) return report(vm);
        if (out == NX_NOVALUE || !nx_is_string(out)) {
            fflush(stdout);
            fprintf(stderr, "error: derivation '%s' lacks an 'outputName' attribute\n", nx_str(p)->s);
            return 1;
        }
        if (!warned) {
            /* nix-instantiate warns once, read-only mode or not. */
            fflush(stdout);
            fputs("warning: you did not specify '--add-root'; the result might be removed by the garbage collector\n",
                  stderr);
            warned = true;
        }
        if (strcmp(nx_str(out)->s, "out") == 0) printf("%s\n", nx_str(p)->s);
        else printf("%s!%s\n", nx_str(p)->s, nx_str(out)->s);
    }
    fflush(stdout);
    return 0;
}

static int print_result(const options *o, nx_vm *vm, nx_value *vp);

static int eval_source(const options *o, uint32_t src, const char *base)
{
    nx_error err = { 0 };
    nx_code *code = compile_source(src, base, &err);
    if (!code) {
        nx_error_print(stderr, &err);
        nx_error_clear(&err);
        return 1;
    }
    if (o->dump) {
        nx_buf out = { 0 };
        nx_disassemble(&out, code);
        fwrite(out.data, 1, out.len, stdout);
        nx_buf_free(&out);
        return 0;
    }
    nx_vm *vm = the_vm;
    /* The results are held here while the driver forces and prints them. */
    static nx_value root, v;
    static bool rooted;
    if (!rooted) nx_gc_add_root(&root), nx_gc_add_root(&v), rooted = true;
    if (!nx_vm_run(vm, code, NULL, &root)) return report(vm);
    char *cwd = cwd_dup();
    int rc = 0;
    /* Each -A path in turn, from the same value, as nix-instantiate. */
    for (int k = 0; rc == 0 && k < (o->nattrpaths ? o->nattrpaths : 1); k++) {
        const char *path = o->nattrpaths ? o->attrpaths[k] : NULL;
        v = root;
        bool ok = auto_call(o, vm, &v, cwd) && select_attrpath(o, path, vm, &v, cwd);
        if (ok && path) ok = auto_call(o, vm, &v, cwd);
        if (!ok) rc = 1;
        else if (o->instantiate) rc = instantiate(o, vm, v, cwd);
        else rc = print_result(o, vm, &v);
    }
    free(cwd);
    /* What the evaluation keeps, with its result still held. */
    const char *census = getenv("NIXE_GC_CENSUS");
    if (census && *census && strcmp(census, "0") != 0) nx_gc_census(vm, stderr);
    return rc;
}

/* Forces (deeply with --strict) and prints the selected value v of
 * eval_source; returns the exit status. */
static int print_result(const options *o, nx_vm *vm, nx_value *vp)
{
    /* --json --strict forces while printing (CppNix's printValueAsJSON,
     * its own trace entries), not by forceValueDeep. */
    bool json_strict = o->json && o->strict;
    if (o->strict && !json_strict ? !nx_force_deep(vm, vp, !o->xml) : !nx_vm_force(vm, vp)) return report(vm);
    nx_value v = *vp;
    nx_buf out = { 0 };
    if (o->json) {
        if (!(json_strict ? nx_print_json_strict(vm, &out, vp) : nx_print_json_driver(vm, &out, vp))) {
            nx_buf_free(&out);
            return report(vm);
        }
    } else if (o->xml) {
        /* A cyclic value: CppNix overflows its stack (and exits 1). */
        if (!nx_print_xml_doc(&out, v, true)) {
            nx_buf_free(&out);
            fflush(stdout);
            fputs("error: stack overflow (possible infinite recursion)\n", stderr);
            return 1;
        }
    } else {
        nx_print_value(&out, v);
    }
    if (!o->xml) nx_buf_addc(&out, '\n');
    fwrite(out.data, 1, out.len, stdout);
    nx_buf_free(&out);
    return 0;
}

static void run_all(void *arg)
{
    options *o = arg;
    char *cwd = cwd_dup();
    /* The profiler samples this thread: start it here. */
    bool profiling = o->profile || o->profile_alloc;
    nx_prof_options po = { o->profile ? (o->profile_file ? o->profile_file : NX_PROF_DEFAULT_FILE) : NULL,
                           o->profile_hz, o->profile_format, o->profile_native,
                           o->profile_alloc ? (o->profile_alloc_file ? o->profile_alloc_file
                                                                     : NX_PROF_DEFAULT_ALLOC_FILE)
                                            : NULL,
                           o->profile_alloc_every };
    if (profiling && !nx_prof_start(&po)) {
        o->rc = 1;
        free(cwd);
        return;
    }
    if (o->trace_calls && o->trace_function_calls) {
        fprintf(stderr, "error: '--trace-calls' and '--trace-function-calls' cannot be combined\n");
        o->rc = 1;
        free(cwd);
        return;
    }
    /* The call tracer: closed by nx_prof_finish below. */
    bool tracing = o->eval && (o->trace_calls || o->trace_function_calls);
    if (tracing && !nx_calltrace_start(o->trace_calls,
                                       o->trace_calls ? NX_CALLTRACE_CHROME : NX_CALLTRACE_CPPNIX)) {
        o->rc = 1;
        free(cwd);
        return;
    }
    if (o->eval) {
        nx_globals_init();
        the_vm = nx_vm_new(o->max_depth);
        nx_prof_set_vm(the_vm);
    }
    o->rc = 0;
    for (int i = 0; i < o->ninputs && o->rc == 0; i++) o->rc = run_input(o, &o->inputs[i], cwd);
    /* A fetcher's hash mismatch exits with 102, as in CppNix. */
    if (o->rc == 1 && nx_fetch_exit_status) o->rc = nx_fetch_exit_status;
    free(cwd);
    if ((profiling || tracing) && !nx_prof_finish() && o->rc == 0) o->rc = 1;
}

/* The profiler's settings, in nixe's and CppNix's spellings (CppNix's
 * eval-profiler is "disabled" or "flamegraph").  Returns false after an
 * error message. */
static bool profile_setting(options *o, const char *name, const char *value)
{
    if (strcmp(name, "abort-on-warn") == 0) {
        if (strcmp(value, "true") == 0) nx_set_abort_on_warn(true);
        else if (strcmp(value, "false") == 0) nx_set_abort_on_warn(false);
        else {
            fprintf(stderr, "error: Boolean setting 'abort-on-warn' has invalid value '%s'\n", value);
            return false;
        }
    } else if (strcmp(name, "timeout") == 0) {
        /* a build setting: nothing is built here */
    } else if (strcmp(name, "eval-profiler") == 0) {
        if (strcmp(value, "flamegraph") == 0) o->profile = true;
        else if (strcmp(value, "disabled") == 0) o->profile = false;
        else {
            fprintf(stderr, "error: option 'eval-profiler' has invalid value '%s' (expected 'disabled' or 'flamegraph')\n",
                    value);
            return false;
        }
    } else if (strcmp(name, "eval-profile-file") == 0) {
        o->profile_file = value;
    } else if (strcmp(name, "eval-profiler-frequency") == 0) {
        char *end;
        unsigned long n = strtoul(value, &end, 10);
        if (*end || !*value || n == 0 || n > NX_PROF_MAX_HZ) {
            fprintf(stderr, "error: invalid profiler frequency '%s' (from 1 to %d samples per second)\n", value,
                    NX_PROF_MAX_HZ);
            return false;
        }
        o->profile_hz = (unsigned)n;
    } else if (strcmp(name, "trace-function-calls") == 0) {
        if (strcmp(value, "true") == 0) o->trace_function_calls = true;
        else if (strcmp(value, "false") == 0) o->trace_function_calls = false;
        else {
            fprintf(stderr, "error: Boolean setting 'trace-function-calls' has invalid value '%s'\n", value);
            return false;
        }
    } else if (strcmp(name, "tarball-ttl") == 0) {
        /* Read by the fetchers (vm/builtins/fetch_io.c). */
        setenv("NIXE_TARBALL_TTL", value, 1);
    } else {
        fprintf(stderr, "warning: unknown setting '%s'\n", name);
    }
    return true;
}

/* jemalloc's options, read before main (MALLOC_CONF in the environment
 * overrides them, e.g. MALLOC_CONF=thp:default). Its memory in
 * transparent huge pages: the parser's, the line and hash tables', large
 * strings and lists were one page fault per 4 KiB, and faults are dear,
 * most of all under virtualisation. On the benchmark VM: NixOS small
 * 5,300 -> 1,700 faults and 0.61 -> 0.51 s of CPU, fleet n=16 21,000 ->
 * 3,000 faults and 6.8 -> 5.2 s, for 14-17 MB more peak RSS
 * (docs/benchmarks.md, session 7). One arena: the evaluation runs on its
 * own big-stack thread (big_stack_main), which jemalloc would give a
 * second arena beside the main thread's, each with its own partly used
 * huge pages (NixOS small's peak RSS 132 -> 128 MB, same page faults;
 * session 10). Unused without jemalloc (sanitizer builds). */
const char *malloc_conf = "thp:always,narenas:1";

int main(int argc, char **argv)
{
    options o = { 0 };
    o.max_depth = 10000000;
    o.inputs = nx_xcalloc((size_t)argc + 1, sizeof *o.inputs);
    o.args = nx_xcalloc((size_t)argc + 1, sizeof *o.args);
    o.attrpaths = nx_xcalloc((size_t)argc + 1, sizeof *o.attrpaths);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has_next = i + 1 < argc;
        if (strcmp(a, "--parse") == 0) {
            o.parse_only = true;
        } else if (strcmp(a, "--dump-bytecode") == 0) {
            o.dump = true;
        } else if (strcmp(a, "--eval") == 0 || strcmp(a, "--eval-only") == 0) {
            o.eval = true;
        } else if (strcmp(a, "--xml") == 0) {
            o.xml = true;
        } else if (strcmp(a, "--json") == 0) {
            o.json = true;
        } else if (strcmp(a, "--strict") == 0) {
            o.strict = true;
        } else if (strcmp(a, "-E") == 0 || strcmp(a, "--expr") == 0) {
            o.expr_mode = true;
        } else if ((strcmp(a, "-A") == 0 || strcmp(a, "--attr") == 0) && has_next) {
            o.attrpaths[o.nattrpaths++] = argv[++i];
        } else if ((strcmp(a, "--arg") == 0 || strcmp(a, "--argstr") == 0) && i + 2 < argc) {
            o.args[o.nargs++] = (autoarg){ argv[i + 1], argv[i + 2], strcmp(a, "--argstr") == 0 };
            i += 2;
        } else if (strcmp(a, "--max-call-depth") == 0 && has_next) {
            char *end;
            unsigned long long n = strtoull(argv[++i], &end, 10);
            if (*end || n == 0 || n > (1ull << 32)) {
                fprintf(stderr, "error: invalid value '%s' for --max-call-depth\n", argv[i]);
                return 1;
            }
            o.max_depth = n;
        } else if (strcmp(a, "--max-heap") == 0 && has_next) {
            char *end;
            unsigned long long n = strtoull(argv[++i], &end, 10);
            if (*end == 'K' || *end == 'k') n <<= 10, end++;
            else if (*end == 'M' || *end == 'm') n <<= 20, end++;
            else if (*end == 'G' || *end == 'g') n <<= 30, end++;
            if (*end || n == 0) {
                fprintf(stderr, "error: invalid value '%s' for --max-heap\n", argv[i]);
                return 1;
            }
            nx_heap_set_limit((size_t)n);
        } else if ((strcmp(a, "--extra-experimental-features") == 0 || strcmp(a, "--experimental-features") == 0) &&
                   has_next) {
            char *list = nx_xstrndup(argv[i + 1], strlen(argv[i + 1]));
            for (char *save = NULL, *t = strtok_r(list, " ", &save); t; t = strtok_r(NULL, " ", &save))
                nx_enable_experimental_feature(t);
            free(list);
            i++;
        } else if (strcmp(a, "--profile") == 0) {
            o.profile = true;
        } else if (strncmp(a, "--profile=", 10) == 0 && a[10]) {
            o.profile = true;
            o.profile_file = a + 10;
        } else if (strcmp(a, "--profile-native") == 0) {
            o.profile_native = true;
        } else if (strcmp(a, "--profile-alloc") == 0 || strncmp(a, "--profile-alloc=", 16) == 0) {
            o.profile_alloc = true;
            if (a[15] == '=') {
                char *end;
                errno = 0;
                unsigned long long n = strtoull(a + 16, &end, 10);
                if (*end == 'K' || *end == 'k') n <<= 10, end++;
                else if (*end == 'M' || *end == 'm') n <<= 20, end++;
                if (errno || end == a + 16 || *end || n == 0 || n > ((uint64_t)1 << 40)) {
                    fprintf(stderr, "error: invalid allocation sampling interval '%s' (bytes, optionally K or M)\n",
                            a + 16);
                    return 1;
                }
                o.profile_alloc_every = n;
            }
        } else if (strcmp(a, "--profile-alloc-file") == 0 && has_next) {
            o.profile_alloc = true;
            o.profile_alloc_file = argv[++i];
        } else if ((strcmp(a, "--profile-frequency") == 0 || strcmp(a, "--eval-profiler-frequency") == 0) && has_next) {
            if (!profile_setting(&o, "eval-profiler-frequency", argv[++i])) return 1;
        } else if (strcmp(a, "--profile-format") == 0 && has_next) {
            const char *v = argv[++i];
            if (strcmp(v, "folded") == 0) o.profile_format = NX_PROF_FOLDED;
            else if (strcmp(v, "speedscope") == 0) o.profile_format = NX_PROF_SPEEDSCOPE;
            else if (strcmp(v, "svg") == 0) o.profile_format = NX_PROF_SVG;
            else {
                fprintf(stderr, "error: unknown profile format '%s' (expected 'folded', 'speedscope' or 'svg')\n", v);
                return 1;
            }
        } else if (strcmp(a, "--eval-profiler") == 0 && has_next) {
            if (!profile_setting(&o, "eval-profiler", argv[++i])) return 1;
        } else if (strcmp(a, "--eval-profile-file") == 0 && has_next) {
            o.profile_file = argv[++i];
        } else if (strcmp(a, "--tarball-ttl") == 0 && has_next) {
            if (!profile_setting(&o, "tarball-ttl", argv[++i])) return 1;
        } else if (strcmp(a, "--option") == 0 && i + 2 < argc) {
            if (!profile_setting(&o, argv[i + 1], argv[i + 2])) return 1;
            i += 2;
        } else if (strcmp(a, "--abort-on-warn") == 0) {
            nx_set_abort_on_warn(true);
        } else if (strcmp(a, "--find-file") == 0) {
            o.find_file = true;
        } else if (strcmp(a, "--trace-calls") == 0 && has_next) {
            o.trace_calls = argv[++i];
        } else if (strncmp(a, "--trace-calls=", 14) == 0 && a[14]) {
            o.trace_calls = a + 14;
        } else if (strcmp(a, "--trace-function-calls") == 0) {
            o.trace_function_calls = true;
        } else if (strcmp(a, "--trace-verbose") == 0) {
            nx_set_trace_verbose(true);
        } else if ((strcmp(a, "-I") == 0 || strcmp(a, "--include") == 0) && has_next) {
            nx_search_path_add(argv[++i]);
        } else if (strncmp(a, "-I", 2) == 0 && a[2]) {
            nx_search_path_add(a + 2);
        } else if (strcmp(a, "--show-trace") == 0) {
            nx_show_trace = true; /* modern CppNix's full trace (vm/trace.c) */
        } else if (strcmp(a, "--no-show-trace") == 0) {
            nx_show_trace = false;
        } else if (strcmp(a, "--readonly-mode") == 0 || strcmp(a, "--read-only") == 0 ||
                   strcmp(a, "--read-write-mode") == 0) {
            /* accepted for compatibility: nixe computes store paths
             * without writing to the store in either mode */
        } else if (strcmp(a, "--add-root") == 0 || strcmp(a, "--indirect") == 0) {
            fprintf(stderr, "error: '%s' is not supported: nixe does not write to the Nix store\n", a);
            return 1;
        } else if (strcmp(a, "--timeout") == 0 && has_next) {
            /* CppNix's build timeout: nothing is built here */
            i++;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "--version") == 0) {
            puts(NX_VERSION_STRING);
            return 0;
        } else if (strcmp(a, "-") == 0) {
            o.inputs[o.ninputs++] = (input){ IN_STDIN, a };
        } else if (strcmp(a, "--") == 0) {
            for (i++; i < argc; i++) o.inputs[o.ninputs++] = (input){ IN_FILE, argv[i] };
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "error: unrecognised flag '%s'\nTry 'nixe --help' for more information.\n", a);
            return 1;
        } else {
            o.inputs[o.ninputs++] = (input){ IN_FILE, a };
        }
    }
    if (o.find_file) {
        /* nix-instantiate --find-file: each argument is looked up as <arg>. */
        for (int i = 0; i < o.ninputs; i++) {
            char out[PATH_MAX];
            if (!nx_search_path_find(o.inputs[i].arg, out)) {
                fprintf(stderr, "error: file '%s' was not found in the Nix search path (add it using $NIX_PATH or -I)\n",
                        o.inputs[i].arg);
                return 1;
            }
            puts(out);
        }
        return 0;
    }
    if (o.dump) o.eval = true;
    if (!o.parse_only && !o.eval) {
        /* nix-instantiate's default mode: print the .drv paths. */
        o.eval = o.instantiate = true;
    }
    /* As in nix-instantiate, -E makes every argument an expression. */
    for (int i = 0; i < o.ninputs; i++)
        if (o.expr_mode && o.inputs[i].kind == IN_FILE) o.inputs[i].kind = IN_EXPR;
    if (o.ninputs == 0) o.inputs[o.ninputs++] = (input){ IN_FILE, "./default.nix" };
    if (o.profile_native && !o.profile_alloc) o.profile = true; /* --profile-native alone: a CPU profile */
    if (o.parse_only) o.eval = false;
    nx_stats_init();
    nx_run_on_big_stack(run_all, &o);
    nx_stats_maybe_print();
    free(o.inputs);
    free(o.args);
    free(o.attrpaths);
    return o.rc;
}
