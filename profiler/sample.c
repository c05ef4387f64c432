/* sample.c — the sampling half of the profiler: the CPU-time timer, the
 * SIGPROF handler and the sample buffer.
 *
 * The handler runs on the evaluating thread (the timer is directed at it),
 * between two instructions of the dispatch loop or anywhere in C code.  It
 * only reads words: vm->fp (published last by every frame push, see
 * NX_PUBLISH_FRAME) and the fields of the frames below it, which are never
 * unmapped while the VM lives.  Frames above vm->fp may be half written;
 * they are never read.  A frame being popped may be read while a new one
 * is written over it only if the compiler delayed the pop's store, which
 * at worst yields one odd sample: the report checks every pointer before
 * using it.  Nothing here allocates, locks or calls a function that is not
 * async-signal-safe. */
#define _GNU_SOURCE
#include "profiler/profiler.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "vm/vm.h"

volatile sig_atomic_t nx_prof_phase;

/* The buffer is reserved address space, committed as samples arrive.
 * Consecutive samples share their outer frames, so a sample usually costs
 * a few entries; a full one costs NX_PROF_MAX_DEPTH + 1 (4 KiB). */
#define BUF_BYTES ((size_t)256 << 20)

static nx_prof_entry *buf;
static size_t buf_cap, buf_used;
static uint64_t nsamples, nlost;
static struct nx_vm *volatile prof_vm;
static volatile sig_atomic_t active;
/* The previous sample's frames, to find the shared outer part. */
static nx_prof_entry last[NX_PROF_MAX_DEPTH];
static uint32_t last_n;

static bool started, finished;
static FILE *out;
static char *out_name;
static timer_t timer;
static bool use_itimer;
static int out_format;

static void on_sigprof(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)si;
    (void)uc;
    if (!active) return;
    size_t at = buf_used;
    if (at + 1 + NX_PROF_MAX_DEPTH > buf_cap) {
        nlost++;
        return;
    }
    nx_prof_entry *hdr = &buf[at], *o = hdr + 1;
    uintptr_t flags = (uintptr_t)nx_prof_phase & 0xf;
    uint32_t depth = 0, shared = 0;
    bool sharing = true;
    struct nx_vm *vm = prof_vm;
    if (vm) {
        const volatile nx_frame *fp = *(nx_frame *const volatile *)&vm->fp;
        __atomic_signal_fence(__ATOMIC_ACQUIRE);
        const volatile nx_frame *lo = vm->frames + 1;
        if (fp - lo >= NX_PROF_MAX_DEPTH) {
            lo = fp - (NX_PROF_MAX_DEPTH - 1);
            flags |= NX_PROF_F_TRUNCATED;
        }
        for (const volatile nx_frame *f = lo; f <= fp; f++) {
            uint8_t kind = f->kind;
            nx_prof_entry e;
            if (kind == NX_FRAME_NATIVE) {
                e.a = (uintptr_t)f->builtin | NX_FRAME_NATIVE;
                e.b = f->state;
            } else if (kind == NX_FRAME_CALL || kind == NX_FRAME_THUNK) {
                e.a = (uintptr_t)f->code | kind;
                e.b = (uintptr_t)f->pc;
                /* A thunk that was the caller's stack top (the set of a
                 * selection, not the selected attribute's value). */
                if (kind == NX_FRAME_THUNK && f->base > vm->stack && f->base[-1] == f->thunk)
                    e.a |= NX_PROF_E_OPERAND;
            } else {
                continue; /* HALT: a driver boundary, nothing to show */
            }
            if (sharing && depth < last_n && last[depth].a == e.a && last[depth].b == e.b) {
                shared++;
            } else {
                sharing = false;
                *o++ = e;
            }
            last[depth++] = e;
        }
    }
    last_n = depth;
    hdr->a = flags;
    hdr->b = (uintptr_t)shared << 32 | (depth - shared);
    buf_used = at + 1 + (depth - shared);
    nsamples++;
}

static void stop_timer(void)
{
    if (!active) return;
    if (use_itimer) {
        struct itimerval none = { 0 };
        setitimer(ITIMER_PROF, &none, NULL);
    } else {
        timer_delete(timer);
    }
    active = 0;
}

static void finish_at_exit(void) { nx_prof_finish(); }

bool nx_prof_start(const char *file, unsigned hz, int format)
{
    if (started) return true;
    out_format = format;
    out = fopen(file, "w");
    if (!out) {
        fprintf(stderr, "error: opening file '%s': %s\n", file, strerror(errno));
        return false;
    }
    out_name = strdup(file);
    started = true;
    void *p = mmap(NULL, BUF_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) {
        fprintf(stderr, "error: cannot reserve the profiler's sample buffer: %s\n", strerror(errno));
        return false;
    }
    buf = p;
    buf_cap = BUF_BYTES / sizeof *buf;
    atexit(finish_at_exit);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_sigprof;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGPROF, &sa, NULL);

    if (hz == 0) hz = NX_PROF_DEFAULT_HZ;
    long ns = 1000000000L / (long)hz;
    active = 1;
    /* Process CPU time, delivered to this (the evaluating) thread only. */
    struct sigevent sev;
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_THREAD_ID;
    sev.sigev_signo = SIGPROF;
    sev._sigev_un._tid = (pid_t)syscall(SYS_gettid);
    struct itimerspec its = { { ns / 1000000000L, ns % 1000000000L }, { ns / 1000000000L, ns % 1000000000L } };
    if (timer_create(CLOCK_PROCESS_CPUTIME_ID, &sev, &timer) == 0 && timer_settime(timer, 0, &its, NULL) == 0)
        return true;
    /* Fallback: the process-wide profiling timer.  Its signal may land on
     * another thread, which then samples a stack that is running: the
     * report tolerates that. */
    use_itimer = true;
    struct itimerval it = { { ns / 1000000000L, (ns % 1000000000L) / 1000 },
                            { ns / 1000000000L, (ns % 1000000000L) / 1000 } };
    if (setitimer(ITIMER_PROF, &it, NULL) < 0) {
        active = 0;
        fprintf(stderr, "error: cannot start the profiling timer: %s\n", strerror(errno));
        return false;
    }
    return true;
}

void nx_prof_set_vm(struct nx_vm *vm) { prof_vm = vm; }

bool nx_prof_finish(void)
{
    if (!started || finished) return true;
    finished = true;
    stop_timer();
    if (!out) return true;
    nx_prof_data d = { buf, buf_used, nsamples, nlost };
    uint64_t written = nx_prof_write(out, &d, out_format);
    const char *verbose = getenv("NIXE_PROFILE_VERBOSE");
    if (verbose && *verbose && strcmp(verbose, "0") != 0)
        fprintf(stderr, "nixe: profile: %llu samples (%llu dropped) written to '%s'\n", (unsigned long long)written,
                (unsigned long long)nlost, out_name);
    bool ok = !ferror(out);
    if (fclose(out) != 0) ok = false;
    out = NULL;
    if (!ok) fprintf(stderr, "error: writing the profile to '%s' failed\n", out_name);
    if (nlost)
        fprintf(stderr, "warning: the profiler's buffer was full: %llu samples were dropped\n",
                (unsigned long long)nlost);
    return ok;
}
