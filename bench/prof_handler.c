/* prof_handler.c — the cost of one profiler sample: SIGPROF delivery plus
 * the handler copying a 256-frame stack (the most it copies), measured by
 * raising the signal in a loop; and the cost of writing the profile.  Not
 * part of make check; build and run (see docs/profiler.md):
 *   cc -O2 -I. bench/prof_handler.c libnixe.a \
 *      $(pkg-config --libs libcrypto jemalloc libunwind) -lstdc++ -lpthread -lm -o prof_handler
 *   ./prof_handler [DEPTH [plain|native [N]]]  (frames on the stack, default
 *                                     256; native: with --profile-native,
 *                                     which unwinds raise, main and libc's
 *                                     start; N samples, default 200000)
 * Under callgrind (instructions per sample, user space only):
 *   valgrind --tool=callgrind ./prof_handler 256 plain 20000
 *   callgrind_annotate --inclusive=yes callgrind.out.* | grep on_sigprof
 * Writes the profile to /dev/null. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "profiler/profiler.h"
#include "vm/code.h"
#include "vm/vm.h"

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    int depth = argc > 1 ? atoi(argv[1]) : 256;
    if (depth < 1 || depth > 10000) depth = 256;
    static uint8_t bc[16];
    static nx_lambda_code code = { .c = { .bc = bc, .len = 16, .kind = NX_CODE_LAMBDA } };
    nx_vm *vm = nx_vm_new(100000);
    for (int i = 1; i <= depth; i++) {
        nx_frame *f = vm->frames + i;
        f->kind = NX_FRAME_CALL;
        f->code = &code.c;
        f->pc = bc + 1;
    }
    vm->fp = vm->frames + depth;
    bool native = argc > 2 && strcmp(argv[2], "native") == 0;
    nx_prof_options po = { "/dev/null", 1, NX_PROF_FOLDED, native, NULL, 0 };
    if (!nx_prof_start(&po)) return 1;
    nx_prof_set_vm(vm);
    int N = argc > 3 ? atoi(argv[3]) : 200000;
    if (N < 1) N = 200000;
    double t0 = cpu_now();
    for (int i = 0; i < N; i++) {
        vm->fp->pc = bc + 1 + (i & 7); /* the leaf changes, as in real runs */
        raise(SIGPROF);
    }
    double t1 = cpu_now();
    printf("depth %d%s: %.2f us per sample (signal + handler)\n", depth, native ? " native" : "",
           (t1 - t0) / N * 1e6);
    t0 = cpu_now();
    nx_prof_finish();
    printf("writing the profile of %d samples: %.1f ms\n", N, (cpu_now() - t0) * 1e3);
    return 0;
}
