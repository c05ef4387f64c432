/* fuzz_eval.c — libFuzzer target for parse + evaluate: each input is a Nix
 * expression, evaluated as `nixe --eval --strict` would (then printed
 * plainly, as JSON and as XML) under a budget: at most STEP_BUDGET VM
 * safepoints (frame pushes) and HEAP_BUDGET bytes of live heap, past which
 * the evaluation ends with a clean error (nx_gc_set_budget in vm/heap.h).
 * A single step that would take the heap past HEAP_LIMIT (e.g.
 * `genList f 1e9`) is abandoned through nx_heap_oom_hook.  Errors are
 * expected; a crash, hang, leak or sanitizer report is a bug.  Built and
 * run by `make fuzz` (docs/robustness.md). */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm/compile.h"
#include "vm/heap.h"
#include "vm/nixe.h"
#include "vm/print_value.h"
#include "vm/vm.h"

#define STEP_BUDGET 200000
#define HEAP_BUDGET ((size_t)64 << 20)
#define HEAP_LIMIT ((size_t)512 << 20)
#define MAX_DEPTH 20000

typedef struct job {
    const uint8_t *data;
    size_t size;
} job;

static FILE *devnull;
static nx_vm *vm;
static nx_value result; /* a registered root */
static jmp_buf oom_jmp;

static void oom(void) { longjmp(oom_jmp, 1); }

/* Puts the VM back at its bottom frame after an evaluation (normal, failed
 * or abandoned). */
static void reset_vm(nx_frame *fp, nx_value *sp, nx_frame *limit)
{
    vm->fp = fp;
    vm->sp = sp;
    vm->frames_limit = limit;
    nx_error_clear(&vm->err);
    vm->failed = false;
    vm->catchable = false;
    result = NX_NULL;
}

static void evaluate(nx_code *code)
{
    if (!nx_vm_run(vm, code, NULL, &result)) return;
    if (!nx_force_deep(vm, &result)) return;
    nx_buf out = { 0 };
    nx_print_value(&out, result);
    /* A cyclic value prints in XML to NX_XML_MAX_DEPTH levels, each
     * indented: hundreds of megabytes (the CLI reports it as an error). */
    bool cyclic = out.len && memmem(out.data, out.len, "«repeated»", strlen("«repeated»"));
    out.len = 0;
    if (!cyclic) nx_print_xml(&out, result);
    out.len = 0;
    (void)nx_print_json(vm, &out, result, NULL);
    nx_buf_free(&out);
}

static void run(void *arg)
{
    job *j = arg;
    uint32_t first = nx_source_count();
    uint32_t src = nx_source_add("/fuzz/input.nix", "/fuzz", (const char *)j->data, j->size);
    nx_parse_result r;
    nx_error err = { 0 };
    nx_code *code = NULL;
    if (nx_parse(src, "/fuzz", &r, &err) && nx_scope_resolve(r.root, &err)) code = nx_compile(r.root);
    nx_error_clear(&err);
    nx_parse_free(&r);
    if (code) {
        nx_frame *fp = vm->fp, *limit = vm->frames_limit;
        nx_value *sp = vm->sp;
        nx_gc_set_budget(STEP_BUDGET, HEAP_BUDGET);
        if (setjmp(oom_jmp) == 0) {
            nx_heap_oom_hook = oom;
            evaluate(code);
            if (vm->failed) nx_error_print(devnull, &vm->err);
        }
        nx_heap_oom_hook = NULL;
        nx_gc_set_budget(0, 0);
        reset_vm(fp, sp, limit);
    }
    /* Imported files stay (the import cache refers to them). */
    if (nx_source_count() == src + 1) nx_source_drop_from(first);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    devnull = fopen("/dev/null", "w");
    if (!devnull) abort();
    nx_globals_init();
    nx_heap_set_limit(HEAP_LIMIT);
    vm = nx_vm_new(MAX_DEPTH);
    nx_gc_add_root(&result);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* On this thread, not nx_run_on_big_stack: a thread with a 1 GiB
     * stack per input costs ASan a 128 MiB shadow clean-up each time.
     * run.sh raises the stack limit (ulimit -s) instead, for the
     * recursive front end. */
    job j = { data, size };
    run(&j);
    return 0;
}
