/* calltrace.c — the exact call tracer (see calltrace.h).
 *
 * Chrome trace-event JSON (`--trace-calls FILE`): `{"traceEvents":[` then
 * one event a line — a "B" event when a frame is entered (its name is the
 * sampling profiler's label: `FILE:LINE:COL:NAME` for a lambda call,
 * `FILE:LINE:COL[:primop NAME]`, `import FILE`, `FILE:LINE:COL[:ATTR]` for a
 * thunk; its category lambda, primop, import, thunk or top), an "E" event
 * when it is left, `ts` in microseconds (nanosecond resolution) from the
 * start of the trace, pid 1 / tid 1 — and `]}` at the end.  Garbage
 * collection, parsing and compiling are events too ("[garbage collection]"
 * …, category vm).  Events go through a 1 MiB buffer straight to the file:
 * memory does not grow with the number of calls, only with the depth of
 * the frame stack (the open events) and the number of distinct labels.
 *
 * Balance: the tracer keeps the frames it has opened (by address: the
 * frame stack never moves).  A frame popped, or a frame pushed at an
 * address at or below an open one, closes every open event at or above
 * it, so entries and exits balance however the VM leaves its frames
 * (return, error unwinding to tryEval or addErrorContext, an uncaught
 * error); nx_calltrace_finish closes what is left.
 *
 * CppNix's `--trace-function-calls`: `function-trace entered POS at NS`
 * and `function-trace exited POS at NS` on stderr (NS: nanoseconds since
 * the epoch), for lambda calls and builtins only, POS the call site. */
#define _GNU_SOURCE
#include "profiler/calltrace.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "profiler/labeltab.h"
#include "profiler/profiler.h"
#include "vm/code.h"
#include "vm/error.h"
#include "vm/heap.h"
#include "vm/symbol.h"
#include "vm/vm.h"

bool nx_calltrace_on;

static int mode;
static bool started, finished;
static FILE *out;
static char *out_name;
static bool write_failed;
static uint64_t t0;           /* CLOCK_MONOTONIC ns at start (Chrome mode) */
static uint64_t nevents;

/* ---- output buffer -------------------------------------------------------- */

enum { OBUF_BYTES = 1 << 20, EVENT_MAX = 256 };
static char *obuf;
static size_t olen;

static void flush_out(void)
{
    if (olen && fwrite(obuf, 1, olen, out) != olen) write_failed = true;
    olen = 0;
}

/* Makes room for n more bytes in the buffer. */
static inline void room(size_t n)
{
    if (olen + n > OBUF_BYTES) flush_out();
}

static void put(const char *s, size_t n)
{
    if (n > OBUF_BYTES / 2) {
        flush_out();
        if (fwrite(s, 1, n, out) != n) write_failed = true;
        return;
    }
    room(n);
    memcpy(obuf + olen, s, n);
    olen += n;
}

/* put() of a string literal. */
#define PUT_LIT(s) put(s, sizeof(s) - 1)

static void put_u64(uint64_t v)
{
    char tmp[24];
    int k = 0;
    do tmp[k++] = (char)('0' + v % 10), v /= 10;
    while (v);
    room((size_t)k);
    while (k) obuf[olen++] = tmp[--k];
}

static uint64_t now_ns(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* `"ts":US.NNN` for the current time. */
static void put_ts(void)
{
    uint64_t ns = now_ns(CLOCK_MONOTONIC) - t0;
    PUT_LIT("\"ts\":");
    put_u64(ns / 1000);
    unsigned frac = (unsigned)(ns % 1000);
    char f[4] = { '.', (char)('0' + frac / 100), (char)('0' + frac / 10 % 10), (char)('0' + frac % 10) };
    put(f, 4);
}

/* Starts the next event of the traceEvents array. */
static void event_start(void)
{
    if (nevents++) PUT_LIT(",\n");
    else PUT_LIT("\n");
}

/* ---- labels ---------------------------------------------------------------- */

enum { CAT_TOP, CAT_LAMBDA, CAT_PRIMOP, CAT_THUNK, CAT_IMPORT };
static const char *const cat_names[] = { "top", "lambda", "primop", "thunk", "import" };

/* A frame's label, cached by the frame's entry and its caller's (code and
 * pc): Chrome mode stores the JSON string literal of the profiler's label,
 * CppNix mode the position.  text NULL: the frame is not traced. */
typedef struct label {
    nx_label_head k; /* the frame's entry, its caller's; nm: the name a thunk was forced under */
    char *text;
    uint32_t len;
    uint8_t cat;
} label;

static nx_label_tab ltab = { .size = sizeof(label) };

/* Appends s to b as a JSON string literal. */
static void json_quote(nx_buf *b, const char *s)
{
    nx_buf_addc(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') {
            nx_buf_addc(b, '\\');
            nx_buf_addc(b, (char)*p);
        } else if (*p < 0x20) {
            nx_buf_printf(b, "\\u%04x", *p);
        } else {
            nx_buf_addc(b, (char)*p);
        }
    }
    nx_buf_addc(b, '"');
}

/* The category of frame e (whose label is text). */
static uint8_t category(nx_prof_entry e, const char *text)
{
    unsigned kind = e.a & 3;
    if (kind == NX_FRAME_NATIVE) return CAT_PRIMOP;
    const nx_code *c = (const nx_code *)NX_PROF_E_PTR(e.a);
    if (kind == NX_FRAME_CALL) return c->kind == NX_CODE_LAMBDA ? CAT_LAMBDA : CAT_TOP;
    return strncmp(text, "import ", 7) == 0 ? CAT_IMPORT : CAT_THUNK;
}

/* Computes the label of e called from caller (NULL: none) into l. */
static void make_label(label *l, nx_vm *vm, nx_prof_entry e, const nx_prof_entry *caller, bool *cacheable)
{
    nx_buf b = { 0 };
    l->text = NULL;
    if (mode == NX_CALLTRACE_CHROME) {
        nx_buf t = { 0 };
        if (nx_prof_label(&t, e, caller)) {
            nx_buf_addc(&t, 0);
            json_quote(&b, t.data);
            l->cat = category(e, t.data);
            l->text = b.data;
        }
        nx_buf_free(&t);
    } else {
        /* CppNix's FunctionCallTrace: function applications only, at the
         * position of the call. */
        unsigned kind = e.a & 3;
        const nx_code *c = (const nx_code *)NX_PROF_E_PTR(e.a);
        bool lambda = kind == NX_FRAME_CALL && c->kind == NX_CODE_LAMBDA && (nx_code_nlines(c) || c->pos.src);
        if (kind == NX_FRAME_NATIVE || lambda) {
            nx_pos site;
            if (caller && nx_prof_call_site(*caller, &site)) {
                nx_pos_format(&b, site);
            } else if (lambda) {
                nx_pos_format(&b, c->pos);
            } else {
                /* A builtin called by a builtin: the innermost Nix position
                 * (depends on more than the cache key). */
                nx_pos_format(&b, nx_vm_pos(vm));
                *cacheable = false;
            }
            if (!b.data) nx_buf_adds(&b, "«none»");
            l->text = b.data;
            l->cat = kind == NX_FRAME_NATIVE ? CAT_PRIMOP : CAT_LAMBDA;
        }
    }
    l->len = l->text ? (uint32_t)strlen(l->text) : 0;
}

/* The name thunk frame f is being forced under, when its caller cf (at
 * the forcing instruction pc) computed one: a `with` variable's value or
 * `a.${n}`'s (not the with's set, the set selected from, or the name
 * itself).  The sampler finds it in f->pending, which exec.c's
 * FORCE_RETRY_AS stores only after the push this is called from. */
static nx_sym forced_name(const nx_frame *f, const nx_frame *cf, const uint8_t *pc)
{
    if (!pc || pc < cf->code->bc || pc >= cf->code->bc + cf->code->len) return 0;
    if (*pc == NX_OP_WITH_VAR && pc + 9 <= cf->code->bc + cf->code->len) {
        nx_sym sym;
        uint32_t lvl;
        memcpy(&sym, pc + 1, 4);
        memcpy(&lvl, pc + 5, 4);
        const nx_env *e = cf->env;
        while (e && lvl--) e = e->up;
        for (; e; e = e->up)
            if ((e->h.flags & NX_ENV_WITH) && e->slot[0] == f->thunk) return 0; /* the with's set */
        return sym;
    }
    if ((*pc == NX_OP_SELECT_DYN || *pc == NX_OP_SELECT_DYN_OR) && f->base - 2 >= cf->base) {
        nx_value n = f->base[-1];
        if (f->thunk == n || f->thunk == f->base[-2] || !nx_is_string(n)) return 0;
        return nx_sym_lookup(nx_str(n)->s, nx_str_len(n));
    }
    return 0;
}

/* ---- open events ----------------------------------------------------------- */

typedef struct open_event {
    const nx_frame *f;    /* NULL: a pseudo-event (phase) */
    const char *text;     /* the label's text (labels' texts never move) */
    char *own;            /* text owned by this event (uncached label) */
} open_event;

static open_event *open_ev;
static size_t nopen, cap_open;

static void emit_begin(const label *l)
{
    if (mode == NX_CALLTRACE_CHROME) {
        event_start();
        PUT_LIT("{\"ph\":\"B\",");
        put_ts();
        PUT_LIT(",\"pid\":1,\"tid\":1,\"cat\":\"");
        put(cat_names[l->cat], strlen(cat_names[l->cat]));
        PUT_LIT("\",\"name\":");
        put(l->text, l->len);
        PUT_LIT("}");
    } else {
        fprintf(stderr, "function-trace entered %s at %llu\n", l->text,
                (unsigned long long)now_ns(CLOCK_REALTIME));
    }
}

static void emit_end(const open_event *o)
{
    if (mode == NX_CALLTRACE_CHROME) {
        event_start();
        PUT_LIT("{\"ph\":\"E\",");
        put_ts();
        PUT_LIT(",\"pid\":1,\"tid\":1}");
    } else {
        fprintf(stderr, "function-trace exited %s at %llu\n", o->text,
                (unsigned long long)now_ns(CLOCK_REALTIME));
    }
}

/* Closes the open frame events at address f and above (innermost first),
 * and a pseudo-event above them; f NULL: all of them. */
static void close_from(const nx_frame *f)
{
    while (nopen && (!open_ev[nopen - 1].f || open_ev[nopen - 1].f >= f)) {
        open_event *o = &open_ev[--nopen];
        emit_end(o);
        free(o->own);
    }
}

/* Records an open event for frame f (NULL: a phase) named text; own:
 * text is freed when the event closes. */
static void push_open(const nx_frame *f, const char *text, char *own)
{
    if (nopen == cap_open) {
        cap_open = cap_open ? cap_open * 2 : 256;
        open_ev = nx_xrealloc(open_ev, cap_open * sizeof *open_ev);
    }
    open_ev[nopen++] = (open_event){ f, text, own };
}

void nx_calltrace_enter(nx_vm *vm)
{
    const nx_frame *f = vm->fp;
    /* Already open: a second call for the same push. */
    if (nopen && open_ev[nopen - 1].f == f) return;
    close_from(f);
    if (f->kind == NX_FRAME_HALT) return;
    nx_prof_entry e = nx_prof_frame_entry(vm, f);
    /* The caller, as a sample would see it: the next frame down that is
     * not a driver boundary. */
    const nx_frame *cf = f - 1;
    bool adjacent = true;
    while (cf > vm->frames && cf->kind == NX_FRAME_HALT) cf--, adjacent = false;
    nx_prof_entry ce = { 0, 0 };
    bool have_caller = cf > vm->frames;
    if (have_caller) {
        ce = nx_prof_frame_entry(vm, cf);
        /* A thunk is pushed while its forcing instruction's frame still
         * points after the instruction (exec.c's FORCE_RETRY sets it back
         * to the instruction once the push is done, which is what a
         * sample sees); the attribute a SELECT forces is read there. */
        if (f->kind == NX_FRAME_THUNK && adjacent && (cf->kind == NX_FRAME_CALL || cf->kind == NX_FRAME_THUNK) && ce.b) {
            ce.b -= 1;
            nx_sym nm = nx_prof_forced_name(e) ? 0 : forced_name(f, cf, nx_prof_entry_pc(ce));
            if (nm) e.b = NX_PROF_FORCED_B(nm, f->pc - f->code->bc);
        }
    }
    uint32_t nm = nx_prof_forced_name(e);
    nx_label_head key = { e.a, ce.a, ce.b, nm, true };
    label *l = (label *)nx_label_lookup(&ltab, key);
    if (!l->k.used) {
        bool cacheable = true;
        label fresh = { key, NULL, 0, 0 };
        make_label(&fresh, vm, e, have_caller ? &ce : NULL, &cacheable);
        if (!cacheable) {
            /* Owned by the open event (CppNix mode only). */
            static label tmp;
            tmp = fresh;
            emit_begin(&tmp);
            push_open(f, fresh.text, fresh.text);
            return;
        }
        *l = fresh;
        ltab.used++;
    }
    if (!l->text) return;
    emit_begin(l);
    push_open(f, l->text, NULL);
}

void nx_calltrace_exit(const nx_frame *f) { close_from(f); }

static const char *const phase_names[] = { NULL, "\"[garbage collection]\"", "\"[parsing]\"", "\"[compiling]\"" };

void nx_calltrace_phase(int from, int to)
{
    if (mode != NX_CALLTRACE_CHROME || from == to) return;
    if (from >= 1 && from <= 3 && nopen && !open_ev[nopen - 1].f) {
        open_event *o = &open_ev[--nopen];
        emit_end(o);
    }
    if (to >= 1 && to <= 3) {
        static label pseudo[4];
        label *l = &pseudo[to];
        if (!l->text) *l = (label){ { 0, 0, 0, 0, true }, (char *)phase_names[to], (uint32_t)strlen(phase_names[to]), 0 };
        event_start();
        PUT_LIT("{\"ph\":\"B\",");
        put_ts();
        PUT_LIT(",\"pid\":1,\"tid\":1,\"cat\":\"vm\",\"name\":");
        put(l->text, l->len);
        PUT_LIT("}");
        push_open(NULL, l->text, NULL);
    }
}

/* ---- start and finish ------------------------------------------------------ */

static void finish_at_exit(void) { nx_calltrace_finish(); }

bool nx_calltrace_start(const char *file, int m)
{
    if (started) return true;
    started = true;
    mode = m;
    if (mode == NX_CALLTRACE_CHROME) {
        out = fopen(file, "w");
        if (!out) {
            fprintf(stderr, "error: opening file '%s': %s\n", file, strerror(errno));
            return false;
        }
        out_name = nx_xstrndup(file, strlen(file));
        obuf = nx_xmalloc(OBUF_BYTES);
        t0 = now_ns(CLOCK_MONOTONIC);
        PUT_LIT("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"producer\":\"nixe --trace-calls\"},\"traceEvents\":[");
        event_start();
        PUT_LIT("{\"ph\":\"M\",\"pid\":1,\"tid\":1,\"name\":\"process_name\",\"args\":{\"name\":\"nixe\"}}");
        event_start();
        PUT_LIT("{\"ph\":\"M\",\"pid\":1,\"tid\":1,\"name\":\"thread_name\",\"args\":{\"name\":\"evaluation\"}}");
    } else {
        /* One write per line would be CppNix's cost; stderr stays one
         * stream (every message goes through stdio), so order is kept. */
        setvbuf(stderr, NULL, _IOFBF, 1 << 16);
    }
    atexit(finish_at_exit);
    nx_calltrace_on = true;
    /* Every safepoint (= every frame push) now calls nx_gc_collect, which
     * calls nx_calltrace_enter (vm/gc.c). */
    nx_gc_pending = true;
    return true;
}

bool nx_calltrace_finish(void)
{
    if (!started || finished) return true;
    finished = true;
    close_from(NULL); /* also a phase left open (an exit during GC) */
    nx_calltrace_on = false;
    if (mode != NX_CALLTRACE_CHROME) {
        fflush(stderr);
        return true;
    }
    PUT_LIT("\n]}\n");
    flush_out();
    bool ok = !write_failed && !ferror(out);
    if (fclose(out) != 0) ok = false;
    out = NULL;
    const char *verbose = getenv("NIXE_PROFILE_VERBOSE");
    if (verbose && *verbose && strcmp(verbose, "0") != 0)
        fprintf(stderr, "nixe: trace: %llu events written to '%s'\n", (unsigned long long)nevents, out_name);
    if (!ok) fprintf(stderr, "error: writing the call trace to '%s' failed\n", out_name);
    return ok;
}
