/* trace.c — the "… while evaluating …" trace of an error (`--show-trace`).
 *
 * Nothing is recorded while evaluating: when an error unwinds, the frames
 * it is about to pop are read once and turned into the entries modern
 * CppNix's catch handlers add on the way out (EvalState::callFunction,
 * ExprSelect::eval, the forceX(…, errorCtx) helpers, prim_addErrorContext,
 * prim_derivationStrict).  Frames are symbolised with the profiler's
 * helpers (profiler/report.c): a frame's caller and its saved pc give the
 * call site, the attribute a SELECT forces, the argument a builtin forces.
 *
 *   NATIVE frame of builtin B    "while calling the 'B' builtin" at the call site
 *     addErrorContext MSG        "MSG" (no position, never truncated; no call entry)
 *     derivationStrict           see nx_drv_trace (vm/builtins/derivation.c)
 *   lambda CALL frame            "while calling 'f'" at the lambda, "from call site"
 *     … binding its formals      "from call site" only
 *   THUNK frame forced by a.b.c  "while evaluating the attribute 'b.c'" at the selection
 *   THUNK frame of the set `a`   "while selecting an attribute"
 *   error of the SELECT itself   "while evaluating the attribute 'b.c'" (and
 *                                "while selecting an attribute" for a non-set),
 *                                the error without a position
 *   THUNK frame of a file        "while evaluating the file 'PATH':" (import)
 *   any frame inside an `if` condition of its caller's code (nx_code.conds)
 *                                "while evaluating a branch condition" at the condition
 */
#include <stdlib.h>
#include <string.h>

#include "profiler/profiler.h"
#include "vm/heap.h"
#include "vm/opcodes.h"
#include "vm/source.h"
#include "vm/symbol.h"
#include "vm/vm.h"

void nx_drv_trace(nx_vm *vm, const nx_frame *f);

/* Whether a tryEval frame above the driver's HALT frame will catch the
 * error: then it needs no trace. */
static bool will_be_caught(const nx_vm *vm)
{
    if (!vm->catchable) return false;
    for (const nx_frame *f = vm->fp; f->kind != NX_FRAME_HALT; f--)
        if (f->kind == NX_FRAME_NATIVE && f->builtin->catches == NX_CATCH_THROW) return true;
    return false;
}

/* Byte length of the instruction at pc. */
static uint32_t insn_len(const uint8_t *pc)
{
    return 1u + nx_fmtinfo_table[nx_opinfo_table[*pc].fmt].bytes;
}

static bool is_select(uint8_t op) { return op == NX_OP_SELECT || op == NX_OP_SELECT_OR; }

/* The attribute path of the selection expression whose SELECT instruction
 * is at `at` in c: the run of consecutive SELECT/SELECT_OR instructions
 * without a position of their own around it (the compiler emits `e.a.b`
 * as e's code, SELECT a, SELECT b).  Sets *last when `at` is the run's
 * final component, *first (if not NULL) when it is the first. */
static void select_path(const nx_code *c, const uint8_t *at, nx_buf *b, bool *last, bool *first)
{
    const uint8_t *pc = c->bc, *end = c->bc + c->len, *run = NULL;
    nx_pos here = nx_code_pos_at(c, (uint32_t)(at - c->bc));
    while (pc < end && pc <= at) {
        if (is_select(*pc) && nx_code_pos_at(c, (uint32_t)(pc - c->bc)).off == here.off) {
            if (!run) run = pc;
        } else {
            run = NULL;
        }
        if (pc == at) break;
        pc += insn_len(pc);
    }
    if (!run || pc != at) run = at;
    if (first) *first = run == at;
    *last = true;
    for (pc = run; pc < end && is_select(*pc); pc += insn_len(pc)) {
        if (pc > at && nx_code_pos_at(c, (uint32_t)(pc - c->bc)).off != here.off) break;
        if (pc > at) *last = false;
        nx_sym s;
        memcpy(&s, pc + 1, sizeof s);
        if (b->len) nx_buf_addc(b, '.');
        nx_buf_adds(b, nx_sym_str(s));
    }
}

/* Whether code frame f is forcing the base of a selection: its retried
 * instruction (a variable) is followed by the first SELECT of a run, or
 * is that SELECT forcing its operand. */
static bool select_base(const nx_frame *f)
{
    if (f->kind != NX_FRAME_CALL && f->kind != NX_FRAME_THUNK) return false;
    const nx_code *c = f->code;
    if (!c || !c->nlines || f->pc < c->bc || f->pc >= c->bc + c->len) return false;
    const uint8_t *next = f->pc + insn_len(f->pc);
    if (*f->pc == NX_OP_SELECT) next = f->pc;
    if (next >= c->bc + c->len || *next != NX_OP_SELECT) return false;
    nx_buf path = { 0 };
    bool last, first;
    select_path(c, next, &path, &last, &first);
    nx_buf_free(&path);
    return first;
}

/* Entries for a NATIVE frame f whose call site is site (or none). */
static void native_trace(nx_vm *vm, const nx_frame *f, nx_pos site)
{
    const nx_builtin *b = f->builtin;
    if (strcmp(b->name, "addErrorContext") == 0) {
        /* Only once the message is forced (step_addErrorContext forces it
         * first under --show-trace) and while forcing the value. */
        nx_value m = nx_deref(f->base[0]);
        if (f->state == 1 && nx_is_string(m))
            nx_error_add_trace(&vm->err, NX_NOPOS, true, "%.*s", (int)nx_str_len(m), nx_str(m)->s);
        return;
    }
    if (strcmp(b->name, "derivationStrict") == 0) nx_drv_trace(vm, f);
    /* prim_fromJSON adds this to its JSON parser's errors only (not to
     * Nix's own: an integer out of range, a NUL byte). */
    if (strcmp(b->name, "fromJSON") == 0 && vm->err.msg && strncmp(vm->err.msg, "[json.exception.", 16) == 0)
        nx_error_add_trace(&vm->err, site, false, "while decoding a JSON string");
    nx_error_add_trace(&vm->err, site, false, "while calling the '%s' builtin", b->name);
}

/* "while evaluating a branch condition" for each `if` condition of frame
 * f's code that contains the instruction at offset x, innermost first. */
static void branch_conditions(nx_vm *vm, const nx_frame *f, int64_t x)
{
    if ((f->kind != NX_FRAME_CALL && f->kind != NX_FRAME_THUNK) || !f->code) return;
    for (uint32_t i = 0; i < f->code->nconds; i++) {
        const nx_cond *cd = &f->code->conds[i];
        if (x >= cd->start && x <= cd->end)
            nx_error_add_trace(&vm->err, nx_pos_get(cd->pos), false, "while evaluating a branch condition");
    }
}

/* Deeper stacks keep this many frames at each end (a runaway recursion
 * ends at --max-call-depth, ten million frames by default: CppNix's
 * default is 10,000). */
#define KEEP_FRAMES 5000

void nx_trace_collect(nx_vm *vm)
{
    if (vm->err.ntraces || will_be_caught(vm)) return;
    nx_frame *top = vm->fp, *bottom = top;
    while (bottom->kind != NX_FRAME_HALT) bottom--;
    /* throw and abort raise errors without a position in CppNix: the
     * "while calling" entry carries it. */
    if (top->kind == NX_FRAME_NATIVE && top > vm->frames &&
        (strcmp(top->builtin->name, "throw") == 0 || strcmp(top->builtin->name, "abort") == 0))
        vm->err.pos = NX_NOPOS;
    /* An error raised in the top frame itself: its saved pc is past the
     * opcode.  A non-Boolean condition is evalBool's error, at the
     * condition (the JUMP_IF_FALSE carries the `if`'s position). */
    if ((top->kind == NX_FRAME_CALL || top->kind == NX_FRAME_THUNK) && top->code && top->code->nconds &&
        top->pc > top->code->bc) {
        int64_t x = top->pc - top->code->bc - 1;
        for (uint32_t i = 0; i < top->code->nconds; i++)
            if (top->code->conds[i].end == x && vm->err.msg && strncmp(vm->err.msg, "expected a Boolean", 18) == 0)
                vm->err.pos = nx_pos_get(top->code->conds[i].pos);
        branch_conditions(vm, top, x);
    }
    /* A selection's own errors: a missing attribute, a component that is
     * not a set (forceAttrs's "while selecting an attribute").  CppNix
     * raises both without a position, under the selection's entry. */
    if ((top->kind == NX_FRAME_CALL || top->kind == NX_FRAME_THUNK) && top->code && top->code->nlines &&
        top->pc > top->code->bc && top->pc <= top->code->bc + top->code->len && top->pc[-1] == NX_OP_SELECT &&
        vm->err.msg) {
        bool missing = strncmp(vm->err.msg, "attribute '", 11) == 0;
        bool not_set = strncmp(vm->err.msg, "expected a set but found", 24) == 0;
        if (missing || not_set) {
            const nx_code *c = top->code;
            nx_pos at = nx_code_pos_at(c, (uint32_t)(top->pc - 1 - c->bc));
            nx_buf path = { 0 };
            bool last;
            select_path(c, top->pc - 1, &path, &last, NULL);
            if (not_set) nx_error_add_trace(&vm->err, at, false, "while selecting an attribute");
            nx_error_add_trace(&vm->err, at, false, "while evaluating the attribute '%s'", path.data);
            nx_buf_free(&path);
            vm->err.pos = NX_NOPOS;
        }
    }
    for (nx_frame *f = top; f > bottom; f--) {
        if (top - bottom > 2 * KEEP_FRAMES && f == top - KEEP_FRAMES) {
            size_t skip = (size_t)(top - bottom) - 2 * KEEP_FRAMES;
            nx_error_add_trace(&vm->err, NX_NOPOS, false, "(%zu frames not shown)", skip);
            f -= skip;
        }
        nx_frame *caller = f - 1; /* frames[0] is a HALT frame */
        nx_prof_entry ce = nx_prof_frame_entry(vm, caller);
        nx_pos site = NX_NOPOS;
        if (!nx_prof_call_site(ce, &site)) site = NX_NOPOS;
        switch (f->kind) {
        case NX_FRAME_NATIVE:
            native_trace(vm, f, site);
            break;
        case NX_FRAME_CALL:
            if (f->code->kind != NX_CODE_LAMBDA) break;
            if (f->code->bc[0] == NX_OP_BIND_FORMALS && (f->pc == f->code->bc || f->pc == f->code->bc + 1)) {
                /* Binding the formals (forcing the argument, or failing
                 * after SAVE past BIND_FORMALS): CppNix does it before
                 * the body's try, so only "from call site"; a non-set
                 * argument is forceAttrs's error, its entry instead of a
                 * position. */
                if (f == top && f->pc == f->code->bc + 1 && vm->err.msg &&
                    strncmp(vm->err.msg, "expected a set but found", 24) == 0) {
                    nx_error_add_trace(&vm->err, f->code->pos, false, "while evaluating the value passed for the lambda argument");
                    vm->err.pos = NX_NOPOS;
                }
                if (site.src) nx_error_add_trace(&vm->err, site, false, "from call site");
                break;
            }
            if (f->code->name)
                nx_error_add_trace(&vm->err, f->code->pos, false, "while calling '%s'", nx_sym_str(f->code->name));
            else
                nx_error_add_trace(&vm->err, f->code->pos, false, "while calling anonymous lambda");
            if (site.src) nx_error_add_trace(&vm->err, site, false, "from call site");
            break;
        case NX_FRAME_THUNK: {
            nx_sym name;
            nx_source *src = nx_source_get(f->code->pos.src);
            if (f->code->kind == NX_CODE_TOP && src && src->is_file) {
                nx_error_add_trace(&vm->err, NX_NOPOS, false, "while evaluating the file '%s':", src->name);
            } else if (!(nx_prof_frame_entry(vm, f).a & NX_PROF_E_OPERAND) && nx_prof_selected_attr(ce, &name)) {
                const nx_code *c = caller->code;
                nx_pos at = nx_code_pos_at(c, (uint32_t)(caller->pc - c->bc));
                nx_buf path = { 0 };
                bool last;
                select_path(c, caller->pc, &path, &last, NULL);
                nx_error_add_trace(&vm->err, at, false, "while evaluating the attribute '%s'", path.data);
                nx_buf_free(&path);
            } else if (select_base(caller)) {
                /* The set a selection starts from (a variable holding a
                 * thunk): CppNix evaluates the base expression with this
                 * context, before the selection's own try. */
                const nx_code *c = caller->code;
                nx_error_add_trace(&vm->err, nx_code_pos_at(c, (uint32_t)(caller->pc - c->bc)), false,
                                   "while selecting an attribute");
            }
            /* A builtin's strict argument forced by the VM gets no entry:
             * CppNix's forceInt/forceString/… add "while evaluating the
             * first argument passed to builtins.X" for any error, its
             * forceList/forceAttrs only for their own type error, and
             * which one a builtin uses is not recorded in nixe. */
            break;
        }
        default:
            break;
        }
        /* The caller's own `if` conditions around the instruction that
         * pushed f: a forced thunk retries its instruction (pc on it), a
         * call or builtin has its pc past the CALL. */
        if (caller->code && caller->pc >= caller->code->bc)
            branch_conditions(vm, caller, (caller->pc - caller->code->bc) - (f->kind == NX_FRAME_THUNK ? 0 : 1));
    }
}

/* ---- --strict: the path to the value that failed ------------------------- */

typedef struct deep_node {
    nx_value *slot;
    size_t parent;   /* index in the node array; SIZE_MAX for the root */
    uint32_t index;  /* position in the parent list or attribute set */
} deep_node;

static bool seen_add(uintptr_t **tab, size_t *cap, size_t *n, uintptr_t k)
{
    if ((*n + 1) * 2 > *cap) {
        size_t oc = *cap, nc = oc ? oc * 2 : 256;
        uintptr_t *old = *tab, *t = nx_xcalloc(nc, sizeof *t);
        for (size_t i = 0; i < oc; i++) {
            if (!old[i]) continue;
            size_t h = (old[i] >> 4) & (nc - 1);
            while (t[h]) h = (h + 1) & (nc - 1);
            t[h] = old[i];
        }
        free(old);
        *tab = t;
        *cap = nc;
    }
    size_t h = (k >> 4) & (*cap - 1);
    for (; (*tab)[h]; h = (h + 1) & (*cap - 1))
        if ((*tab)[h] == k) return false;
    (*tab)[h] = k;
    (*n)++;
    return true;
}

void nx_trace_deep(nx_vm *vm, nx_value *root, nx_value *failed)
{
    if (!nx_show_trace || failed == root) return;
    /* The same front-to-back depth-first walk as nx_force_deep, over the
     * values it has forced so far, until it meets the slot that failed. */
    size_t cap = 256, n = 0, scap = 256, sn = 0;
    deep_node *nodes = nx_xmalloc(cap * sizeof *nodes);
    size_t *stack = nx_xmalloc(scap * sizeof *stack);
    uintptr_t *seen = NULL;
    size_t seen_cap = 0, seen_n = 0;
    nodes[n++] = (deep_node){ root, SIZE_MAX, 0 };
    stack[sn++] = 0;
    size_t found = SIZE_MAX;
    while (sn && found == SIZE_MAX) {
        size_t k = stack[--sn];
        if (nodes[k].slot == failed) {
            found = k;
            break;
        }
        nx_value v = nx_deref(*nodes[k].slot);
        if (nx_needs_force(v) || (!nx_is_list(v) && !nx_is_attrs(v))) continue;
        if (!seen_add(&seen, &seen_cap, &seen_n, (uintptr_t)nx_obj_of(v))) continue;
        uint32_t m = nx_is_list(v) ? nx_list_len(v) : nx_attrsp(v)->h.aux;
        if (n + m > cap) {
            cap = (n + m) * 2;
            nodes = nx_xrealloc(nodes, cap * sizeof *nodes);
        }
        if (sn + m > scap) {
            scap = (sn + m) * 2;
            stack = nx_xrealloc(stack, scap * sizeof *stack);
        }
        for (uint32_t i = m; i-- > 0;) {
            nx_value *s = nx_is_list(v) ? &nx_listp(v)->v[i] : &nx_attrsp(v)->a[i].value;
            nodes[n] = (deep_node){ s, k, i };
            stack[sn++] = n++;
        }
    }
    for (size_t k = found; k != SIZE_MAX && nodes[k].parent != SIZE_MAX; k = nodes[k].parent) {
        nx_value p = nx_deref(*nodes[nodes[k].parent].slot);
        if (nx_is_list(p)) {
            nx_error_add_trace(&vm->err, NX_NOPOS, false, "while evaluating list element at index %u", nodes[k].index);
        } else {
            nx_attr *a = &nx_attrsp(p)->a[nodes[k].index];
            nx_error_add_trace(&vm->err, a->pos ? nx_pos_get(a->pos) : NX_NOPOS, false,
                               "while evaluating the attribute '%s'", nx_sym_str(a->name));
        }
    }
    free(seen);
    free(stack);
    free(nodes);
}
