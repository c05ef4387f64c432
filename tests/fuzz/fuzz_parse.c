/* fuzz_parse.c — libFuzzer target for the front end: lexer, parser,
 * scope resolution, --parse printing, error formatting and the compiler.
 *
 * Each input is one Nix source (any bytes).  It must be accepted (printed
 * and compiled) or rejected with an error; a crash, a hang, a leak or a
 * sanitizer report is a bug.  Built and run by `make fuzz`
 * (docs/robustness.md). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "vm/compile.h"
#include "vm/nixe.h"
#include "vm/vm.h"

typedef struct job {
    const uint8_t *data;
    size_t size;
} job;

static FILE *devnull;

static void run(void *arg)
{
    job *j = arg;
    uint32_t first = nx_source_count();
    uint32_t src = nx_source_add("/fuzz/input.nix", "/fuzz", (const char *)j->data, j->size);
    nx_parse_result r;
    nx_error err = { 0 };
    if (nx_parse(src, "/fuzz", &r, &err) && nx_scope_resolve(r.root, &err)) {
        nx_buf out = { 0 };
        nx_print_ast(&out, r.root);
        nx_buf_free(&out);
        /* Code objects live for the whole process by design (their
         * constants are pinned): tests/fuzz/lsan.supp. */
        (void)nx_compile(r.root);
    } else {
        /* Positions, snippets and escapes of the error message. */
        nx_error_print(devnull, &err);
    }
    nx_error_clear(&err);
    nx_parse_free(&r);
    nx_source_drop_from(first);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    devnull = fopen("/dev/null", "w");
    if (!devnull) abort();
    nx_globals_init();
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
