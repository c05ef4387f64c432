/* report.c — the symbolising half of the profiler: recorded samples to
 * folded stacks (`frame;frame;… count`, outermost frame first, one line per
 * distinct stack), the format of CppNix's `--eval-profiler flamegraph`,
 * read by flamegraph.pl, inferno and speedscope; or to speedscope's JSON, or
 * to a static SVG flame graph.
 *
 * Frames:
 *   FILE:LINE:COL:NAME         a lambda call: the call site (the caller's
 *                              CALL instruction) when the caller is Nix code,
 *                              else the lambda's own position; NAME is the
 *                              binding it was defined under, or
 *                              "anonymous lambda"
 *   FILE:LINE:COL              forcing a thunk: the thunk's expression
 *   FILE:LINE:COL:NAME         … forced by selecting attribute NAME (a.NAME),
 *                              through a `with` variable NAME or a computed
 *                              name (a.${n}: the thunk frame keeps it)
 *   import FILE                evaluating an imported file
 *   [FILE:LINE:COL:]primop NAME  a builtin (with its call site if known)
 *   [BUILTIN: STATE]           the state of a multi-state builtin that is
 *                              the innermost Nix frame (NX_STATES names)
 *   [garbage collection] [parsing] [compiling]  pseudo-frames (leaf)
 *   [truncated]                root of a stack deeper than the copy limit
 *   [outside evaluation]       a sample with no Nix frame (start-up, output)
 *   [C] NAME                   --profile-native: a C function, below the
 *                              Nix leaf (and the pseudo-frame), outermost
 *                              first; [C] ?? (OBJECT) when it has no symbol
 * Frames without a source (driver trampolines, `f x` application thunks of
 * functors) are left out.  Runs after sampling has stopped; allocates. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <stdlib.h>
#include <string.h>

#define UNW_LOCAL_ONLY
#include <libunwind.h>

#include "profiler/labeltab.h"
#include "profiler/profiler.h"
#include "vm/builtins/builtins.h"
#include "vm/heap.h"
#include "vm/opcodes.h"
#include "vm/print_ast.h"
#include "vm/stats.h"
#include "vm/source.h"
#include "vm/symbol.h"
#include "vm/vm.h"

/* ---- labels: interned frame strings --------------------------------------- */

/* The label cache: k is the frame (a), its caller when the label uses the
 * call site (b, c), a named builtin's name (nm: NX_PROF_B_NAME); a C code
 * address is (ip, UINTPTR_MAX, 0). */
typedef struct label_slot {
    nx_label_head k;
    uint32_t id; /* label id, UINT32_MAX: not shown */
    bool exec;   /* a C address in the dispatch loop */
} label_slot;

static char **labels;
static uint32_t nlabels, caplabels;
static nx_label_tab ltab = { .size = sizeof(label_slot) };
/* Label text -> id (UINT32_MAX: empty), so two frames that print the same
 * (two addresses in one C function) are one frame of the graph. */
static uint32_t *text_ids;
static size_t text_cap;


static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static void text_insert(uint32_t id)
{
    size_t j = hash_str(labels[id]) & (text_cap - 1);
    while (text_ids[j] != UINT32_MAX) j = (j + 1) & (text_cap - 1);
    text_ids[j] = id;
}

/* The id of label s (malloc'd; taken over, or freed if already known).
 * A label is one field of a folded line: a `;` in it (a file or attribute
 * name) becomes `,` and a control character `?`, so every line still
 * splits into its frames. */
static uint32_t add_label(char *s)
{
    for (char *c = s; *c; c++)
        if (*c == ';') *c = ',';
        else if ((unsigned char)*c < 0x20) *c = '?';
    if ((size_t)(nlabels + 1) * 2 > text_cap) {
        free(text_ids);
        text_cap = text_cap ? text_cap * 2 : 512;
        text_ids = nx_xmalloc(text_cap * sizeof *text_ids);
        memset(text_ids, 0xff, text_cap * sizeof *text_ids);
        for (uint32_t i = 0; i < nlabels; i++) text_insert(i);
    }
    for (size_t j = hash_str(s) & (text_cap - 1); text_ids[j] != UINT32_MAX; j = (j + 1) & (text_cap - 1))
        if (strcmp(labels[text_ids[j]], s) == 0) {
            free(s);
            return text_ids[j];
        }
    if (nlabels == caplabels) {
        caplabels = caplabels ? caplabels * 2 : 256;
        labels = nx_xrealloc(labels, caplabels * sizeof *labels);
    }
    labels[nlabels] = s;
    text_insert(nlabels);
    return nlabels++;
}


nx_prof_entry nx_prof_frame_entry(const nx_vm *vm, const nx_frame *f)
{
    nx_prof_entry e = { 0, 0 };
    if (f->kind == NX_FRAME_NATIVE) {
        const nx_builtin *bi = f->builtin;
        e.a = (uintptr_t)bi | NX_FRAME_NATIVE;
        e.b = f->state;
        if (bi == nx_prof_named_builtin && nx_prof_named_builtin) {
            nx_value nm = f->base[bi->arity + bi->nslots - 1];
            if (nx_is_smallint(nm)) e.b |= (uintptr_t)nx_smallint(nm) << 16;
        }
    } else if (f->kind == NX_FRAME_CALL || f->kind == NX_FRAME_THUNK) {
        e.a = (uintptr_t)f->code | f->kind;
        e.b = (uintptr_t)f->pc;
        if (f->kind == NX_FRAME_THUNK && f->base > vm->stack && f->base[-1] == f->thunk) e.a |= NX_PROF_E_OPERAND;
        if (f->kind == NX_FRAME_THUNK && f->pending) e.b = NX_PROF_FORCED_B(f->pending, f->pc - f->code->bc);
    }
    return e;
}

const uint8_t *nx_prof_entry_pc(nx_prof_entry e)
{
    if (!(e.b & NX_PROF_B_FORCED)) return (const uint8_t *)e.b;
    const nx_code *c = (const nx_code *)NX_PROF_E_PTR(e.a);
    return c ? c->bc + (uint32_t)e.b : NULL;
}

uint32_t nx_prof_forced_name(nx_prof_entry e)
{
    if ((e.a & 3) != NX_FRAME_THUNK || !(e.b & NX_PROF_B_FORCED)) return 0;
    return (uint32_t)(e.b >> 32) & 0x7fffffff;
}

/* Symbols below this are names (nx_prof_write sets it: a sample taken
 * while a frame's pc pointed into an instruction's operand may read a
 * symbol from the wrong bytes). */
static uint32_t sym_limit = UINT32_MAX;

/* The position of the instruction a caller frame is at, if it is Nix code
 * whose saved pc lies after the instruction that pushed the next frame. */
bool nx_prof_call_site(nx_prof_entry caller, nx_pos *pos)
{
    unsigned kind = caller.a & 3;
    if (kind != NX_FRAME_CALL && kind != NX_FRAME_THUNK) return false;
    const nx_code *c = (const nx_code *)NX_PROF_E_PTR(caller.a);
    const uint8_t *pc = nx_prof_entry_pc(caller);
    if (!c || !nx_code_nlines(c) || pc <= c->bc || pc > c->bc + c->len) return false;
    *pos = nx_code_pos_at(c, (uint32_t)(pc - c->bc - 1));
    return pos->src != 0;
}

/* The attribute a caller frame stopped at to force it, if its saved pc is
 * a SELECT or SELECT_OR (FORCE_RETRY leaves the pc on the instruction). */
bool nx_prof_selected_attr(nx_prof_entry caller, nx_sym *name)
{
    unsigned kind = caller.a & 3;
    if (kind != NX_FRAME_CALL && kind != NX_FRAME_THUNK) return false;
    const nx_code *c = (const nx_code *)NX_PROF_E_PTR(caller.a);
    const uint8_t *pc = nx_prof_entry_pc(caller);
    if (!c || pc < c->bc || pc + 5 > c->bc + c->len) return false;
    if (*pc != NX_OP_SELECT && *pc != NX_OP_SELECT_OR) return false;
    memcpy(name, pc + 1, sizeof *name);
    return *name != 0 && *name < sym_limit;
}

static bool has_source(const nx_code *c) { return nx_code_nlines(c) || c->pos.src; }

/* Whether frame e's label depends on its caller (a call site, a selected
 * attribute). */
static bool label_by_site(nx_prof_entry e)
{
    unsigned kind = e.a & 3;
    uintptr_t p = NX_PROF_E_PTR(e.a);
    return kind == NX_FRAME_NATIVE || (kind == NX_FRAME_CALL && ((const nx_code *)p)->kind == NX_CODE_LAMBDA) ||
           (kind == NX_FRAME_THUNK && !(e.a & NX_PROF_E_OPERAND));
}

bool nx_prof_label(nx_buf *b, nx_prof_entry e, const nx_prof_entry *caller)
{
    unsigned kind = e.a & 3;
    uintptr_t p = NX_PROF_E_PTR(e.a);
    if (!p || kind == NX_FRAME_HALT) return false;
    bool by_site = label_by_site(e);
    nx_pos site;
    bool have_site = by_site && caller && nx_prof_call_site(*caller, &site);
    if (kind == NX_FRAME_NATIVE) {
        const nx_builtin *bi = (const nx_builtin *)p;
        if (have_site) {
            nx_pos_format(b, site);
            nx_buf_addc(b, ':');
        }
        nx_buf_adds(b, "primop ");
        nx_buf_adds(b, bi->name);
        if (bi == nx_prof_named_builtin && NX_PROF_B_NAME(e.b)) {
            nx_buf_addc(b, ' ');
            nx_buf_adds(b, nx_sym_str(NX_PROF_B_NAME(e.b)));
        }
        return true;
    }
    const nx_code *c = (const nx_code *)p;
    if (!has_source(c)) return false;
    if (c->kind == NX_CODE_LAMBDA) {
        nx_pos_format(b, have_site ? site : c->pos);
        nx_buf_addc(b, ':');
        nx_buf_adds(b, nx_code_name(c) ? nx_sym_str(nx_code_name(c)) : "anonymous lambda");
    } else if (c->kind == NX_CODE_TOP && kind == NX_FRAME_THUNK && nx_source_get(c->pos.src) &&
               nx_source_get(c->pos.src)->is_file) {
        nx_buf_adds(b, "import ");
        nx_buf_adds(b, nx_source_get(c->pos.src)->name);
    } else {
        nx_pos_format(b, c->pos);
        /* The name it was forced under: a with variable or `a.${n}` (in
         * the frame), else the attribute its caller's SELECT names. */
        nx_sym name = nx_prof_forced_name(e);
        if ((name && name < sym_limit) || (by_site && caller && nx_prof_selected_attr(*caller, &name))) {
            nx_buf_addc(b, ':');
            nx_print_identifier(b, nx_sym_str(name), nx_sym_len(name));
        }
    }
    return true;
}

/* The label id of frame e called from caller (NULL for the outermost
 * frame), or UINT32_MAX for a frame that is not shown. */
static uint32_t frame_label(nx_prof_entry e, const nx_prof_entry *caller)
{
    unsigned kind = e.a & 3;
    uintptr_t p = NX_PROF_E_PTR(e.a);
    if (!p || kind == NX_FRAME_HALT) return UINT32_MAX;
    bool by_site = label_by_site(e);
    uintptr_t pa = by_site && caller ? caller->a : 0, pb = by_site && caller ? caller->b : 0;
    uint32_t nm = kind == NX_FRAME_NATIVE ? NX_PROF_B_NAME(e.b) : nx_prof_forced_name(e);
    label_slot *slot = (label_slot *)nx_label_lookup(&ltab, (nx_label_head){ e.a, pa, pb, nm, true });
    if (slot->k.used) return slot->id;

    nx_buf b = { 0 };
    uint32_t id = UINT32_MAX;
    if (nx_prof_label(&b, e, caller)) {
        nx_buf_addc(&b, 0);
        id = add_label(b.data);
        b.data = NULL;
    }
    nx_buf_free(&b);
    *slot = (label_slot){ { e.a, pa, pb, nm, true }, id, false };
    ltab.used++;
    return id;
}

/* The label of a C code address: "[C] NAME" from the ELF symbol tables
 * (libunwind's local get_proc_name reads them, static functions too),
 * "[C] ?? (OBJECT)" without a symbol.  *is_exec: the address is in the
 * dispatch loop, where the Nix frames take over. */
static uint32_t native_label(uintptr_t ip, bool *is_exec)
{
    label_slot *slot = (label_slot *)nx_label_lookup(&ltab, (nx_label_head){ ip, UINTPTR_MAX, 0, 0, true });
    if (slot->k.used) {
        *is_exec = slot->exec;
        return slot->id;
    }
    char name[256];
    unw_word_t off;
    unw_accessors_t *acc = unw_get_accessors(unw_local_addr_space);
    nx_buf b = { 0 };
    nx_buf_adds(&b, "[C] ");
    bool exec = false;
    /* Shared libraries usually keep only their exported symbols, and the
     * nearest one before an internal function is not its name: outside
     * nixe's own executable a name counts only if the address is inside
     * that symbol's extent. */
    Dl_info info, self;
    const ElfW(Sym) *sym = NULL;
    bool have_info = dladdr1((void *)ip, &info, (void **)&sym, RTLD_DL_SYMENT) != 0;
    bool in_self = have_info && dladdr((void *)&nx_prof_write, &self) && self.dli_fbase == info.dli_fbase;
    bool named = acc && acc->get_proc_name &&
                 acc->get_proc_name(unw_local_addr_space, (unw_word_t)ip, name, sizeof name, &off, NULL) == 0 && name[0];
    if (named && !in_self)
        named = have_info && sym && info.dli_sname && strcmp(info.dli_sname, name) == 0 &&
                ip - (uintptr_t)info.dli_saddr < (sym->st_size ? sym->st_size : 1);
    if (named) {
        nx_buf_adds(&b, name);
        exec = strcmp(name, "nx_exec") == 0 || strncmp(name, "nx_exec.", 8) == 0;
    } else {
        const char *obj = have_info && info.dli_fname ? info.dli_fname : "?";
        const char *slash = strrchr(obj, '/');
        nx_buf_adds(&b, "?? (");
        nx_buf_adds(&b, slash ? slash + 1 : obj);
        nx_buf_addc(&b, ')');
    }
    nx_buf_addc(&b, 0);
    uint32_t id = add_label(b.data);
    *slot = (label_slot){ { ip, UINTPTR_MAX, 0, 0, true }, id, exec };
    ltab.used++;
    *is_exec = exec;
    return id;
}

/* The allocator's own functions (vm/gc.c), where allocation samples are
 * taken. */
static bool is_allocator(const char *label)
{
    static const char *const names[] = { "[C] grow", "[C] take_block", "[C] alloc_large", "[C] nx_heap_alloc_slow" };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(label, names[i]) == 0) return true;
    return false;
}

/* ---- builtin states -------------------------------------------------------- */

/* The state names the builtins declare with NX_STATES (vm/builtins/
 * builtins.h), gathered by the linker into the section nx_states. */
extern const nx_state_names __start_nx_states[] __attribute__((weak));
extern const nx_state_names __stop_nx_states[] __attribute__((weak));

typedef struct state_table {
    const nx_builtin *bi;
    const char *states; /* "SORT_START, SORT_MERGE, …" */
    uint32_t *ids;      /* label id of each state, UINT32_MAX until needed */
    uint32_t n;
} state_table;

static state_table *stables;
static size_t nstables;

/* Finds the builtins named in the nx_states records. */
static void states_init(void)
{
    size_t cap = 0;
    for (const nx_state_names *r = __start_nx_states; r && r < __stop_nx_states; r++) {
        for (const char *p = r->builtins; *p;) {
            size_t len = strcspn(p, " ");
            char name[64];
            if (len && len < sizeof name) {
                memcpy(name, p, len);
                name[len] = 0;
                const nx_builtin *bi = nx_builtin_find(name);
                if (bi) {
                    if (nstables == cap) stables = nx_xrealloc(stables, (cap = cap ? 2 * cap : 16) * sizeof *stables);
                    uint32_t n = 1;
                    for (const char *c = r->states; *c; c++) n += *c == ',';
                    uint32_t *ids = nx_xmalloc(n * sizeof *ids);
                    memset(ids, 0xff, n * sizeof *ids);
                    stables[nstables++] = (state_table){ bi, r->states, ids, n };
                }
            }
            p += len;
            while (*p == ' ') p++;
        }
    }
}

static void states_free(void)
{
    for (size_t i = 0; i < nstables; i++) free(stables[i].ids);
    free(stables);
    stables = NULL;
    nstables = 0;
}

/* The label id of the frame naming native frame e's state, `[BUILTIN:
 * STATE]` (SORT_MERGE of sort: `[sort: merge]`: the enum's name less its
 * prefix, in lower case), or UINT32_MAX when its builtin has no named
 * states. */
static uint32_t state_label(nx_prof_entry e)
{
    const nx_builtin *bi = (const nx_builtin *)NX_PROF_E_PTR(e.a);
    uint32_t st = (uint32_t)(e.b & 0xffff);
    for (size_t i = 0; i < nstables; i++) {
        state_table *t = &stables[i];
        if (t->bi != bi) continue;
        if (st >= t->n) return UINT32_MAX; /* NX_STATE_CAUGHT */
        if (t->ids[st] != UINT32_MAX) return t->ids[st];
        const char *p = t->states;
        for (uint32_t k = 0; k < st; k++) p = strchr(p, ',') + 1;
        while (*p == ' ') p++;
        size_t len = strcspn(p, ", ");
        const char *us = memchr(p, '_', len);
        if (us) len -= (size_t)(us + 1 - p), p = us + 1;
        nx_buf b = { 0 };
        nx_buf_printf(&b, "[%s: ", bi->name);
        for (size_t k = 0; k < len; k++) nx_buf_addc(&b, p[k] == '_' ? ' ' : (char)(p[k] >= 'A' && p[k] <= 'Z' ? p[k] + 32 : p[k]));
        nx_buf_adds(&b, "]");
        nx_buf_addc(&b, 0);
        t->ids[st] = add_label(b.data);
        return t->ids[st];
    }
    return UINT32_MAX;
}

/* ---- stacks: label id sequences with a count ------------------------------ */

typedef struct stack_slot {
    uint32_t *ids;
    uint32_t n;
    uint64_t hash, count;
    char *text;
} stack_slot;

static stack_slot *stab;
static size_t stab_cap, stab_used;

static void stab_grow(void)
{
    size_t old_cap = stab_cap;
    stack_slot *old = stab;
    stab_cap = stab_cap ? stab_cap * 2 : 1024;
    stab = nx_xcalloc(stab_cap, sizeof *stab);
    for (size_t i = 0; i < old_cap; i++) {
        if (!old[i].count) continue;
        size_t j = old[i].hash & (stab_cap - 1);
        while (stab[j].count) j = (j + 1) & (stab_cap - 1);
        stab[j] = old[i];
    }
    free(old);
}

static void count_stack(const uint32_t *ids, uint32_t n, uint64_t w)
{
    uint64_t h = n;
    for (uint32_t i = 0; i < n; i++) h = nx_label_mix(h, ids[i]);
    if ((stab_used + 1) * 2 > stab_cap) stab_grow();
    size_t j = h & (stab_cap - 1);
    for (; stab[j].count; j = (j + 1) & (stab_cap - 1)) {
        if (stab[j].hash == h && stab[j].n == n && memcmp(stab[j].ids, ids, n * sizeof *ids) == 0) {
            stab[j].count += w;
            return;
        }
    }
    uint32_t *copy = nx_xmalloc((n + 1) * sizeof *copy);
    memcpy(copy, ids, n * sizeof *ids);
    stab[j] = (stack_slot){ copy, n, h, w, NULL };
    stab_used++;
}

static int by_text(const void *x, const void *y)
{
    return strcmp(((const stack_slot *)x)->text, ((const stack_slot *)y)->text);
}

/* A JSON string literal for s. */
static void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') fprintf(f, "\\%c", *p);
        else if (*p < 0x20) fprintf(f, "\\u%04x", *p);
        else fputc(*p, f);
    }
    fputc('"', f);
}

/* speedscope's file format (https://www.speedscope.app/file-format-schema.json):
 * the labels as shared frames, one sampled profile whose samples are the
 * distinct stacks (frame indexes, outermost first) weighted by their counts. */
static void write_speedscope(FILE *f, stack_slot *all, size_t m, uint64_t total, bool bytes)
{
    fputs("{\"$schema\":\"https://www.speedscope.app/file-format-schema.json\",\"exporter\":\"nixe\",", f);
    fputs("\"name\":\"nixe profile\",\"activeProfileIndex\":0,\"shared\":{\"frames\":[", f);
    for (uint32_t i = 0; i < nlabels; i++) {
        fputs(i ? ",{\"name\":" : "{\"name\":", f);
        json_string(f, labels[i]);
        fputc('}', f);
    }
    fprintf(f, "]},\"profiles\":[{\"type\":\"sampled\",\"name\":\"%s\",\"unit\":\"%s\",\"startValue\":0,"
               "\"endValue\":%llu,\"samples\":[",
            bytes ? "nixe allocations" : "nixe", bytes ? "bytes" : "none", (unsigned long long)total);
    for (size_t i = 0; i < m; i++) {
        fputs(i ? ",[" : "[", f);
        for (uint32_t j = 0; j < all[i].n; j++) fprintf(f, j ? ",%u" : "%u", all[i].ids[j]);
        fputc(']', f);
    }
    fputs("],\"weights\":[", f);
    for (size_t i = 0; i < m; i++) fprintf(f, i ? ",%llu" : "%llu", (unsigned long long)all[i].count);
    fputs("]}]}\n", f);
}

/* ---- SVG: a static flame graph ------------------------------------------- */

/* The stacks merged into a tree (first child / next sibling), each node
 * counting the samples whose stack goes through it. */
typedef struct fnode {
    uint32_t label, first, next; /* node indexes; 0 = none (0 is the root) */
    uint64_t count;
} fnode;

/* Writes at most max characters of s (UTF-8: never a partial sequence) as
 * XML text; returns whether s was cut. */
static bool xml_text(FILE *f, const char *s, size_t max)
{
    size_t chars = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p & 0xc0) != 0x80 && ++chars > max) return true;
        switch (*p) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*p < 0x20 ? '?' : *p, f);
        }
    }
    return false;
}

enum { SVG_W = 1200, SVG_ROW = 17, SVG_PAD = 10 };
static const char *unit = "samples"; /* what the counts are: samples or bytes */

/* One frame of the graph: a rectangle with a tooltip and, when it is wide
 * enough, its (clipped) label; then its children, left to right.  Bounded
 * recursion: stacks are at most NX_PROF_MAX_DEPTH + 3 frames deep. */
static void svg_node(FILE *f, const fnode *t, uint32_t n, uint32_t depth, uint32_t maxdepth, uint64_t x, uint64_t total)
{
    double scale = (double)(SVG_W - 2 * SVG_PAD) / (double)total;
    if (n) {
        double px = SVG_PAD + (double)x * scale, w = (double)t[n].count * scale;
        /* Frames narrower than 0.1 px (and all they contain) are left out,
         * as flamegraph.pl does: invisible, and most of a large file. */
        if (w < 0.1) return;
        double y = SVG_PAD + 24 + (double)(maxdepth - depth) * SVG_ROW;
        const char *name = labels[t[n].label];
        uint64_t h = 0;
        for (const char *c = name; *c; c++) h = h * 31 + (unsigned char)*c;
        unsigned r = 205 + (unsigned)(h % 50), g = (unsigned)((h >> 8) % 180), b = (unsigned)((h >> 16) % 55);
        fputs("<g class=\"f\"><title>", f);
        xml_text(f, name, (size_t)-1);
        fprintf(f, " (%llu %s, %.2f%%)</title><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"rgb(%u,%u,%u)\" rx=\"2\"/>",
                (unsigned long long)t[n].count, unit, 100.0 * (double)t[n].count / (double)total, px, y, w > 0.1 ? w - 0.1 : w,
                SVG_ROW - 1, r, g, b);
        /* Always a text element (empty when the frame is too narrow): the
         * script refills it when zooming. */
        size_t fit = w > 21 ? (size_t)((w - 6) / 7) : 0;
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">", px + 3, y + 12);
        if (fit && xml_text(f, name, fit)) fputs("..", f);
        fputs("</text></g>\n", f);
    }
    uint64_t cx = x;
    for (uint32_t c = t[n].first; c; c = t[c].next) {
        svg_node(f, t, c, depth + 1, maxdepth, cx, total);
        cx += t[c].count;
    }
}

/* The SVG's script: click a frame to zoom on it (its ancestors stay full
 * width, frames outside it are hidden), click the background or "Reset
 * zoom" to go back; "Search" highlights the frames whose name matches a
 * regular expression and shows their share.  Plain DOM, no library. */
static const char svg_script[] =
    "<script type=\"text/ecmascript\"><![CDATA[\n"
    "'use strict';\n"
    "var W = %d, PAD = %d, frames = [], zoomed = null;\n"
    "function nameOf(g) { return g.querySelector('title').textContent.replace(/ \\([^()]*\\)$/, ''); }\n"
    "function fit(g, x, w) {\n"
    "  var t = g.querySelector('text'), n = g.nx_name, k = Math.floor((w - 6) / 7);\n"
    "  t.setAttribute('x', (x + 3).toFixed(1));\n"
    "  t.textContent = k < 3 ? '' : (n.length <= k ? n : n.slice(0, k - 2) + '..');\n"
    "}\n"
    "function zoom(g) {\n"
    "  var x0 = g ? g.nx_x : PAD, w0 = g ? g.nx_w : W - 2 * PAD, y0 = g ? g.nx_y : Infinity;\n"
    "  var scale = (W - 2 * PAD) / w0;\n"
    "  zoomed = g;\n"
    "  document.getElementById('unzoom').style.display = g ? '' : 'none';\n"
    "  frames.forEach(function (f) {\n"
    "    var r = f.querySelector('rect'), x, w;\n"
    "    var inside = f.nx_x + 0.01 >= x0 && f.nx_x + f.nx_w <= x0 + w0 + 0.01;\n"
    "    var around = f.nx_x <= x0 + 0.01 && f.nx_x + f.nx_w + 0.01 >= x0 + w0;\n"
    "    if (f.nx_y > y0 && around) { x = PAD; w = W - 2 * PAD; }\n"
    "    else if (f.nx_y <= y0 && inside) { x = PAD + (f.nx_x - x0) * scale; w = f.nx_w * scale; }\n"
    "    else { f.style.display = 'none'; return; }\n"
    "    f.style.display = '';\n"
    "    r.setAttribute('x', x.toFixed(1));\n"
    "    r.setAttribute('width', Math.max(w - 0.1, 0).toFixed(1));\n"
    "    fit(f, x, w);\n"
    "  });\n"
    "}\n"
    "function search() {\n"
    "  var q = prompt('Search frames (regular expression):', ''), re, hit = 0, total = 0;\n"
    "  if (q === null) return;\n"
    "  try { re = new RegExp(q); } catch (e) { alert(e.message); return; }\n"
    "  var spans = [];\n"
    "  frames.forEach(function (f) {\n"
    "    var r = f.querySelector('rect'), m = q !== '' && re.test(f.nx_name);\n"
    "    r.setAttribute('fill', m ? 'rgb(200,0,200)' : f.nx_fill);\n"
    "    if (f.nx_y === frames.maxY) total += f.nx_w;\n"
    "    if (m) spans.push([f.nx_x, f.nx_x + f.nx_w]);\n"
    "  });\n"
    "  spans.sort(function (a, b) { return a[0] - b[0]; });\n"
    "  var end = -1;\n"
    "  spans.forEach(function (s) { if (s[0] >= end) { hit += s[1] - s[0]; end = s[1]; } else if (s[1] > end) { hit += s[1] - end; end = s[1]; } });\n"
    "  document.getElementById('matched').textContent = q === '' ? '' : 'Matched: ' + (total ? (100 * hit / total).toFixed(1) : '0') + '%%';\n"
    "}\n"
    "function init() {\n"
    "  frames = Array.prototype.slice.call(document.querySelectorAll('g.f'));\n"
    "  frames.maxY = -Infinity;\n"
    "  frames.forEach(function (g) {\n"
    "    var r = g.querySelector('rect');\n"
    "    g.nx_x = +r.getAttribute('x'); g.nx_w = +r.getAttribute('width') + 0.1; g.nx_y = +r.getAttribute('y');\n"
    "    g.nx_fill = r.getAttribute('fill'); g.nx_name = nameOf(g);\n"
    "    if (g.nx_y > frames.maxY) frames.maxY = g.nx_y;\n"
    "    g.addEventListener('click', function (e) { e.stopPropagation(); zoom(g); });\n"
    "  });\n"
    "  document.getElementById('background').addEventListener('click', function () { zoom(null); });\n"
    "  document.getElementById('unzoom').addEventListener('click', function () { zoom(null); });\n"
    "  document.getElementById('search').addEventListener('click', search);\n"
    "}\n"
    "window.addEventListener('load', init);\n"
    "]]></script>\n";

/* A self-contained SVG flame graph (outermost frame at the bottom, widths
 * proportional to samples, a tooltip per frame), with the script above for
 * zoom and search. */
static void write_svg(FILE *f, stack_slot *all, size_t m, uint64_t total)
{
    size_t cap = 1024, n = 1;
    fnode *t = nx_xcalloc(cap, sizeof *t);
    t[0].count = total;
    uint32_t maxdepth = 0;
    for (size_t i = 0; i < m; i++) {
        uint32_t at = 0;
        for (uint32_t j = 0; j < all[i].n; j++) {
            uint32_t c = t[at].first, last = 0;
            while (c && t[c].label != all[i].ids[j]) last = c, c = t[c].next;
            if (!c) {
                if (n == cap) {
                    t = nx_xrealloc(t, cap * 2 * sizeof *t);
                    memset(t + cap, 0, cap * sizeof *t);
                    cap *= 2;
                }
                c = (uint32_t)n++;
                t[c].label = all[i].ids[j];
                if (last) t[last].next = c;
                else t[at].first = c;
            }
            t[c].count += all[i].count;
            at = c;
        }
        if (all[i].n > maxdepth) maxdepth = all[i].n;
    }
    unsigned height = 2 * SVG_PAD + 24 + (maxdepth + 1) * SVG_ROW;
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" height=\"%u\" viewBox=\"0 0 %d %u\">\n"
               "<style>text { font-family: monospace; font-size: 12px; pointer-events: none; } rect:hover { stroke: black; }"
               " g.f, .button { cursor: pointer; } .button { pointer-events: all; fill: #33c; }</style>\n"
               "<rect id=\"background\" width=\"100%%\" height=\"100%%\" fill=\"#f8f8f8\"/>\n"
               "<text x=\"%d\" y=\"%d\">nixe profile: %llu %s (hover for counts, click to zoom)</text>\n",
            SVG_W, height, SVG_W, height, SVG_PAD, SVG_PAD + 12, (unsigned long long)total, unit);
    fprintf(f, "<text id=\"unzoom\" class=\"button\" x=\"%d\" y=\"%d\" style=\"display:none\">Reset zoom</text>\n",
            SVG_W / 2 - 40, SVG_PAD + 12);
    fprintf(f, "<text id=\"search\" class=\"button\" x=\"%d\" y=\"%d\">Search</text>\n", SVG_W - SVG_PAD - 50,
            SVG_PAD + 12);
    fprintf(f, "<text id=\"matched\" x=\"%d\" y=\"%u\"></text>\n", SVG_W - SVG_PAD - 160, height - 4);
    fprintf(f, svg_script, SVG_W, SVG_PAD);
    if (total) svg_node(f, t, 0, 0, maxdepth, 0, total);
    fputs("</svg>\n", f);
    free(t);
}

uint64_t nx_prof_write(FILE *f, const nx_prof_data *d, int format)
{
    static const char *const phase_names[] = { NULL, "[garbage collection]", "[parsing]", "[compiling]" };
    uint32_t special[4] = { 0 };
    /* Pseudo-frames first, so their ids are fixed. */
    for (int i = 1; i < 4; i++) special[i] = add_label(nx_xstrndup(phase_names[i], strlen(phase_names[i])));
    uint32_t id_trunc = add_label(nx_xstrndup("[truncated]", 11));
    uint32_t id_none = add_label(nx_xstrndup("[outside evaluation]", 20));

    unit = d->bytes ? "bytes" : "samples";
    uint64_t nsyms, symbytes;
    nx_sym_stats(&nsyms, &symbytes);
    sym_limit = (uint32_t)nsyms + 1;
    states_init();
    nx_prof_entry stack[NX_PROF_MAX_DEPTH];
    uint32_t ids[NX_PROF_MAX_DEPTH + 3 + NX_PROF_MAX_NATIVE];
    uint32_t cids[NX_PROF_MAX_NATIVE];
    uint32_t depth = 0;
    uint64_t total = 0;
    for (size_t at = 0; at < d->len;) {
        nx_prof_entry hdr = d->buf[at++];
        uint32_t shared = (uint32_t)(hdr.b >> 32), n = (uint32_t)hdr.b, nn = NX_PROF_H_NATIVE(hdr.a);
        uint64_t w = NX_PROF_H_WEIGHT(hdr.a);
        if (shared > depth || shared + n > NX_PROF_MAX_DEPTH || nn > NX_PROF_MAX_NATIVE || at + n + nn > d->len)
            break; /* cannot happen */
        memcpy(stack + shared, d->buf + at, n * sizeof *stack);
        at += n;
        depth = shared + n;
        uint32_t k = 0;
        if (hdr.a & NX_PROF_F_TRUNCATED) ids[k++] = id_trunc;
        for (uint32_t i = 0; i < depth; i++) {
            uint32_t id = frame_label(stack[i], i ? &stack[i - 1] : NULL);
            if (id != UINT32_MAX) ids[k++] = id;
        }
        /* A builtin running its own code: the state it is in. */
        if (depth && (stack[depth - 1].a & 3) == NX_FRAME_NATIVE) {
            uint32_t id = state_label(stack[depth - 1]);
            if (id != UINT32_MAX) ids[k++] = id;
        }
        unsigned phase = hdr.a & 0xf;
        if (phase >= 1 && phase <= 3) ids[k++] = special[phase];
        /* C frames, innermost first in the sample: keep those inside the
         * dispatch loop's callees, then append them outermost first. */
        uint32_t nc = 0;
        for (uint32_t i = 0; i < nn; i++) {
            bool is_exec;
            uint32_t id = native_label(d->buf[at + i].a, &is_exec);
            if (is_exec) break;
            /* Unnamed code recursing in a library: one frame. */
            if (nc && cids[nc - 1] == id && strncmp(labels[id], "[C] ?? (", 8) == 0) continue;
            cids[nc++] = id;
        }
        at += nn;
        /* Allocation samples start in the allocator: leave its frames out. */
        while (d->bytes && nc && is_allocator(labels[cids[0]])) memmove(cids, cids + 1, --nc * sizeof *cids);
        if (k == 0) ids[k++] = id_none;
        while (nc) ids[k++] = cids[--nc];
        if (w) count_stack(ids, k, w);
        total += w;
    }

    /* Render, sort and print the distinct stacks. */
    stack_slot *all = nx_xmalloc((stab_used + 1) * sizeof *all);
    size_t m = 0;
    for (size_t i = 0; i < stab_cap; i++) {
        if (!stab[i].count) continue;
        nx_buf b = { 0 };
        for (uint32_t j = 0; j < stab[i].n; j++) {
            if (j) nx_buf_addc(&b, ';');
            nx_buf_adds(&b, labels[stab[i].ids[j]]);
        }
        nx_buf_addc(&b, 0);
        stab[i].text = b.data;
        all[m++] = stab[i];
    }
    qsort(all, m, sizeof *all, by_text);
    if (format == NX_PROF_SPEEDSCOPE) write_speedscope(f, all, m, total, d->bytes);
    else if (format == NX_PROF_SVG) write_svg(f, all, m, total);
    else
        for (size_t i = 0; i < m; i++) fprintf(f, "%s %llu\n", all[i].text, (unsigned long long)all[i].count);
    for (size_t i = 0; i < m; i++) {
        free(all[i].text);
        free(all[i].ids);
    }
    free(all);
    free(stab);
    stab = NULL;
    stab_cap = stab_used = 0;
    for (uint32_t i = 0; i < nlabels; i++) free(labels[i]);
    free(labels);
    labels = NULL;
    nlabels = caplabels = 0;
    free(text_ids);
    text_ids = NULL;
    text_cap = 0;
    nx_label_free(&ltab);
    states_free();
    sym_limit = UINT32_MAX;
    return total;
}
