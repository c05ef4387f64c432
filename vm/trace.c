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
 *   functor trampoline frame     "while calling a functor (…)" at the call site
 *     … binding its formals      "from call site" only
 *   THUNK frame forced by a.b.c  "while evaluating the attribute 'b.c'" at the selection
 *   THUNK frame of the set `a`   "while selecting an attribute"
 *   error of the SELECT itself   "while evaluating the attribute 'b.c'" (and
 *                                "while selecting an attribute" for a non-set),
 *                                the error without a position
 *   THUNK frame of a file        "while evaluating the file 'PATH':" (import)
 *   any frame inside an `if` condition of its caller's code (nx_code_conds)
 *                                "while evaluating a branch condition" at the condition
 */
#include <stdlib.h>
#include <string.h>

#include "profiler/profiler.h"
#include "vm/heap.h"
#include "vm/opcodes.h"
#include "vm/ops.h"
#include "vm/source.h"
#include "vm/symbol.h"
#include "vm/vm.h"
#include "vm/vm_internal.h"

void nx_drv_trace(nx_vm *vm, const nx_frame *f);
void nx_closure_trace(nx_vm *vm, const nx_frame *f, bool top);
nx_value nx_tojson_walk_top(const nx_frame *f);

/* Whether a tryEval frame above the driver's HALT frame will catch the
 * error: then it needs no trace. */
static bool will_be_caught(const nx_vm *vm)
{
    if (!vm->catchable) return false;
    for (const nx_frame *f = vm->fp; f->kind != NX_FRAME_HALT; f--)
        if (f->kind == NX_FRAME_NATIVE && f->builtin->catches == NX_CATCH_THROW) return true;
    return false;
}

/* The path from *root to the slot `failed`, or (failed NULL) to a slot
 * holding the thunk `target`: see nx_trace_deep. */
static void trace_deep_to(nx_vm *vm, nx_value *root, nx_value *failed, nx_value target);

/* The path from *root to a slot holding `target` (a thunk, or a value) in the order
 * CppNix's printValueAsJSON forces (see trace_json_to). */
static void trace_json_to(nx_vm *vm, nx_value *root, nx_value target, nx_pos pos, bool result);
static void tojson_trace(nx_vm *vm, const nx_frame *f, const nx_frame *top, nx_pos site);

/* Whether f is an addErrorContext frame that will catch an error raised
 * above it. */
static bool catches_all(const nx_frame *f)
{
    return f->kind == NX_FRAME_NATIVE && f->builtin->catches == NX_CATCH_ALL && f->state != NX_STATE_CAUGHT;
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
    if (!c || !nx_code_nlines(c) || f->pc < c->bc || f->pc >= c->bc + c->len) return false;
    const uint8_t *next = f->pc + insn_len(f->pc);
    if (*f->pc == NX_OP_SELECT) next = f->pc;
    if (next >= c->bc + c->len || *next != NX_OP_SELECT) return false;
    nx_buf path = { 0 };
    bool last, first;
    select_path(c, next, &path, &last, &first);
    nx_buf_free(&path);
    return first;
}

/* The contexts modern CppNix's primops give their arguments' forceX calls
 * (primops.cc, primops/context.cc), by builtin name and argument index.
 * any: the call is forceInt/forceString/coerceToString/…, whose context
 * covers every error of forcing the argument; otherwise (forceList,
 * forceAttrs, coerceToString, or a forceValue before the typed call)
 * only the type error.  pos: that type error keeps its position (the call
 * site: forceInt and the like use atPos; forceList, forceAttrs and
 * coerceToString raise it without one).  Sorted by name. */
typedef struct arg_ctx {
    const char *name;
    uint8_t arg;
    bool any, pos;
    const char *msg;
} arg_ctx;

static const arg_ctx arg_ctxs[] = {
    { "add", 0, false, true, "while evaluating the first argument of the addition" }, /* forceValue, then forceFloat */
    { "add", 1, false, true, "while evaluating the second argument of the addition" }, /* forceValue, then forceFloat */
    { "addDrvOutputDependencies", 0, false, false, "while evaluating the argument passed to builtins.addDrvOutputDependencies" }, /* coerceToString */
    { "appendContext", 0, true, true, "while evaluating the first argument passed to builtins.appendContext" }, /* forceString */
    { "appendContext", 1, false, false, "while evaluating the second argument passed to builtins.appendContext" }, /* forceAttrs */
    { "abort", 0, false, false, "while evaluating the error message passed to builtins.abort" }, /* coerceToString */
    { "attrNames", 0, false, false, "while evaluating the argument passed to builtins.attrNames" }, /* forceAttrs */
    { "attrValues", 0, false, false, "while evaluating the argument passed to builtins.attrValues" }, /* forceAttrs */
    { "baseNameOf", 0, false, false, "while evaluating the first argument passed to builtins.baseNameOf" }, /* coerceToString */
    { "bitAnd", 0, true, true, "while evaluating the first argument passed to builtins.bitAnd" }, /* forceInt */
    { "bitAnd", 1, true, true, "while evaluating the second argument passed to builtins.bitAnd" }, /* forceInt */
    { "bitOr", 0, true, true, "while evaluating the first argument passed to builtins.bitOr" }, /* forceInt */
    { "bitOr", 1, true, true, "while evaluating the second argument passed to builtins.bitOr" }, /* forceInt */
    { "bitXor", 0, true, true, "while evaluating the first argument passed to builtins.bitXor" }, /* forceInt */
    { "bitXor", 1, true, true, "while evaluating the second argument passed to builtins.bitXor" }, /* forceInt */
    { "catAttrs", 0, true, true, "while evaluating the first argument passed to builtins.catAttrs" }, /* forceStringNoCtx */
    { "catAttrs", 1, false, false, "while evaluating the second argument passed to builtins.catAttrs" }, /* forceList */
    { "ceil", 0, true, true, "while evaluating the first argument passed to builtins.ceil" }, /* forceFloat */
    { "compareVersions", 0, true, true, "while evaluating the first argument passed to builtins.compareVersions" }, /* forceStringNoCtx */
    { "compareVersions", 1, true, true, "while evaluating the second argument passed to builtins.compareVersions" }, /* forceStringNoCtx */
    { "concatLists", 0, false, false, "while evaluating the first argument passed to builtins.concatLists" }, /* forceList */
    { "concatMap", 0, true, true, "while evaluating the first argument passed to builtins.concatMap" }, /* forceFunction */
    { "concatMap", 1, false, false, "while evaluating the second argument passed to builtins.concatMap" }, /* forceList */
    { "concatStringsSep", 0, true, true, "while evaluating the first argument (the separator string) passed to builtins.concatStringsSep" }, /* forceString */
    { "concatStringsSep", 1, false, false, "while evaluating the second argument (the list of strings to concat) passed to builtins.concatStringsSep" }, /* forceList */
    { "convertHash", 0, false, false, "while evaluating the first argument passed to builtins.convertHash" }, /* forceAttrs */
    { "derivationStrict", 0, false, false, "while evaluating the argument passed to builtins.derivationStrict" }, /* forceAttrs */
    { "dirOf", 0, false, false, "while evaluating the first argument passed to 'builtins.dirOf'" }, /* forceValue, then coerceToString */
    { "div", 0, false, true, "while evaluating the first operand of the division" }, /* forceValue, then forceFloat */
    { "div", 1, false, true, "while evaluating the second operand of the division" }, /* forceValue, then forceFloat */
    { "elem", 1, false, false, "while evaluating the second argument passed to builtins.elem" }, /* forceList */
    { "elemAt", 0, false, false, "while evaluating the first argument passed to 'builtins.elemAt'" }, /* forceList */
    { "elemAt", 1, true, true, "while evaluating the second argument passed to 'builtins.elemAt'" }, /* forceInt */
    { "exec", 0, false, false, "while evaluating the first argument passed to builtins.exec" }, /* forceList */
    { "filter", 0, true, true, "while evaluating the first argument passed to builtins.filter" }, /* forceFunction */
    { "filter", 1, false, false, "while evaluating the second argument passed to builtins.filter" }, /* forceList */
    { "filterSource", 0, true, true, "while evaluating the first argument passed to builtins.filterSource" }, /* forceFunction */
    { "filterSource", 1, true, false, "while evaluating the second argument (the path to filter) passed to 'builtins.filterSource'" }, /* coerceToPath */
    { "findFile", 0, false, false, "while evaluating the first argument passed to builtins.findFile" }, /* forceList */
    { "findFile", 1, true, true, "while evaluating the second argument passed to builtins.findFile" }, /* forceStringNoCtx */
    { "floor", 0, true, true, "while evaluating the first argument passed to builtins.floor" }, /* forceFloat */
    { "foldl'", 0, true, true, "while evaluating the first argument passed to builtins.foldlStrict" }, /* forceFunction */
    { "foldl'", 2, false, false, "while evaluating the third argument passed to builtins.foldlStrict" }, /* forceList */
    { "fromJSON", 0, true, true, "while evaluating the first argument passed to builtins.fromJSON" }, /* forceStringNoCtx */
    { "genList", 0, true, true, "while evaluating the first argument passed to builtins.genList" }, /* forceFunction */
    { "genList", 1, true, true, "while evaluating the second argument passed to builtins.genList" }, /* forceInt */
    { "genericClosure", 0, false, false, "while evaluating the first argument passed to builtins.genericClosure" }, /* forceAttrs */
    { "getAttr", 0, true, true, "while evaluating the first argument passed to builtins.getAttr" }, /* forceStringNoCtx */
    { "getAttr", 1, false, false, "while evaluating the second argument passed to builtins.getAttr" }, /* forceAttrs */
    { "getContext", 0, true, true, "while evaluating the argument passed to builtins.getContext" }, /* forceString */
    { "getEnv", 0, true, true, "while evaluating the first argument passed to builtins.getEnv" }, /* forceStringNoCtx */
    { "groupBy", 0, true, true, "while evaluating the first argument passed to builtins.groupBy" }, /* forceFunction */
    { "groupBy", 1, false, false, "while evaluating the second argument passed to builtins.groupBy" }, /* forceList */
    { "hasAttr", 0, true, true, "while evaluating the first argument passed to builtins.hasAttr" }, /* forceStringNoCtx */
    { "hasAttr", 1, false, false, "while evaluating the second argument passed to builtins.hasAttr" }, /* forceAttrs */
    { "hasContext", 0, true, true, "while evaluating the argument passed to builtins.hasContext" }, /* forceString */
    { "hashFile", 0, true, true, "while evaluating the first argument passed to builtins.hashFile" }, /* forceStringNoCtx */
    { "hashString", 0, true, true, "while evaluating the first argument passed to builtins.hashString" }, /* forceStringNoCtx */
    { "hashString", 1, true, true, "while evaluating the second argument passed to builtins.hashString" }, /* forceString */
    { "head", 0, false, false, "while evaluating the first argument passed to 'builtins.head'" }, /* forceList */
    { "importNative", 1, true, true, "while evaluating the second argument passed to builtins.importNative" }, /* forceStringNoCtx */
    { "intersectAttrs", 0, false, false, "while evaluating the first argument passed to builtins.intersectAttrs" }, /* forceAttrs */
    { "intersectAttrs", 1, false, false, "while evaluating the second argument passed to builtins.intersectAttrs" }, /* forceAttrs */
    { "length", 0, false, false, "while evaluating the first argument passed to builtins.length" }, /* forceList */
    { "listToAttrs", 0, false, false, "while evaluating the argument passed to builtins.listToAttrs" }, /* forceList */
    { "map", 0, true, true, "while evaluating the first argument passed to builtins.map" }, /* forceFunction */
    { "map", 1, false, false, "while evaluating the second argument passed to builtins.map" }, /* forceList */
    { "mapAttrs", 1, false, false, "while evaluating the second argument passed to builtins.mapAttrs" }, /* forceAttrs */
    { "match", 0, true, true, "while evaluating the first argument passed to builtins.match" }, /* forceStringNoCtx */
    { "match", 1, true, true, "while evaluating the second argument passed to builtins.match" }, /* forceString */
    { "mul", 0, false, true, "while evaluating the first argument of the multiplication" }, /* forceValue, then forceFloat */
    { "mul", 1, false, true, "while evaluating the second argument of the multiplication" }, /* forceValue, then forceFloat */
    { "outputOf", 0, false, false, "while evaluating the first argument to builtins.outputOf" }, /* coerceToSingleDerivedPath */
    { "outputOf", 1, true, true, "while evaluating the second argument to builtins.outputOf" }, /* forceStringNoCtx */
    { "parseDrvName", 0, true, true, "while evaluating the first argument passed to builtins.parseDrvName" }, /* forceStringNoCtx */
    { "partition", 0, true, true, "while evaluating the first argument passed to builtins.partition" }, /* forceFunction */
    { "partition", 1, false, false, "while evaluating the second argument passed to builtins.partition" }, /* forceList */
    { "path", 0, false, false, "while evaluating the argument passed to 'builtins.path'" }, /* forceAttrs */
    { "placeholder", 0, true, true, "while evaluating the first argument passed to builtins.placeholder" }, /* forceStringNoCtx */
    { "removeAttrs", 0, false, false, "while evaluating the first argument passed to builtins.removeAttrs" }, /* forceAttrs */
    { "removeAttrs", 1, false, false, "while evaluating the second argument passed to builtins.removeAttrs" }, /* forceList */
    { "replaceStrings", 0, false, false, "while evaluating the first argument passed to builtins.replaceStrings" }, /* forceList */
    { "replaceStrings", 1, false, false, "while evaluating the second argument passed to builtins.replaceStrings" }, /* forceList */
    { "replaceStrings", 2, true, true, "while evaluating the third argument passed to builtins.replaceStrings" }, /* forceString */
    { "sort", 0, true, true, "while evaluating the first argument passed to builtins.sort" }, /* forceFunction */
    { "scopedImport", 0, false, false, "while evaluating the first argument passed to builtins.scopedImport" }, /* forceAttrs (in its helper) */
    { "sort", 1, false, false, "while evaluating the second argument passed to builtins.sort" }, /* forceList */
    { "split", 0, true, true, "while evaluating the first argument passed to builtins.split" }, /* forceStringNoCtx */
    { "split", 1, true, true, "while evaluating the second argument passed to builtins.split" }, /* forceString */
    { "splitVersion", 0, true, true, "while evaluating the first argument passed to builtins.splitVersion" }, /* forceStringNoCtx */
    { "storePath", 0, true, false, "while evaluating the first argument passed to 'builtins.storePath'" }, /* coerceToPath */
    { "stringLength", 0, false, false, "while evaluating the argument passed to builtins.stringLength" }, /* coerceToString */
    { "sub", 0, false, true, "while evaluating the first argument of the subtraction" }, /* forceValue, then forceFloat */
    { "sub", 1, false, true, "while evaluating the second argument of the subtraction" }, /* forceValue, then forceFloat */
    { "substring", 0, true, true, "while evaluating the first argument (the start offset) passed to builtins.substring" }, /* forceInt */
    { "substring", 1, true, true, "while evaluating the second argument (the substring length) passed to builtins.substring" }, /* forceInt */
    { "substring", 2, false, false, "while evaluating the third argument (the string) passed to builtins.substring" }, /* forceValue, then coerceToString */
    { "tail", 0, false, false, "while evaluating the first argument passed to 'builtins.tail'" }, /* forceList */
    { "throw", 0, false, false, "while evaluating the error message passed to builtin.throw" }, /* coerceToString (sic: builtin.) */
    { "toFile", 0, true, true, "while evaluating the first argument passed to builtins.toFile" }, /* forceStringNoCtx */
    { "toFile", 1, true, true, "while evaluating the second argument passed to builtins.toFile" }, /* forceString */
    { "toPath", 0, true, false, "while evaluating the first argument passed to builtins.toPath" }, /* coerceToPath */
    { "toString", 0, false, false, "while evaluating the first argument passed to builtins.toString" }, /* coerceToString */
    { "unsafeDiscardOutputDependency", 0, false, false, "while evaluating the argument passed to builtins.unsafeDiscardOutputDependency" }, /* coerceToString */
    { "unsafeDiscardStringContext", 0, false, false, "while evaluating the argument passed to builtins.unsafeDiscardStringContext" }, /* coerceToString */
    { "unsafeGetAttrPos", 0, true, true, "while evaluating the first argument passed to builtins.unsafeGetAttrPos" }, /* forceStringNoCtx */
    { "unsafeGetAttrPos", 1, false, false, "while evaluating the second argument passed to builtins.unsafeGetAttrPos" }, /* forceAttrs */
    { "warn", 0, true, true, "while evaluating the first argument; the message passed to builtins.warn" }, /* forceString */
    { "zipAttrsWith", 0, true, true, "while evaluating the first argument passed to builtins.zipAttrsWith" }, /* forceFunction */
    { "zipAttrsWith", 1, false, false, "while evaluating the second argument passed to builtins.zipAttrsWith" }, /* forceList */
};

/* Other contexts of primops' own checks (a callback's result, an element
 * or attribute they read): for an error of builtin `name` whose message
 * starts with `prefix` and is about none of its arguments.  at_site: the
 * entry has the call site's position (else none); pos: the error keeps
 * its position (forceBool's atPos; forceList, getAttr and coerceToString
 * raise it without one). */
typedef struct own_ctx {
    const char *name, *prefix;
    bool at_site, pos;
    const char *msg;
} own_ctx;

static const own_ctx own_ctxs[] = {
    { "all", "expected a Boolean", true, true, "while evaluating the return value of the function passed to builtins.all" },
    { "any", "expected a Boolean", true, true, "while evaluating the return value of the function passed to builtins.any" },
    { "catAttrs", "expected a set", true, false, "while evaluating an element in the list passed as second argument to builtins.catAttrs" },
    { "concatLists", "expected a list", true, false, "while evaluating a value of the list passed to builtins.concatLists" },
    { "concatStringsSep", "cannot coerce", true, false,
      "while evaluating one element of the list of strings to concat passed to builtins.concatStringsSep" },
    { "filter", "expected a Boolean", true, true, "while evaluating the return value of the filtering function passed to builtins.filter" },
    { "findFile", "attribute 'path' missing", false, false, "in an element of the __nixPath" },
    { "findFile", "expected a set", true, false, "while evaluating an element of the list passed to builtins.findFile" },
    { "genericClosure", "attribute 'operator' missing", false, false, "in the attrset passed as argument to builtins.genericClosure" },
    { "genericClosure", "attribute 'startSet' missing", false, false, "in the attrset passed as argument to builtins.genericClosure" },
    { "getAttr", "attribute '", false, false, "in the attribute set under consideration" },
    { "groupBy", "expected a string", true, true, "while evaluating the return value of the grouping function passed to builtins.groupBy" },
    { "listToAttrs", "attribute '", false, false, "in a {name=...; value=...;} pair" },
    { "listToAttrs", "expected a set", true, false, "while evaluating an element of the list passed to builtins.listToAttrs" },
    { "partition", "expected a Boolean", true, true, "while evaluating the return value of the partition function passed to builtins.partition" },
    { "removeAttrs", "expected a string", true, true, "while evaluating the values of the second argument passed to builtins.removeAttrs" },
    { "sort", "expected a Boolean", true, true, "while evaluating the return value of the sorting function passed to builtins.sort" },
    { "zipAttrsWith", "expected a set", false, false, "while evaluating a value of the list passed as second argument to builtins.zipAttrsWith" },
};

static const own_ctx *find_own_ctx(const char *name, const char *msg)
{
    for (size_t i = 0; msg && i < NX_ARRAY_LEN(own_ctxs); i++)
        if (strcmp(own_ctxs[i].name, name) == 0 && strncmp(msg, own_ctxs[i].prefix, strlen(own_ctxs[i].prefix)) == 0)
            return &own_ctxs[i];
    return NULL;
}

static const arg_ctx *find_arg_ctx(const char *name, uint32_t arg)
{
    for (size_t i = 0; i < NX_ARRAY_LEN(arg_ctxs); i++)
        if (arg_ctxs[i].arg == arg && strcmp(arg_ctxs[i].name, name) == 0) return &arg_ctxs[i];
    return NULL;
}

/* The argument of NATIVE frame f whose error is being traced: the one
 * with the type error f raised (vm->err.arg, when f is the top frame),
 * or the one the THUNK frame above f forces; -1 if neither.  *type says
 * which. */
static int failed_arg(const nx_vm *vm, const nx_frame *f, const nx_frame *top, bool *type)
{
    *type = false;
    if (f == top) {
        *type = vm->err.arg != 0;
        return (int)vm->err.arg - 1;
    }
    const nx_frame *up = f + 1;
    if (up->kind != NX_FRAME_THUNK) return -1;
    for (uint32_t i = 0; i < f->builtin->arity; i++) {
        nx_value a = nx_deref(f->base[i]);
        if (nx_needs_force(a) && nx_obj_of(a) == nx_obj_of(up->thunk)) return (int)i;
    }
    return -1;
}

/* toString's entries for an error inside its coercion (f's slots hold
 * where the walk stood: vm/ops.c, nx_coerce_trace_kind): each list level
 * adds the context its coerceToString call was given, and a value that
 * could not be coerced (own) its own; the walk's own type error has no
 * position.  Returns whether it added any: the argument itself failing
 * is the generic argument entry's case. */
static bool tostring_trace(nx_vm *vm, const nx_frame *f, nx_pos site, bool own)
{
    static const char *const msg[] = {
        [NX_COERCE_CTX_ARG] = "while evaluating the first argument passed to builtins.toString",
        [NX_COERCE_CTX_ELEMENT] = "while evaluating one element of the list",
        [NX_COERCE_CTX_TOSTRING] = "while evaluating the result of the `__toString` attribute",
    };
    const nx_value *st = &f->base[f->builtin->arity];
    uint32_t n = nx_coerce_trace_levels(st) + own;
    if (!n || (n == 1 && own && nx_coerce_trace_kind(st, 0) == NX_COERCE_CTX_ARG)) return false;
    /* A list nested past CppNix's stack: no entry per level. */
    if (n > 1000) return true;
    for (uint32_t l = n; l-- > 0;) nx_error_add_trace(&vm->err, site, false, "%s", msg[nx_coerce_trace_kind(st, l)]);
    if (own) vm->err.pos = NX_NOPOS;
    return true;
}

/* Entries for a NATIVE frame f whose call site is site (or none). */
static void native_trace(nx_vm *vm, const nx_frame *f, const nx_frame *top, nx_pos site)
{
    const nx_builtin *b = f->builtin;
    bool type;
    int arg = failed_arg(vm, f, top, &type);
    const arg_ctx *ac = arg >= 0 ? find_arg_ctx(b->name, (uint32_t)arg) : NULL;
    /* deepSeq's forceValueDeep: the path to the value it was forcing. */
    if (f != top && (f + 1)->kind == NX_FRAME_THUNK && strcmp(b->name, "deepSeq") == 0)
        trace_deep_to(vm, (nx_value *)&f->base[0], NULL, (f + 1)->thunk);
    if (strcmp(b->name, "toJSON") == 0) tojson_trace(vm, f, top, site);
    if (f != top && arg < 0 && strcmp(b->name, "toString") == 0) {
        /* An element, outPath or __toString result it was forcing. */
        tostring_trace(vm, f, site, false);
    } else if (ac && (type || ac->any)) {
        /* genericClosure forces its argument with no position. */
        nx_error_add_trace(&vm->err, strcmp(b->name, "genericClosure") ? site : NX_NOPOS, false, "%s", ac->msg);
        if (type && !ac->pos) vm->err.pos = NX_NOPOS;
    } else if (f == top && arg < 0) {
        const own_ctx *oc = find_own_ctx(b->name, vm->err.msg);
        if (strcmp(b->name, "toString") == 0 && vm->err.msg && strncmp(vm->err.msg, "cannot coerce ", 14) == 0 &&
            tostring_trace(vm, f, site, true)) {
            /* entries added */
        } else if (!oc && strcmp(b->name, "concatMap") == 0 && vm->err.msg && strncmp(vm->err.msg, "expected a list", 15) == 0) {
            /* The function's result: forceList at the function's
             * position (determinePos: a lambda's), the error without. */
            nx_value fn = nx_deref(f->base[0]);
            nx_pos at = nx_is_type(fn, NX_OBJ_CLOSURE) ? ((const nx_closure *)nx_obj_of(fn))->code->pos : site;
            nx_error_add_trace(&vm->err, at, false, "while evaluating the return value of the function passed to builtins.concatMap");
            vm->err.pos = NX_NOPOS;
        } else if (oc) {
            nx_error_add_trace(&vm->err, oc->at_site ? site : NX_NOPOS, false, "%s", oc->msg);
            if (!oc->pos) vm->err.pos = NX_NOPOS;
        }
    }
    /* addErrorContext adds its message when it rethrows (vm/builtins/
     * control.c), and no "while calling" entry (CppNix's addTrace = false). */
    if (b->catches == NX_CATCH_ALL) return;
    /* The compiler's call for a failed `assert a == b` (vm/compile.c):
     * ExprAssert's entry for the AssertionError it raises, nothing else. */
    if (strcmp(b->name, "assertEqValues") == 0) {
        nx_value m = nx_deref(f->base[0]);
        if (f == top && vm->catchable && nx_is_string(m))
            nx_error_add_trace(&vm->err, site, false, "while evaluating the condition of the assertion '%s'", nx_str(m)->s);
        return;
    }
    if (strcmp(b->name, "derivationStrict") == 0) nx_drv_trace(vm, f);
    if (strcmp(b->name, "genericClosure") == 0) nx_closure_trace(vm, f, f == top);
    /* prim_fromJSON adds this to its JSON parser's errors only (not to
     * Nix's own: an integer out of range, a NUL byte). */
    if (strcmp(b->name, "fromJSON") == 0 && vm->err.msg && strncmp(vm->err.msg, "[json.exception.", 16) == 0)
        nx_error_add_trace(&vm->err, site, false, "while decoding a JSON string");
    nx_error_add_trace(&vm->err, site, false, "while calling the '%s' builtin", b->name);
}

/* The entries of modern CppNix's evalBool callers (nx_cond.kind). */
static const char *const cond_trace[] = {
    [NX_COND_IF] = "while evaluating a branch condition",
    [NX_COND_ASSERT] = "in the condition of the assert statement",
    [NX_COND_AND_L] = "in the left operand of the AND (&&) operator",
    [NX_COND_AND_R] = "in the right operand of the AND (&&) operator",
    [NX_COND_OR_L] = "in the left operand of the OR (||) operator",
    [NX_COND_OR_R] = "in the right operand of the OR (||) operator",
    [NX_COND_IMPL_L] = "in the left operand of the IMPL (->) operator",
    [NX_COND_IMPL_R] = "in the right operand of the IMPL (->) operator",
    [NX_COND_NOT] = "in the argument of the not operator",
    [NX_COND_SUB] = "while calling the 'sub' builtin",
    [NX_COND_MUL] = "while calling the 'mul' builtin",
    [NX_COND_DIV] = "while calling the 'div' builtin",
    [NX_COND_LESS] = "while calling the 'lessThan' builtin",
    [NX_COND_ADD] = "while calling the 'add' builtin",
    [NX_COND_UPDATE_L] = "in the left operand of the update (//) operator",
    [NX_COND_UPDATE_R] = "in the right operand of the update (//) operator",
    [NX_COND_UPDATE_NONE] = NULL,
};

static bool is_update_cond(uint8_t k) { return k >= NX_COND_UPDATE_L; }
static bool is_builtin_cond(uint8_t k) { return k >= NX_COND_SUB && k <= NX_COND_ADD; }

/* The builtin an operator cond calls, for its arguments' contexts. */
static const char *const cond_builtin[] = {
    [NX_COND_SUB] = "sub", [NX_COND_MUL] = "mul", [NX_COND_DIV] = "div", [NX_COND_LESS] = "lessThan", [NX_COND_ADD] = "add",
};

static bool bool_error(const nx_vm *vm)
{
    return vm->err.msg && strncmp(vm->err.msg, "expected a Boolean but found", 28) == 0;
}

/* The evalBool entry for each Boolean operand of frame f's code that
 * contains the instruction at offset x, innermost first.  The checking
 * instruction itself belongs to evalBool only for its type error (a
 * failed assertion is raised after evalBool). */
static void branch_conditions(nx_vm *vm, const nx_frame *f, int64_t x)
{
    if ((f->kind != NX_FRAME_CALL && f->kind != NX_FRAME_THUNK) || !f->code) return;
    for (uint32_t i = 0; i < nx_code_nconds(f->code); i++) {
        const nx_cond *cd = &nx_code_conds(f->code)[i];
        if (is_update_cond(cd->kind)) {
            /* evalAttrs: the operand's own code, end exclusive (the
             * UPDATE's type error: top_frame). */
            if (x >= cd->start && x < cd->end && cond_trace[cd->kind])
                nx_error_add_trace(&vm->err, nx_pos_get(cd->pos), false, "%s", cond_trace[cd->kind]);
            continue;
        }
        if (x < cd->start || x > cd->end || (x == cd->end && cd->kind < NX_COND_SUB && !bool_error(vm))) continue;
        nx_error_add_trace(&vm->err, nx_pos_get(cd->pos), false, "%s", cond_trace[cd->kind]);
    }
}

/* Deeper stacks keep this many frames at each end (a runaway recursion
 * ends at --max-call-depth, ten million frames by default: CppNix's
 * default is 10,000). */
#define KEEP_FRAMES 5000

/* "cannot compare" raised by `<` on two lists (the operands still on the
 * stack): CompareValues' "while comparing two list elements" for each
 * level of lists down to the pair that failed. */
static void compared_lists(nx_vm *vm)
{
    if (!vm->err.msg || strncmp(vm->err.msg, "cannot compare ", 15) != 0 || !vm->fp->base || vm->sp - 2 < vm->fp->base ||
        vm->sp - 2 < vm->stack)
        return;
    nx_value a = nx_deref(vm->sp[-2]), b = nx_deref(vm->sp[-1]);
    while (nx_is_list(a) && nx_is_list(b)) {
        uint32_t i = 0, n = nx_list_len(a) < nx_list_len(b) ? nx_list_len(a) : nx_list_len(b);
        while (i < n && nx_eq_shallow(nx_deref(nx_listp(a)->v[i]), nx_deref(nx_listp(b)->v[i])) == 1) i++;
        if (i == n) return;
        nx_error_add_trace(&vm->err, NX_NOPOS, false, "while comparing two list elements");
        a = nx_deref(nx_listp(a)->v[i]);
        b = nx_deref(nx_listp(b)->v[i]);
    }
}

static bool prefix(const char *s, const char *p) { return s && strncmp(s, p, strlen(p)) == 0; }

/* The type errors of `//`, `++`, string interpolation and dynamic
 * attribute names, raised by the top frame's instruction: modern CppNix
 * raises them in a helper with a context of its own (evalAttrs,
 * forceList, coerceToString, forceStringNoCtx), and the first three
 * without a position. */
static void operator_errors(nx_vm *vm, const nx_frame *top)
{
    if ((top->kind != NX_FRAME_CALL && top->kind != NX_FRAME_THUNK) || !top->code || !nx_code_nlines(top->code) ||
        top->pc <= top->code->bc || top->pc > top->code->bc + top->code->len || !vm->err.msg)
        return;
    const nx_code *c = top->code;
    uint32_t at = (uint32_t)(top->pc - 1 - c->bc);
    const char *m = vm->err.msg;
    bool ctx = strstr(m, "is not allowed to refer to a store path") != NULL;
    switch (top->pc[-1]) {
    case NX_OP_CONCAT_LISTS:
        /* concatLists' forceList, at the operator. */
        if (!prefix(m, "expected a list but found")) return;
        nx_error_add_trace(&vm->err, nx_code_pos_at(c, at), false, "while evaluating one of the elements to concatenate");
        vm->err.pos = NX_NOPOS;
        return;
    case NX_OP_CONCAT_LISTS_N:
        /* The same, at the `++` the operand belongs to (where the
         * instruction put the error). */
        if (!prefix(m, "expected a list but found")) return;
        nx_error_add_trace(&vm->err, vm->err.pos, false, "while evaluating one of the elements to concatenate");
        vm->err.pos = NX_NOPOS;
        return;
    case NX_OP_CONCAT:
        /* ExprConcatStrings' coerceToString, at the part (where CONCAT
         * put the error). */
        if (!prefix(m, "cannot coerce ")) return;
        nx_error_add_trace(&vm->err, vm->err.pos, false, "while evaluating a path segment");
        vm->err.pos = NX_NOPOS;
        return;
    case NX_OP_ATTR_DYN:
    case NX_OP_SELECT_DYN:
    case NX_OP_SELECT_DYN_OR:
    case NX_OP_HASATTR_DYN:
        /* forceStringNoCtx on the name: its type error keeps the
         * position (atPos), the context error has none. */
        if (!prefix(m, "expected a string but found") && !ctx) return;
        nx_error_add_trace(&vm->err, vm->err.pos, false, "%s",
                           top->pc[-1] == NX_OP_ATTR_DYN ? "while evaluating the name of a dynamic attribute"
                                                         : "while evaluating an attribute name");
        if (ctx) vm->err.pos = NX_NOPOS;
        return;
    case NX_OP_UPDATE: {
        /* evalAttrs' type error, under the operand's entry: the right
         * operand's range ends at the UPDATE, the left one's where the
         * right one starts. */
        if (!prefix(m, "expected a set but found") || !vm->err.arg) return;
        const nx_cond *r = NULL, *l = NULL;
        const nx_cond *conds = nx_code_conds(c);
        uint32_t nconds = nx_code_nconds(c);
        for (uint32_t i = 0; i < nconds; i++)
            if (is_update_cond(conds[i].kind) && conds[i].end == at) r = &conds[i];
        for (uint32_t i = 0; r && i < nconds; i++)
            if (is_update_cond(conds[i].kind) && conds[i].end == r->start) l = &conds[i];
        const nx_cond *cd = vm->err.arg == 2 ? r : l;
        if (cd && cond_trace[cd->kind]) nx_error_add_trace(&vm->err, nx_pos_get(cd->pos), false, "%s", cond_trace[cd->kind]);
        vm->err.pos = NX_NOPOS;
        return;
    }
    default:
        return;
    }
}

/* Entries for the error raised by frame top itself. */
static void top_frame(nx_vm *vm, nx_frame *top)
{
    /* throw and abort raise errors without a position in CppNix: the
     * "while calling" entry carries it. */
    if (top->kind == NX_FRAME_NATIVE && top > vm->frames &&
        (strcmp(top->builtin->name, "throw") == 0 || strcmp(top->builtin->name, "abort") == 0))
        vm->err.pos = NX_NOPOS;
    /* A `with` whose set is not a set: forceAttrs's error, without a
     * position, under "while evaluating the first subexpression of a with
     * expression" at the `with` (WITH_VAR put that position in the error). */
    if ((top->kind == NX_FRAME_CALL || top->kind == NX_FRAME_THUNK) && top->code && top->pc > top->code->bc &&
        (top->pc[-1] == NX_OP_WITH_VAR || top->pc[-1] == NX_OP_WITH_VAR_LAZY) && vm->err.msg &&
        strncmp(vm->err.msg, "expected a set but found", 24) == 0) {
        nx_error_add_trace(&vm->err, vm->err.pos, false, "while evaluating the first subexpression of a with expression");
        vm->err.pos = NX_NOPOS;
    }
    /* CppNix's CompareValues raises "cannot compare" without a position. */
    if (vm->err.msg && strncmp(vm->err.msg, "cannot compare ", 15) == 0) vm->err.pos = NX_NOPOS;
    /* A selection's own errors: a missing attribute, a component that is
     * not a set (forceAttrs's "while selecting an attribute").  CppNix
     * raises both without a position, under the selection's entry. */
    if ((top->kind == NX_FRAME_CALL || top->kind == NX_FRAME_THUNK) && top->code && nx_code_nlines(top->code) &&
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
    operator_errors(vm, top);
    /* An error raised in the top frame itself: its saved pc is past the
     * opcode.  A non-Boolean condition is evalBool's error, at the
     * condition (the JUMP_IF_FALSE carries the `if`'s position). */
    if ((top->kind == NX_FRAME_CALL || top->kind == NX_FRAME_THUNK) && top->code && nx_code_nconds(top->code) &&
        top->pc > top->code->bc) {
        int64_t x = top->pc - top->code->bc - 1;
        for (uint32_t i = 0; i < nx_code_nconds(top->code); i++) {
            const nx_cond *cd = &nx_code_conds(top->code)[i];
            if (cd->end != x || is_update_cond(cd->kind)) continue;
            if (cd->kind < NX_COND_SUB && bool_error(vm)) vm->err.pos = nx_pos_get(cd->pos);
            /* An operand of the wrong type (nx_type_error's vm->err.arg):
             * the builtin's forceInt/forceFloat context. */
            const arg_ctx *ac = is_builtin_cond(cd->kind) && vm->err.arg ? find_arg_ctx(cond_builtin[cd->kind], vm->err.arg - 1u) : NULL;
            if (ac) nx_error_add_trace(&vm->err, nx_pos_get(cd->pos), false, "%s", ac->msg);
            if (cd->kind == NX_COND_LESS) compared_lists(vm);
        }
        branch_conditions(vm, top, x);
    }
}

/* Entries for the frames from top down to (not including) bottom. */
static void walk(nx_vm *vm, nx_frame *top, nx_frame *bottom)
{
    for (nx_frame *f = top; f > bottom; f--) {
        if (top - bottom > 2 * KEEP_FRAMES && f == top - KEEP_FRAMES) {
            size_t skip = (size_t)(top - bottom) - 2 * KEEP_FRAMES;
            if (nx_show_trace) nx_error_add_trace(&vm->err, NX_NOPOS, false, "(%zu frames not shown)", skip);
            f -= skip;
        }
        nx_frame *caller = f - 1; /* frames[0] is a HALT frame */
        if (caller->code == &nx_call2_code) caller--; /* (f a) b: the CALL2 */
        nx_prof_entry ce = nx_prof_frame_entry(vm, caller);
        nx_pos site = NX_NOPOS;
        if (caller->code == &nx_functor_code)
            /* CppNix calls f.__functor with f and x at the position of
             * the __functor attribute (exec.c keeps it in pending). */
            site = caller->pending ? nx_pos_get(caller->pending) : NX_NOPOS;
        else if (!nx_prof_call_site(ce, &site)) site = NX_NOPOS;
        switch (f->kind) {
        case NX_FRAME_NATIVE:
            native_trace(vm, f, top, site);
            break;
        case NX_FRAME_CALL:
            if (f->code == &nx_functor_code) {
                /* callFunction's catch around that call, at the call site. */
                nx_error_add_trace(&vm->err, site, false,
                                   "while calling a functor (an attribute set with a '__functor' attribute)");
                break;
            }
            if (f->code->kind != NX_CODE_LAMBDA) break;
            if (f->code->bc[0] == NX_OP_BIND_FORMALS && (f->pc == f->code->bc || (f == top && f->pc == f->code->bc + 1))) {
                /* Binding the formals (forcing the argument, or failing
                 * after SAVE past BIND_FORMALS; a frame below the top
                 * with its pc there is forcing the body's first
                 * instruction): CppNix does it before
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
            /* CppNix adds these two only under --show-trace. */
            if (!nx_show_trace) break;
            if (nx_code_name(f->code))
                nx_error_add_trace(&vm->err, f->code->pos, false, "while calling '%s'", nx_sym_str(nx_code_name(f->code)));
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

void nx_trace_collect(nx_vm *vm)
{
    if (vm->err.traced == NX_TRACED_ALL || will_be_caught(vm)) return;
    nx_frame *top = vm->fp, *bottom = top;
    while (bottom->kind != NX_FRAME_HALT && !catches_all(bottom)) bottom--;
    bool first = vm->err.traced == NX_TRACED_NONE;
    vm->err.traced = bottom->kind == NX_FRAME_HALT ? NX_TRACED_ALL : NX_TRACED_PART;
    if (first) top_frame(vm, top);
    walk(vm, top, bottom);
    vm->err.arg = 0;
}

/* ---- --strict: the path to the value that failed ------------------------- */

typedef struct deep_node {
    nx_value *slot;
    size_t parent;   /* index in the node array; SIZE_MAX for the root */
    uint32_t index;  /* position in the parent list or attribute set */
} deep_node;

void nx_trace_deep(nx_vm *vm, nx_value *root, nx_value *failed)
{
    trace_deep_to(vm, root, failed, NX_NOVALUE);
}

static bool deep_match(nx_value *slot, nx_value *failed, nx_value target)
{
    if (failed) return slot == failed;
    nx_value v = nx_deref(*slot);
    return nx_needs_force(v) && nx_obj_of(v) == nx_obj_of(target);
}

static void trace_deep_to(nx_vm *vm, nx_value *root, nx_value *failed, nx_value target)
{
    if (failed == root || deep_match(root, failed, target)) return;
    /* The same front-to-back depth-first walk as nx_force_deep, over the
     * values it has forced so far, until it meets the slot that failed. */
    size_t cap = 256, n = 0, scap = 256, sn = 0;
    deep_node *nodes = nx_xmalloc(cap * sizeof *nodes);
    size_t *stack = nx_xmalloc(scap * sizeof *stack);
    nx_ptrset seen = { 0 };
    nodes[n++] = (deep_node){ root, SIZE_MAX, 0 };
    stack[sn++] = 0;
    size_t found = SIZE_MAX;
    while (sn && found == SIZE_MAX) {
        size_t k = stack[--sn];
        if (deep_match(nodes[k].slot, failed, target)) {
            found = k;
            break;
        }
        nx_value v = nx_deref(*nodes[k].slot);
        if (nx_needs_force(v) || (!nx_is_list(v) && !nx_is_attrs(v))) continue;
        if (!nx_ptrset_add(&seen, nx_obj_of(v))) continue;
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
    free(seen.v);
    free(stack);
    free(nodes);
}

/* ---- builtins.toJSON: the path to the value that failed ------------------ */

typedef struct json_node {
    nx_value *slot;
    size_t parent;   /* SIZE_MAX for the root */
    uint32_t index;  /* list index; or the attribute (nx_attr *) below */
    nx_attr *attr;   /* the attribute holding the slot, or NULL (list element, outPath) */
    nx_pos pos;      /* the position printValueAsJSON gets for this value */
} json_node;

/* printValueAsJSON(strict) forces depth first: a set with __toString
 * only through its call (nothing inside it), a set with an outPath only
 * through it (no entry), other sets by attribute name ("while evaluating
 * attribute 'a'" at a), lists in order ("while evaluating list element
 * at index N" at the position the list itself was printed with: the call
 * site for the root, its attribute's, or its parent list's).  Appends the
 * entries for the path from *root to the first slot holding target (a
 * thunk being forced, or the value the walk stopped at), innermost
 * first; with result, tryAttrsToString's entry for a __toString result
 * that could not be coerced before them, at target's position.
 * Allocates; error path only. */
static void trace_json_to(nx_vm *vm, nx_value *root, nx_value target, nx_pos pos, bool result)
{
    static nx_sym s_outpath, s_tostring;
    if (!s_outpath) {
        s_outpath = nx_sym_intern_cstr("outPath");
        s_tostring = nx_sym_intern_cstr("__toString");
    }
    size_t cap = 256, n = 0, scap = 256, sn = 0;
    json_node *nodes = nx_xmalloc(cap * sizeof *nodes);
    size_t *stack = nx_xmalloc(scap * sizeof *stack);
    nx_ptrset seen = { 0 };
    nodes[n++] = (json_node){ root, SIZE_MAX, 0, NULL, pos };
    stack[sn++] = 0;
    size_t found = SIZE_MAX;
    while (sn) {
        size_t k = stack[--sn];
        nx_value v = nx_deref(*nodes[k].slot);
        if (nx_is_ptr(v) && nx_obj_of(v) == nx_obj_of(target)) {
            found = k;
            break;
        }
        if (nx_needs_force(v) || (!nx_is_list(v) && !nx_is_attrs(v))) continue;
        if (nx_is_attrs(v) && nx_attrs_find(v, s_tostring)) continue;
        if (!nx_ptrset_add(&seen, nx_obj_of(v))) continue;
        nx_attr *o = nx_is_attrs(v) ? nx_attrs_get(nx_attrsp(v), s_outpath) : NULL;
        uint32_t m = o ? 1 : nx_is_list(v) ? nx_list_len(v) : nx_attrsp(v)->h.aux;
        if (n + m > cap) {
            cap = (n + m) * 2;
            nodes = nx_xrealloc(nodes, cap * sizeof *nodes);
        }
        if (sn + m > scap) {
            scap = (sn + m) * 2;
            stack = nx_xrealloc(stack, scap * sizeof *stack);
        }
        if (o) {
            nodes[n] = (json_node){ &o->value, k, 0, NULL, o->pos ? nx_pos_get(o->pos) : NX_NOPOS };
            stack[sn++] = n++;
        } else if (nx_is_list(v)) {
            for (uint32_t i = m; i-- > 0;) {
                nodes[n] = (json_node){ &nx_listp(v)->v[i], k, i, NULL, nodes[k].pos };
                stack[sn++] = n++;
            }
        } else {
            nx_attr **order = nx_attrs_by_name(nx_attrsp(v));
            for (uint32_t i = m; i-- > 0;) {
                nx_attr *a = order[i];
                nodes[n] = (json_node){ &a->value, k, i, a, a->pos ? nx_pos_get(a->pos) : NX_NOPOS };
                stack[sn++] = n++;
            }
            free(order);
        }
    }
    if (result)
        nx_error_add_trace(&vm->err, found != SIZE_MAX ? nodes[found].pos : pos, false,
                           "while evaluating the result of the `__toString` attribute");
    for (size_t k = found; k != SIZE_MAX && nodes[k].parent != SIZE_MAX; k = nodes[k].parent) {
        const json_node *p = &nodes[nodes[k].parent];
        if (nodes[k].attr)
            nx_error_add_trace(&vm->err, nodes[k].pos, false, "while evaluating attribute '%s'", nx_sym_str(nodes[k].attr->name));
        else if (nx_is_list(nx_deref(*p->slot)))
            nx_error_add_trace(&vm->err, p->pos, false, "while evaluating list element at index %u", nodes[k].index);
    }
    free(seen.v);
    free(stack);
    free(nodes);
}

/* toJSON's entries (f its frame): the path to the thunk it was forcing;
 * while it was calling a set's __toString or coercing the result (a set
 * with __toString where its walk stands: nx_tojson_walk_top), or failed
 * itself at a value it cannot print, the path to that value. */
static void tojson_trace(nx_vm *vm, const nx_frame *f, const nx_frame *top, nx_pos site)
{
    static nx_sym s_tostring;
    if (!s_tostring) s_tostring = nx_sym_intern_cstr("__toString");
    nx_value *root = (nx_value *)&f->base[0], at = nx_tojson_walk_top(f);
    bool tostring = at != NX_NOVALUE && nx_is_attrs(at) && nx_attrs_find(at, s_tostring);
    if (f != top && (f + 1)->kind == NX_FRAME_THUNK) {
        trace_json_to(vm, root, tostring ? at : (f + 1)->thunk, site, false);
    } else if (f == top && at != NX_NOVALUE) {
        bool result = tostring && vm->err.msg && strncmp(vm->err.msg, "cannot coerce ", 14) == 0;
        trace_json_to(vm, root, at, site, result);
        if (result) vm->err.pos = NX_NOPOS;
    }
}
