/* sample.c — the sampling half of the profiler: the CPU-time timer, the
 * SIGPROF handler, the allocation hook and the sample buffers.
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
 * async-signal-safe.
 *
 * --profile-native: the handler also walks the C stack with libunwind
 * (local-only, started from the signal's context, per-thread cache,
 * primed before the timer starts), recording return addresses only, from
 * the interrupted instruction up to the dispatch loop nx_exec (whose Nix
 * frames are already in the sample).  Names are looked up after the run.
 *
 * --profile-alloc: vm/gc.c calls nx_prof_alloc with the bytes of every
 * block and large object the heap takes; every alloc_every bytes the same
 * capture records the stack, synchronously, in a second buffer. */
#define _GNU_SOURCE
#include "profiler/profiler.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define UNW_LOCAL_ONLY
#include <libunwind.h>

#include "vm/vm.h"

volatile sig_atomic_t nx_prof_phase;
bool nx_prof_alloc_on;

/* A buffer is reserved address space, committed as samples arrive.
 * Consecutive samples share their outer frames, so a sample usually costs
 * a few entries; a full one NX_PROF_MAX_DEPTH + NX_PROF_MAX_NATIVE + 1. */
#define BUF_BYTES ((size_t)256 << 20)
#define SAMPLE_MAX (1 + NX_PROF_MAX_DEPTH + NX_PROF_MAX_NATIVE)

/* One stream of samples (CPU, allocation) and the file it goes to. */
typedef struct stream {
    nx_prof_entry *buf;
    size_t cap, used;
    uint64_t samples, lost;
    /* The previous sample's frames, to find the shared outer part. */
    nx_prof_entry last[NX_PROF_MAX_DEPTH];
    uint32_t last_n;
    FILE *out;
    char *name;
} stream;

static stream cpu, mem;
static struct nx_vm *volatile prof_vm;
bool nx_prof_names;
const struct nx_builtin *nx_prof_named_builtin;
static volatile sig_atomic_t active;
/* Set while the allocation hook captures: a SIGPROF arriving then does not
 * unwind the C stack (libunwind is not re-entrant on one thread). */
static volatile sig_atomic_t capturing;
static bool native;
static uintptr_t exec_lo, exec_hi; /* nx_exec's code: where C unwinding stops */
static uint64_t alloc_every, alloc_left;

static bool started, finished;
static timer_t timer;
static bool use_itimer;
static bool timer_on;
static int out_format;

/* Walks the C stack from cursor c (the interrupted instruction first)
 * into o, innermost first, up to nx_exec or NX_PROF_MAX_NATIVE frames.
 * Return addresses are stored minus one, so they fall in the call's
 * function.  Returns the number of entries written. */
static uint32_t unwind(unw_cursor_t *c, nx_prof_entry *o, bool first_exact)
{
    uint32_t k = 0;
    do {
        unw_word_t ip;
        if (unw_get_reg(c, UNW_REG_IP, &ip) < 0 || ip == 0) break;
        if (!first_exact || k) ip--;
        if (ip >= exec_lo && ip < exec_hi) break;
        o[k].a = (uintptr_t)ip;
        o[k].b = 0;
        if (++k == NX_PROF_MAX_NATIVE) break;
    } while (unw_step(c) > 0);
    return k;
}

/* Records one sample of weight w in s: the VM's frames (and, with
 * --profile-native, the C frames from context uc, or from its caller's
 * caller when uc is NULL).  Async-signal-safe; no allocation.  Not inlined,
 * so the frames to skip are known. */
__attribute__((noinline)) static void capture(stream *s, uint64_t w, void *uc)
{
    size_t at = s->used;
    if (at + SAMPLE_MAX > s->cap) {
        s->lost++;
        return;
    }
    nx_prof_entry *hdr = &s->buf[at], *o = hdr + 1;
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
                const nx_builtin *bi = f->builtin;
                e.a = (uintptr_t)bi | NX_FRAME_NATIVE;
                e.b = f->state;
                if (bi == nx_prof_named_builtin) {
                    nx_value nm = f->base[bi->arity + bi->nslots - 1];
                    if (nx_is_smallint(nm)) e.b |= (uintptr_t)nx_smallint(nm) << 16;
                }
            } else if (kind == NX_FRAME_CALL) {
                e.a = (uintptr_t)f->code | kind;
                e.b = (uintptr_t)f->pc;
            } else if (kind == NX_FRAME_THUNK) {
                const nx_code *c = f->code;
                e.a = (uintptr_t)c | kind;
                e.b = (uintptr_t)f->pc;
                /* A thunk that was the caller's stack top (the set of a
                 * selection, not the selected attribute's value). */
                if (f->base > vm->stack && f->base[-1] == f->thunk) e.a |= NX_PROF_E_OPERAND;
                /* Forced under a computed name (exec.c's FORCE_RETRY_AS). */
                uint32_t nm = f->pending;
                if (nm) e.b = NX_PROF_FORCED_B(nm, (const uint8_t *)e.b - c->bc);
            } else {
                continue; /* HALT: a driver boundary, nothing to show */
            }
            if (sharing && depth < s->last_n && s->last[depth].a == e.a && s->last[depth].b == e.b) {
                shared++;
            } else {
                sharing = false;
                *o++ = e;
            }
            s->last[depth++] = e;
        }
    }
    s->last_n = depth;
    uint32_t k = 0;
    if (native) {
        unw_cursor_t c;
        unw_context_t ctx;
        if (uc) {
            if (!capturing && unw_init_local2(&c, (unw_context_t *)uc, UNW_INIT_SIGNAL_FRAME) == 0)
                k = unwind(&c, o, true);
        } else if (unw_getcontext(&ctx) == 0 && unw_init_local(&c, &ctx) == 0) {
            /* Skip this function and nx_prof_alloc: start at gc.c. */
            if (unw_step(&c) > 0 && unw_step(&c) > 0) k = unwind(&c, o, false);
        }
    }
    hdr->a = flags | (uintptr_t)k << 8 | (uintptr_t)w << 16;
    hdr->b = (uintptr_t)shared << 32 | (depth - shared);
    s->used = at + 1 + (depth - shared) + k;
    s->samples++;
}

/* Handlers running now, on any thread (the setitimer fallback may
 * deliver SIGPROF to a thread other than the evaluating one):
 * nx_prof_finish waits for them before it reads the buffer. */
static int in_handler;

static void on_sigprof(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)si;
    __atomic_add_fetch(&in_handler, 1, __ATOMIC_SEQ_CST);
    if (__atomic_load_n(&active, __ATOMIC_SEQ_CST)) {
        int saved = errno; /* libunwind may set it */
        capture(&cpu, 1, uc);
        errno = saved;
    }
    __atomic_sub_fetch(&in_handler, 1, __ATOMIC_SEQ_CST);
}

__attribute__((noinline)) void nx_prof_alloc(size_t bytes)
{
    if (!active || !alloc_every) return;
    if (bytes < alloc_left) {
        alloc_left -= bytes;
        return;
    }
    /* Fixed intervals: this block or object crosses one or more multiples
     * of alloc_every; one sample carries them all. */
    uint64_t over = bytes - alloc_left;
    uint64_t n = 1 + over / alloc_every;
    alloc_left = alloc_every - over % alloc_every;
    capturing = 1;
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    capture(&mem, n * alloc_every, NULL);
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    capturing = 0;
}

static void stop_timer(void)
{
    if (!timer_on) return;
    if (use_itimer) {
        struct itimerval none = { 0 };
        setitimer(ITIMER_PROF, &none, NULL);
    } else {
        timer_delete(timer);
    }
    timer_on = false;
}

static void finish_at_exit(void) { nx_prof_finish(); }

/* Opens s's file and reserves its buffer; false with a message if not. */
static bool open_stream(stream *s, const char *file)
{
    s->out = fopen(file, "w");
    if (!s->out) {
        fprintf(stderr, "error: opening file '%s': %s\n", file, strerror(errno));
        return false;
    }
    s->name = strdup(file);
    void *p = mmap(NULL, BUF_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) {
        fprintf(stderr, "error: cannot reserve the profiler's sample buffer: %s\n", strerror(errno));
        return false;
    }
    s->buf = p;
    s->cap = BUF_BYTES / sizeof *s->buf;
    return true;
}

/* Finds nx_exec's code range and fills libunwind's caches for the
 * objects on the current stack, outside any signal handler. */
static void native_init(void)
{
    unw_set_caching_policy(unw_local_addr_space, UNW_CACHE_PER_THREAD);
    unw_proc_info_t pi;
    if (unw_get_proc_info_by_ip(unw_local_addr_space, (unw_word_t)(uintptr_t)&nx_exec, &pi, NULL) == 0) {
        exec_lo = (uintptr_t)pi.start_ip;
        exec_hi = (uintptr_t)pi.end_ip;
    } else {
        exec_lo = exec_hi = (uintptr_t)&nx_exec; /* names are cut at nx_exec in the report */
    }
    unw_context_t ctx;
    unw_cursor_t c;
    if (unw_getcontext(&ctx) == 0 && unw_init_local(&c, &ctx) == 0)
        while (unw_step(&c) > 0) {}
}

bool nx_prof_start(const nx_prof_options *o)
{
    if (started) return true;
    started = true;
    out_format = o->format;
    native = o->native;
    if (o->file && !open_stream(&cpu, o->file)) return false;
    if (o->alloc_file && !open_stream(&mem, o->alloc_file)) return false;
    atexit(finish_at_exit);
    if (native) native_init();
    nx_prof_named_builtin = nx_builtin_find("derivationStrict");
    nx_prof_names = nx_prof_named_builtin != NULL;
    active = 1;
    if (o->alloc_file) {
        alloc_every = o->alloc_every ? o->alloc_every : NX_PROF_DEFAULT_ALLOC_EVERY;
        alloc_left = alloc_every;
        nx_prof_alloc_on = true;
    }
    if (!o->file) return true;

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_sigprof;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGPROF, &sa, NULL);

    unsigned hz = o->hz ? o->hz : NX_PROF_DEFAULT_HZ;
    long ns = 1000000000L / (long)hz;
    timer_on = true;
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
        timer_on = false;
        fprintf(stderr, "error: cannot start the profiling timer: %s\n", strerror(errno));
        return false;
    }
    return true;
}

void nx_prof_set_vm(struct nx_vm *vm) { prof_vm = vm; }

/* Symbolises s's samples into its file; false if writing failed. */
static bool write_stream(stream *s, bool bytes)
{
    if (!s->out) return true;
    nx_prof_data d = { s->buf, s->used, s->samples, s->lost, bytes };
    uint64_t written = nx_prof_write(s->out, &d, out_format);
    const char *verbose = getenv("NIXE_PROFILE_VERBOSE");
    if (verbose && *verbose && strcmp(verbose, "0") != 0)
        fprintf(stderr, "nixe: profile: %llu %s (%llu samples recorded, %llu dropped) written to '%s'\n",
                (unsigned long long)written, bytes ? "bytes" : "samples", (unsigned long long)s->samples,
                (unsigned long long)s->lost, s->name);
    bool ok = !ferror(s->out);
    if (fclose(s->out) != 0) ok = false;
    s->out = NULL;
    if (!ok) fprintf(stderr, "error: writing the profile to '%s' failed\n", s->name);
    if (s->lost)
        fprintf(stderr, "warning: the profiler's buffer was full: %llu samples were dropped\n",
                (unsigned long long)s->lost);
    return ok;
}

/* Stopping: no sample may be recorded once the report has started
 * reading the buffer, or the count written (and printed) would miss it,
 * and a sample half-copied into a buffer being read would be garbage.  So
 * sampling is switched off first (`active`, which the handler tests), then
 * SIGPROF is blocked on this thread and the timer deleted (a signal it
 * already generated stays pending, harmlessly, or is ignored), and last
 * the handlers still running on other threads are waited for. */
bool nx_prof_finish(void)
{
    bool traced = nx_calltrace_finish();
    if (!started || finished) return traced;
    finished = true;
    __atomic_store_n(&active, 0, __ATOMIC_SEQ_CST);
    sigset_t prof;
    sigemptyset(&prof);
    sigaddset(&prof, SIGPROF);
    pthread_sigmask(SIG_BLOCK, &prof, NULL);
    stop_timer();
    while (__atomic_load_n(&in_handler, __ATOMIC_SEQ_CST)) sched_yield();
    nx_prof_alloc_on = false;
    bool ok = write_stream(&cpu, false) && traced;
    return write_stream(&mem, true) && ok;
}
