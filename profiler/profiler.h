/* profiler.h — the sampling profiler (`nixe --profile`).
 *
 * A CPU-time interval timer sends SIGPROF to the evaluating thread; the
 * handler (profiler/sample.c) copies the VM's explicit frame stack — frame
 * kind, code or builtin pointer, saved pc or builtin state, innermost
 * NX_PROF_MAX_DEPTH frames — into a preallocated buffer, with no
 * allocation and no locks.  After the run, profiler/report.c turns the
 * samples into Nix source positions and writes folded stacks in CppNix's
 * `--eval-profiler flamegraph` line format (`frame;frame;… count`).
 * --profile-native adds the C return addresses below the Nix leaf (up to
 * the dispatch loop nx_exec), --profile-alloc a second stream of samples
 * taken every N bytes the heap takes (nx_prof_alloc, called by vm/gc.c),
 * weighted in bytes.
 *
 * What the VM must do for it: publish a frame (vm->fp) only once its
 * fields are written (NX_PUBLISH_FRAME in vm/vm.h), and mark the phases
 * that are not Nix code (garbage collection, parsing, compiling) in
 * nx_prof_phase. */
#ifndef NX_PROFILER_H
#define NX_PROFILER_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "profiler/calltrace.h"

struct nx_vm;

/* What the process is doing besides running the frames on the stack; a
 * sample taken in a phase gets a pseudo-frame for it as its leaf. */
enum { NX_PROF_EVAL, NX_PROF_GC, NX_PROF_PARSE, NX_PROF_COMPILE };
extern volatile sig_atomic_t nx_prof_phase;

/* Sets the phase and returns the previous one (restore it with
 * nx_prof_phase_leave).  Two plain stores and the call tracer's branch:
 * cheap enough to leave in. */
static inline int nx_prof_phase_enter(int phase)
{
    int old = nx_prof_phase;
    nx_prof_phase = phase;
    if (__builtin_expect(nx_calltrace_on, 0)) nx_calltrace_phase(old, phase);
    return old;
}
static inline void nx_prof_phase_leave(int old)
{
    if (__builtin_expect(nx_calltrace_on, 0)) nx_calltrace_phase(nx_prof_phase, old);
    nx_prof_phase = old;
}

/* Frames copied per sample: the innermost ones; deeper stacks get a
 * "[truncated]" root frame. */
#define NX_PROF_MAX_DEPTH 256
#define NX_PROF_DEFAULT_HZ 99
#define NX_PROF_MAX_HZ 10000
#define NX_PROF_DEFAULT_FILE "nix.profile"

/* One copied frame: a = code or builtin pointer | frame kind (low 2 bits)
 * | NX_PROF_E_OPERAND, b = the frame's saved pc (code frames) or resume
 * state | name << 16 (native frames: see nx_prof_names).
 * A sample is a header entry followed by n Nix frames and then k native
 * entries (--profile-native: a = a C code address, b = 0, innermost
 * first).  Header: a = flags (low 4 bits: phase; NX_PROF_F_TRUNCATED)
 * | k << 8 | weight << 16 (1 for a CPU sample, bytes for an allocation
 * sample), b = shared << 32 | n; the sample's first `shared` Nix frames
 * are those of the previous sample. */
typedef struct nx_prof_entry {
    uintptr_t a, b;
} nx_prof_entry;

enum { NX_PROF_F_TRUNCATED = 0x10 }; /* header flags; low 4 bits: phase */
#define NX_PROF_H_NATIVE(a) (((a) >> 8) & 0xff)
#define NX_PROF_H_WEIGHT(a) ((uint64_t)(a) >> 16)
/* Native frames kept per sample (the innermost ones). */
#define NX_PROF_MAX_NATIVE 64
/* In a thunk frame: the thunk is the value on top of the caller's stack
 * (what an instruction forces before using it), not a value it found. */
#define NX_PROF_E_OPERAND ((uintptr_t)4)
#define NX_PROF_E_PTR(a) ((a) & ~(uintptr_t)7)
/* A thunk frame forced under a name the forcing instruction computed (a
 * `with` variable, `a.${n}`: exec.c stores it in the frame's `pending`):
 * b = NX_PROF_B_FORCED | name << 32 | the pc's offset in its code, instead
 * of the pc.  nx_prof_entry_pc and nx_prof_forced_name decode it. */
#define NX_PROF_B_FORCED ((uint64_t)1 << 63)
#define NX_PROF_FORCED_B(name, off) (NX_PROF_B_FORCED | (uint64_t)((name) & 0x7fffffff) << 32 | (uint32_t)(off))

enum { NX_PROF_FOLDED, NX_PROF_SPEEDSCOPE, NX_PROF_SVG }; /* output formats */

#define NX_PROF_DEFAULT_ALLOC_FILE "nix.alloc.profile"
#define NX_PROF_DEFAULT_ALLOC_EVERY ((uint64_t)512 << 10)

/* What to profile.  file: the CPU profile (sampled by a timer at hz per
 * second of CPU time), NULL for none; alloc_file: the allocation profile
 * (a sample every alloc_every bytes the heap takes), NULL for none;
 * native: add the C frames below the Nix leaf to every sample. */
typedef struct nx_prof_options {
    const char *file;
    unsigned hz;
    int format;
    bool native;
    const char *alloc_file;
    uint64_t alloc_every;
} nx_prof_options;

/* Opens the profile files for writing (so a bad path fails before
 * evaluating) and starts sampling the calling thread.  The VM may be set
 * later with nx_prof_set_vm (NULL: parse-only runs).  Returns false with a
 * message on stderr on failure.  The profiles are written by
 * nx_prof_finish, or at exit(). */
bool nx_prof_start(const nx_prof_options *o);
void nx_prof_set_vm(struct nx_vm *vm);
/* Stops the timer, symbolises the samples and writes the profile files;
 * closes the call trace (nx_calltrace_finish) too.  Idempotent; returns
 * false (message on stderr) if writing failed. */
bool nx_prof_finish(void);

/* The allocation hook (vm/gc.c, where the heap takes a block or a large
 * object): when --profile-alloc is on, counts `bytes` down and records the
 * stack each time another alloc_every bytes have been taken.  Does not
 * allocate on the Nix heap; never collects. */
extern bool nx_prof_alloc_on;
void nx_prof_alloc(size_t bytes);

/* Builtin frames named by their argument (`primop derivationStrict NAME`):
 * while a profile is taken, step_derivationStrict (vm/builtins/
 * derivation.c) stores the symbol of its argument's `name` attribute, once
 * that is a string (nothing is forced for the profiler), as a small
 * integer in its last state slot; samples copy it into the entry's b. */
extern bool nx_prof_names;
/* The named builtin (derivationStrict), set by nx_prof_start. */
extern const struct nx_builtin *nx_prof_named_builtin;
#define NX_PROF_B_NAME(b) ((uint32_t)((uint64_t)(b) >> 16))

/* ---- between sample.c and report.c ---------------------------------------- */

/* The recorded samples (valid once the timer is stopped). */
typedef struct nx_prof_data {
    const nx_prof_entry *buf;
    size_t len;            /* entries used */
    uint64_t samples;      /* samples recorded in buf */
    uint64_t lost;         /* samples dropped because buf was full */
    bool bytes;            /* weights are bytes (allocation profile), not samples */
} nx_prof_data;

/* ---- symbolising frames (report.c; also used by vm/trace.c) -------------- */

struct nx_frame;
struct nx_pos;
/* The entry the SIGPROF handler would record for frame f (sample.c keeps
 * its own signal-safe copy of this); {0, 0} for a HALT frame. */
nx_prof_entry nx_prof_frame_entry(const struct nx_vm *vm, const struct nx_frame *f);
/* The saved pc of code frame entry e (either encoding of b). */
const uint8_t *nx_prof_entry_pc(nx_prof_entry e);
/* The name thunk frame e was forced under (NX_PROF_B_FORCED), or 0. */
uint32_t nx_prof_forced_name(nx_prof_entry e);
/* The position of the instruction a caller frame is at, if it is Nix code
 * whose saved pc lies after the instruction that pushed the next frame
 * (a CALL: a lambda or builtin call site). */
bool nx_prof_call_site(nx_prof_entry caller, struct nx_pos *pos);
/* The attribute a caller frame stopped at to force the next frame, if its
 * saved pc is on a SELECT or SELECT_OR (FORCE_RETRY leaves it there). */
bool nx_prof_selected_attr(nx_prof_entry caller, uint32_t *name);

struct nx_buf;
/* Appends the label of frame e called from caller (NULL: none, or the
 * outermost frame) to b: `FILE:LINE:COL:NAME`, `primop NAME`, `import
 * FILE`, … (see report.c).  False (nothing appended) for a frame that is
 * not shown (HALT, driver trampolines).  Allocates (b grows). */
bool nx_prof_label(struct nx_buf *b, nx_prof_entry e, const nx_prof_entry *caller);

/* Writes the stacks of d to f: folded (one line per distinct stack,
 * sorted, with its total weight), speedscope's JSON (a "sampled" profile,
 * one weighted sample per distinct stack) or an SVG flame graph.  Returns
 * the total weight written (samples, or bytes). */
uint64_t nx_prof_write(FILE *f, const nx_prof_data *d, int format);

#endif
