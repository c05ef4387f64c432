/* test_roots.c — the collector's roots that only an evaluation creates:
 * the import cache (a file's value lives as long as the evaluation, so a
 * second import returns the same object) and the base environment's
 * globals (`builtins`, `derivation`, whose thunk is evaluated in place).
 * Each is checked against a control: the same value made without that
 * root is collected.  test_gc.c covers the roots a test can set up by
 * hand (stacks, frames, registers, registered slots).  Output is TAP. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/unit/tap.h"
#include "vm/compile.h"
#include "vm/heap.h"
#include "vm/parser.h"
#include "vm/scope.h"
#include "vm/source.h"
#include "vm/symbol.h"
#include "vm/vm.h"

static nx_vm *vm;
static char dir[64];

static void collect(void) { nx_gc_collect_now(vm, true); }

/* Evaluates text (weak head normal form) and returns the value, which
 * nothing roots once this returns; NX_NOVALUE on error. */
static nx_value eval(const char *text)
{
    uint32_t id = nx_source_add("«test»", dir, text, strlen(text));
    nx_parse_result r;
    nx_error err = { 0 };
    nx_value out = NX_NOVALUE;
    if (nx_parse(id, dir, &r, &err) && nx_scope_resolve(r.root, &err)) {
        nx_code *code = nx_compile(r.root);
        if (!nx_vm_run(vm, code, NULL, &out) || !nx_vm_force(vm, &out)) {
            nx_error_clear(&vm->err);
            out = NX_NOVALUE;
        }
    } else {
        fprintf(stderr, "# %s\n", err.msg ? err.msg : "parse error");
    }
    nx_error_clear(&err);
    nx_parse_free(&r);
    /* The VM's registers would keep the last result alive. */
    vm->ret = vm->req = NX_NOVALUE;
    return out;
}

static bool is_heap_list(nx_value v) { return nx_is_ptr(v) && nx_obj_of(v)->type == NX_OBJ_LIST; }

static void test_import_cache(void)
{
    char path[128];
    snprintf(path, sizeof path, "%s/a.nix", dir);
    FILE *f = fopen(path, "w");
    if (!f) abort();
    /* A list built at run time (not a constant of the code, which would be
     * pinned), holding a string built at run time. */
    fputs("[ (\"imported \" + toString (40 + 2)) ]\n", f);
    fclose(f);

    nx_value v = eval("import ./a.nix");
    TAP_OK(is_heap_list(v), "the imported file's value is a list on the heap");
    if (!is_heap_list(v)) return;
    nx_value s = ((nx_list *)nx_obj_of(v))->v[0];
    /* Nothing else refers to it now: only the import cache. */
    for (int i = 0; i < 3; i++) collect();
    TAP_OK(nx_gc_survived(nx_obj_of(v)), "the cached value of an imported file survives major collections");
    bool forced = nx_is_ptr(s) && nx_gc_survived(nx_obj_of(s));
    TAP_OK(forced, "and so does what it refers to");
    nx_value again = eval("import ./a.nix");
    TAP_OK(again == v, "a second import returns the same object");

    /* Control: the same expression, not imported, is not kept. */
    nx_value c = eval("[ (\"imported \" + toString (40 + 2)) ]");
    TAP_OK(is_heap_list(c) && c != v, "the same list evaluated directly is another object");
    collect();
    TAP_OK(!nx_gc_survived(nx_obj_of(c)), "which nothing keeps: collected");
    unlink(path);
}

static void test_globals(void)
{
    /* `derivation` is a thunk of the base environment; forcing it
     * evaluates it in place, and its value is then held only by the
     * globals. */
    nx_value d = eval("derivation");
    TAP_OK(nx_is_ptr(d) && nx_obj_of(d)->type == NX_OBJ_CLOSURE, "derivation evaluates to a function");
    if (!nx_is_ptr(d)) return;
    collect();
    collect();
    TAP_OK(nx_gc_survived(nx_obj_of(d)), "the evaluated global survives major collections");
    TAP_OK(eval("derivation") == d, "and is the same object when looked up again");
    nx_value b = eval("builtins");
    collect();
    TAP_OK(nx_is_ptr(b) && nx_gc_survived(nx_obj_of(b)), "the builtins set survives");
    TAP_OK(eval("builtins.derivation") == d, "builtins.derivation is the same value");

    /* Control: a function made by an evaluation and not kept anywhere. */
    nx_value g = eval("let f = x: x; in f");
    TAP_OK(nx_is_ptr(g) && nx_obj_of(g)->type == NX_OBJ_CLOSURE, "a lambda evaluates to a closure");
    if (nx_is_ptr(g)) {
        collect();
        TAP_OK(!nx_gc_survived(nx_obj_of(g)), "which nothing keeps: collected");
    }
}

int main(void)
{
    unsetenv("NIXE_GC_STRESS");
    setenv("NIXE_GC_VERIFY", "1", 1);
    snprintf(dir, sizeof dir, "/tmp/nixe-test-roots-XXXXXX");
    if (!mkdtemp(dir)) abort();
    nx_globals_init();
    vm = nx_vm_new(100000);
    test_import_cache();
    test_globals();
    nx_vm_free(vm);
    rmdir(dir);
    return TAP_DONE();
}
