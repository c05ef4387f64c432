/* calltrace.h — the exact call tracer (`nixe --trace-calls FILE`,
 * `--trace-function-calls`).
 *
 * Unlike the sampling profiler, the tracer sees every frame.  Entries: every
 * frame push (lambda call, builtin, thunk) ends at a GC safepoint, and
 * while tracing a collection is kept pending (nx_gc_pending), so
 * nx_gc_collect is called at each push and calls nx_calltrace_enter first
 * (vm/gc.c); nx_vm_run's top-level frame uses NX_CALLTRACE_ENTER.  Exits:
 * RETURN is dispatched to a traced copy (L_RETURN_TRACED in vm/exec.c)
 * while tracing; a builtin's return and the error unwinder use
 * NX_CALLTRACE_EXIT.  So when the tracer is off the hot paths run no
 * extra instruction; the hooks left are one load and one predictable
 * branch on slower paths.  profiler/calltrace.c turns
 * the hooks into Chrome trace-event JSON (B/E events on one track, named as
 * the profiler names frames) or CppNix's `function-trace entered/exited`
 * lines on stderr. */
#ifndef NX_CALLTRACE_H
#define NX_CALLTRACE_H

#include <stdbool.h>

struct nx_vm;
struct nx_frame;

enum { NX_CALLTRACE_CHROME, NX_CALLTRACE_CPPNIX };

/* Whether the tracer is on (set by nx_calltrace_start only). */
extern bool nx_calltrace_on;

/* Starts tracing: mode NX_CALLTRACE_CHROME writes FILE (opened now, so a
 * bad path fails before evaluating); NX_CALLTRACE_CPPNIX writes lines on
 * stderr (file unused).  False with a message on stderr on failure.  The
 * trace is closed by nx_calltrace_finish, or at exit(). */
bool nx_calltrace_start(const char *file, int mode);
/* Closes the events still open (an uncaught error, an exit in the middle
 * of evaluation) and the file.  Idempotent; false if writing failed. */
bool nx_calltrace_finish(void);

/* The hooks.  enter: vm->fp was just published (a second call for the
 * same frame does nothing).  exit: frame f is about to be popped.  phase: nx_prof_phase goes from `from` to `to` (garbage
 * collection, parsing and compiling become pseudo-events). */
void nx_calltrace_enter(struct nx_vm *vm);
void nx_calltrace_exit(const struct nx_frame *f);
void nx_calltrace_phase(int from, int to);

#define NX_CALLTRACE_ENTER(vm)                                                \
    do {                                                                      \
        if (__builtin_expect(nx_calltrace_on, 0)) nx_calltrace_enter(vm);     \
    } while (0)
#define NX_CALLTRACE_EXIT(f)                                                  \
    do {                                                                      \
        if (__builtin_expect(nx_calltrace_on, 0)) nx_calltrace_exit(f);       \
    } while (0)

#endif
