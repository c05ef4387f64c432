/* compile.c — the bytecode compiler.
 *
 * Two modes per expression: strict (leave its value, in weak head normal
 * form, on the stack) and lazy (leave something that evaluates to it:
 * constants, variables and lambdas directly, anything else as a thunk of
 * a child code object).  Environments created at run time (lambda call,
 * let, rec, with) mirror the scopes of vm/scope.c one for one, so the
 * (level, index) pairs the resolver computed are used as they are. */
#include "vm/compile.h"

#include <stdlib.h>
#include <string.h>

#include "vm/arena.h"
#include "vm/heap.h"
#include "vm/opcodes.h"
#include "vm/scope.h"
#include "vm/source.h"
#include "vm/vm.h"

/* A code object being built: growing arrays and their counts; finish()
 * compacts it into an nx_code. */
typedef struct code_build {
    uint8_t *bc;
    nx_value *consts;
    nx_code **children;
    nx_keyset *keysets;
    nx_line *lines;
    nx_cond *conds;
    nx_formal_code *formals;
    nx_pos pos;
    uint32_t len, nconsts, nchildren, nkeysets, nlines, nconds, max_stack;
    uint8_t kind;
    /* lambdas (nx_lambda_code) */
    nx_sym arg, name;
    uint32_t nformals;
    bool has_formals, ellipsis, has_aliases;
} code_build;

typedef struct comp {
    code_build *code;
    int32_t depth;
    uint32_t cap_bc, cap_consts, cap_children, cap_lines, cap_keysets, cap_conds;
    /* The operand of the `!` being compiled and the position CppNix gives
     * it (see NX_N_NOT); reset for each code object, whose AST may sit
     * where an earlier one's was. */
    const nx_node *not_chain;
    nx_pos not_chain_pos;
} comp;

static nx_lambda_code *lambdas;

/* Code objects live as long as the process (closures and thunks point into
 * them), so they are bumped out of one arena that is never freed. Its
 * 2 MiB chunks are huge pages: NixOS small's 20 MB of code was ~2,800
 * page faults (30% of the run's) as 4 KiB malloc pages, and a malloc per
 * code object. */
static nx_arena code_arena;

nx_lambda_code *nx_code_lambdas(void) { return lambdas; }

#define GROW(ptr, n, cap, init)                                               \
    do {                                                                      \
        if ((n) >= (cap)) {                                                   \
            (cap) = (cap) ? (cap) * 2 : (init);                               \
            (ptr) = nx_xrealloc((ptr), (size_t)(cap) * sizeof *(ptr));        \
        }                                                                     \
    } while (0)

/* Code objects are built in scratch builders, one per nesting level (a
 * child is finished before its parent goes on), whose arrays are reused
 * from one code object to the next: building one costs one malloc, for
 * its final block (compact). */
static comp **builders;
static uint32_t nbuilders, cap_builders, level;

/* Starts a code object in c (the next level's builder). */
static void begin(comp *c, int kind, const nx_node *n)
{
    if (level == nbuilders) {
        /* Doubled, not grown by one: a list nested n deep is n levels, and
         * a realloc that copies (ASan's always does) made that quadratic. */
        GROW(builders, nbuilders, cap_builders, 16);
        builders[nbuilders] = nx_xcalloc(1, sizeof **builders);
        builders[nbuilders]->code = nx_xcalloc(1, sizeof(code_build));
        nbuilders++;
    }
    *c = *builders[level++];
    code_build *k = c->code;
    /* Keep the growing arrays and their capacities; reset everything else. */
    *k = (code_build){ .bc = k->bc, .consts = k->consts, .children = k->children,
                    .keysets = k->keysets, .lines = k->lines, .conds = k->conds };
    k->kind = (uint8_t)kind;
    if (n) k->pos = (nx_pos){ n->src, n->start };
    c->depth = 0;
    c->not_chain = NULL;
}

static void emit_byte(comp *c, uint8_t b)
{
    code_build *k = c->code;
    GROW(k->bc, k->len, c->cap_bc, 32);
    k->bc[k->len++] = b;
}

static void emit_u32(comp *c, uint32_t v)
{
    code_build *k = c->code;
    if (k->len + 4 > c->cap_bc) {
        c->cap_bc = c->cap_bc ? c->cap_bc * 2 : 32;
        k->bc = nx_xrealloc(k->bc, c->cap_bc);
    }
    /* Little-endian, as the interpreter reads operands. */
    uint8_t *p = k->bc + k->len;
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
    k->len += 4;
}

static void stack(comp *c, int delta)
{
    c->depth += delta;
    if (c->depth > (int32_t)c->code->max_stack) c->code->max_stack = (uint32_t)c->depth;
}

static void op(comp *c, int o, int delta)
{
    emit_byte(c, (uint8_t)o);
    stack(c, delta);
}

static void op_u32(comp *c, int o, uint32_t a, int delta)
{
    op(c, o, delta);
    emit_u32(c, a);
}

static void op_u32_u32(comp *c, int o, uint32_t a, uint32_t b, int delta)
{
    op(c, o, delta);
    emit_u32(c, a);
    emit_u32(c, b);
}

/* Emits a jump with a placeholder offset; returns the offset's position. */
static uint32_t op_jump(comp *c, int o, int delta)
{
    op(c, o, delta);
    uint32_t at = c->code->len;
    emit_u32(c, 0);
    return at;
}

/* An instruction of format SYM_IC_I32 (symbol, empty lookup cache, jump
 * placeholder); returns the offset's position for patch. */
static uint32_t op_sym_cache_jump(comp *c, int o, nx_sym s, int delta)
{
    op(c, o, delta);
    emit_u32(c, s);
    emit_u32(c, 0);
    uint32_t at = c->code->len;
    emit_u32(c, 0);
    return at;
}

/* Points the jump at `at` to the current end of code. */
static void patch(comp *c, uint32_t at)
{
    int32_t off = (int32_t)(c->code->len - (at + 4));
    uint32_t u = (uint32_t)off;
    for (int i = 0; i < 4; i++) c->code->bc[at + i] = (uint8_t)(u >> (8 * i));
}

static uint32_t add_const(comp *c, nx_value v)
{
    code_build *k = c->code;
    GROW(k->consts, k->nconsts, c->cap_consts, 2);
    /* Constants live as long as their code: pinned, never collected. */
    k->consts[k->nconsts] = nx_heap_pin(v);
    return k->nconsts++;
}

static uint32_t add_child(comp *c, nx_code *child)
{
    code_build *k = c->code;
    GROW(k->children, k->nchildren, c->cap_children, 2);
    k->children[k->nchildren] = child;
    return k->nchildren++;
}

static void mark(comp *c, const nx_node *n)
{
    code_build *k = c->code;
    uint32_t pos = nx_pos_id((nx_pos){ n->src, n->pos });
    if (k->nlines && k->lines[k->nlines - 1].pc == k->len) {
        k->lines[k->nlines - 1].pos = pos;
        return;
    }
    GROW(k->lines, k->nlines, c->cap_lines, 2);
    k->lines[k->nlines++] = (nx_line){ k->len, pos };
}

/* The position modern CppNix's Expr::getPos gives node n: none for
 * literals, `let`, `==` and `!=`, a list's first element's, `!e`'s e's. */
static nx_pos cppnix_pos(const nx_node *n)
{
    for (;;) {
        switch (n->kind) {
        case NX_N_INT: case NX_N_FLOAT: case NX_N_STR: case NX_N_PATH: case NX_N_LET: case NX_N_EQ: case NX_N_NEQ:
            return NX_NOPOS;
        case NX_N_NOT:
            n = ((const nx_n_not *)n)->e;
            continue;
        case NX_N_LIST: {
            const nx_n_list *l = (const nx_n_list *)n;
            if (!l->n) return NX_NOPOS;
            n = l->elems[0];
            continue;
        }
        default:
            return (nx_pos){ n->src, n->pos };
        }
    }
}

/* Records a Boolean operand compiled from offset start up to here, where
 * its checking instruction comes next (nx_cond, for error traces). */
static void add_cond(comp *c, uint32_t start, nx_pos pos, uint8_t kind)
{
    code_build *k = c->code;
    GROW(k->conds, k->nconds, c->cap_conds, 4);
    k->conds[k->nconds++] = (nx_cond){ start, k->len, nx_pos_id(pos), kind };
}

static void mark_off(comp *c, uint32_t src, uint32_t off)
{
    nx_node fake = { 0 };
    fake.src = src;
    fake.start = fake.pos = off;
    mark(c, &fake);
}

static void strict(comp *c, const nx_node *n);
static void lazy(comp *c, const nx_node *n);
static void tail(comp *c, const nx_node *n);

#define ALIGN8(n) (((n) + 7) & ~(size_t)7)

/* Copies n elements of size sz from src to the block at *at (advancing
 * it); NULL for none. */
static void *copy_array(char **at, const void *src, size_t n, size_t sz)
{
    void *dst = NULL;
    if (n) {
        dst = *at;
        memcpy(dst, src, n * sz);
        *at += ALIGN8(n * sz);
    }
    return dst;
}

_Static_assert(sizeof(nx_code) == 48, "nx_code's header is 48 bytes (vm/code.h)");
_Static_assert(offsetof(nx_lambda_code, c) + sizeof(nx_code) == sizeof(nx_lambda_code),
               "a lambda's constants follow its header (nx_code_consts)");

/* The finished code object as one allocation (layout: vm/code.h nx_code):
 * the header, then its arrays cut to size.  Frees the key sets' and
 * formals' arrays; the builder's arrays stay for the next code object.
 * One block without slack is half the memory of six growing arrays. */
static nx_code *compact(const code_build *k)
{
    bool lambda = k->kind == NX_CODE_LAMBDA;
    size_t size = (lambda ? sizeof(nx_lambda_code) : sizeof(nx_code)) + ALIGN8(k->nconsts * sizeof *k->consts) +
                  ALIGN8(k->nchildren * sizeof *k->children) +
                  ALIGN8(k->nkeysets * sizeof *k->keysets) +
                  ALIGN8(k->nformals * sizeof *k->formals) +
                  ALIGN8(k->nlines * sizeof *k->lines) + ALIGN8(k->nconds * sizeof *k->conds) +
                  ALIGN8(k->len);
    for (uint32_t i = 0; i < k->nkeysets; i++)
        size += ALIGN8((k->keysets[i].names ? k->keysets[i].n * sizeof(nx_sym) : 0)) +
                ALIGN8(k->keysets[i].n * sizeof(uint32_t));
    if (!code_arena.expect) nx_arena_expect(&code_arena, (size_t)2 << 20);
    char *block = nx_arena_alloc(&code_arena, size);
    nx_lambda_code *l = lambda ? (nx_lambda_code *)block : NULL;
    /* The arena's memory is not zeroed: a field not set below (counters,
     * flags) starts at 0. */
    if (l) memset(l, 0, offsetof(nx_lambda_code, c));
    nx_code *c = lambda ? &l->c : (nx_code *)block;
    *c = (nx_code){ .pos = k->pos, .len = k->len, .nchildren = k->nchildren,
                    .max_stack = k->max_stack < (1u << 24) ? k->max_stack : (1u << 24) - 1, .kind = k->kind };
    char *at = (char *)(c + 1);
    copy_array(&at, k->consts, k->nconsts, sizeof *k->consts);
    c->children = (nx_code **)at;
    copy_array(&at, k->children, k->nchildren, sizeof *k->children);
    nx_keyset *keysets = copy_array(&at, k->keysets, k->nkeysets, sizeof *k->keysets);
    for (uint32_t i = 0; i < k->nkeysets; i++) {
        nx_keyset *ks = &keysets[i];
        nx_sym *names = ks->names;
        uint32_t *pos = ks->pos;
        ks->names = names ? copy_array(&at, names, ks->n, sizeof(nx_sym)) : NULL;
        ks->pos = copy_array(&at, pos, ks->n, sizeof(uint32_t));
        free(names);
        free(pos);
    }
    nx_formal_code *formals = copy_array(&at, k->formals, k->nformals, sizeof *k->formals);
    free(k->formals);
    c->lines_off = (uint32_t)(at - (char *)c);
    copy_array(&at, k->lines, k->nlines, sizeof *k->lines);
    c->conds_off = (uint32_t)(at - (char *)c);
    copy_array(&at, k->conds, k->nconds, sizeof *k->conds);
    c->conds_end = (uint32_t)(at - (char *)c);
    c->bc = copy_array(&at, k->bc, k->len, 1);
    if (lambda) {
        l->formals = formals;
        l->next_lambda = lambdas;
        l->nslots = 1 + k->nformals;
        l->arg = k->arg;
        l->name = k->name;
        l->nformals = k->nformals;
        l->has_formals = k->has_formals;
        l->ellipsis = k->ellipsis;
        l->has_aliases = k->has_aliases;
        lambdas = l;
    }
    return c;
}

/* Ends a code object (whose code returns: see tail), compacts it (see
 * compact) and gives the builder back. */
static nx_code *finish(comp *c)
{
    *builders[--level] = *c; /* the arrays may have grown */
    return compact(c->code);
}

/* A child code object evaluating n (strictly) for a thunk. */
static uint32_t thunk_child(comp *c, const nx_node *n)
{
    comp sub;
    begin(&sub, NX_CODE_THUNK, n);
    tail(&sub, n);
    return add_child(c, finish(&sub));
}

static nx_value literal(const nx_node *n);

static nx_code *compile_lambda(const nx_n_lambda *l)
{
    comp sub;
    begin(&sub, NX_CODE_LAMBDA, &l->h);
    code_build *k = sub.code;
    k->arg = l->arg;
    k->has_formals = l->has_formals;
    k->ellipsis = l->ellipsis;
    k->name = l->name;
    k->nformals = l->nformals;
    if (l->nformals) {
        k->formals = nx_xmalloc(l->nformals * sizeof *k->formals);
        for (uint32_t i = 0; i < l->nformals; i++) {
            const nx_node *d = l->formals[i].def;
            k->formals[i].name = l->formals[i].name;
            k->formals[i].constant = NX_NOVALUE;
            k->formals[i].alias_level = -1;
            if (d && d->kind == NX_N_VAR && ((const nx_n_var *)d)->how == NX_VAR_LOCAL) {
                /* CppNix's ExprVar::maybeThunk shares the variable's value
                 * when its slot is already set (see nx_formal_code). */
                const nx_n_var *v = (const nx_n_var *)d;
                uint32_t bi = nx_sym_birth(l->formals[i].name), bj = 0;
                if (v->level == 0 && v->index >= 1) bj = nx_sym_birth(l->formals[v->index - 1].name);
                if (v->level > 0 || v->index == 0 || bj < bi ||
                    (bj == bi && nx_sym_cmp(l->formals[v->index - 1].name, l->formals[i].name) < 0)) {
                    k->formals[i].alias_level = (int32_t)v->level;
                    k->formals[i].alias_idx = v->index;
                    k->formals[i].def = -1;
                    k->has_aliases = true;
                    continue;
                }
            }
            if (d && (d->kind == NX_N_INT || d->kind == NX_N_FLOAT || d->kind == NX_N_STR || d->kind == NX_N_PATH)) {
                /* A literal default is a value, not a thunk (CppNix's maybeThunk). */
                k->formals[i].constant = nx_heap_pin(literal(d));
                k->formals[i].def = -1;
            } else {
                k->formals[i].def = d ? (int32_t)thunk_child(&sub, d) : -1;
            }
        }
    }
    if (l->has_formals) op(&sub, NX_OP_BIND_FORMALS, 0);
    tail(&sub, l->body);
    return finish(&sub);
}

static void var(comp *c, const nx_n_var *v, bool force)
{
    mark(c, &v->h);
    switch (v->how) {
    case NX_VAR_LOCAL:
        if (force && v->level <= 2) op_u32(c, v->level == 2 ? NX_OP_VAR2 : v->level ? NX_OP_VAR1 : NX_OP_VAR0, v->index, 1);
        else op_u32_u32(c, force ? NX_OP_VAR : NX_OP_VAR_LAZY, v->level, v->index, 1);
        break;
    case NX_VAR_GLOBAL:
        op_u32(c, NX_OP_GLOBAL, v->index, 1);
        break;
    default:
        op_u32_u32(c, force ? NX_OP_WITH_VAR : NX_OP_WITH_VAR_LAZY, v->name, v->level, 1);
        for (int i = 0; i < NX_WITH_CACHES / 2; i++) emit_u32(c, 0); /* the lookup caches, two per word */
        break;
    }
}

static nx_value literal(const nx_node *n)
{
    switch (n->kind) {
    case NX_N_INT: return nx_mk_int(((const nx_n_int *)n)->v);
    case NX_N_FLOAT: return nx_mk_float(((const nx_n_float *)n)->v);
    case NX_N_STR: {
        const nx_n_str *s = (const nx_n_str *)n;
        return s->len ? nx_mk_string(s->s, s->len, NULL) : nx_empty_string;
    }
    case NX_N_PATH: {
        const nx_n_path *s = (const nx_n_path *)n;
        return nx_mk_path(s->s, s->len);
    }
    }
    return NX_NULL;
}

static nx_value curpos_value(const nx_node *n)
{
    nx_source *src = nx_source_get(n->src);
    uint32_t line = 0, col = 0;
    if (src) nx_source_linecol(src, n->start, &line, &col);
    nx_attrs *a = nx_alloc_attrs(3);
    a->a[0] = (nx_attr){ nx_sym_intern_cstr("file"), 0, src ? nx_mk_cstring(src->name) : NX_NULL };
    a->a[1] = (nx_attr){ nx_sym_intern_cstr("line"), 0, nx_mk_int(line) };
    a->a[2] = (nx_attr){ nx_sym_intern_cstr("column"), 0, nx_mk_int(col) };
    nx_attrs_sort(a);
    return nx_from_obj(a);
}

static bool is_global(const nx_node *n, const char *name);

/* x + k or x - k with x a local variable and k a small integer constant:
 * returns true and sets the parts, for ARG_ADDK. */
static bool add_const_pattern(const nx_node *n, const nx_n_var **x, int32_t *k)
{
    const nx_node *a, *b;
    int sign;
    if (n->kind == NX_N_CALL && (n->flags & NX_NF_DESUGARED) && ((const nx_n_call *)n)->nargs == 2 &&
        is_global(((const nx_n_call *)n)->fn, "__sub")) {
        a = ((const nx_n_call *)n)->args[0];
        b = ((const nx_n_call *)n)->args[1];
        sign = -1;
    } else if (n->kind == NX_N_CONCATSTRINGS && !(n->flags & NX_NF_FORCE_STRING) && ((const nx_n_concat *)n)->n == 2) {
        a = ((const nx_n_concat *)n)->parts[0];
        b = ((const nx_n_concat *)n)->parts[1];
        sign = 1;
    } else {
        return false;
    }
    if (a->kind != NX_N_VAR || ((const nx_n_var *)a)->how != NX_VAR_LOCAL || b->kind != NX_N_INT) return false;
    int64_t v = ((const nx_n_int *)b)->v;
    if (v < -1000000 || v > 1000000) return false;
    *x = (const nx_n_var *)a;
    *k = (int32_t)(sign * v);
    return true;
}

/* A call argument: like lazy(), but x + k on an evaluated integer is
 * computed at once (the only difference is invisible: an argument is not
 * printed as an unevaluated thunk). */
static void lazy(comp *c, const nx_node *n);

static void lazy_arg(comp *c, const nx_node *n)
{
    const nx_n_var *x;
    int32_t k;
    if (add_const_pattern(n, &x, &k)) {
        uint32_t child = thunk_child(c, n);
        op(c, NX_OP_ARG_ADDK, 1);
        emit_u32(c, x->level);
        emit_u32(c, x->index);
        emit_u32(c, (uint32_t)k);
        emit_u32(c, child);
        return;
    }
    lazy(c, n);
}

static void lazy(comp *c, const nx_node *n)
{
    switch (n->kind) {
    case NX_N_INT: case NX_N_FLOAT: case NX_N_STR: case NX_N_PATH:
        op_u32(c, NX_OP_CONST, add_const(c, literal(n)), 1);
        return;
    case NX_N_VAR: {
        const nx_n_var *v = (const nx_n_var *)n;
        if (v->how != NX_VAR_WITH) {
            var(c, v, false);
            return;
        }
        break;
    }
    case NX_N_LAMBDA:
        /* High bit: made where CppNix would make a thunk (for printing). */
        op_u32(c, NX_OP_CLOSURE, add_child(c, compile_lambda((const nx_n_lambda *)n)) | 0x80000000u, 1);
        return;
    case NX_N_CURPOS:
        op_u32(c, NX_OP_CONST, add_const(c, curpos_value(n)), 1);
        return;
    case NX_N_LIST:
        /* [ ] is a constant in CppNix too (no thunk). */
        if (((const nx_n_list *)n)->n == 0) {
            op_u32(c, NX_OP_CONST, add_const(c, nx_empty_list), 1);
            return;
        }
        break;
    }
    op_u32(c, NX_OP_THUNK, thunk_child(c, n), 1);
}

/* Pushes the attribute name of a path component as a string (strict). */
static void attrname(comp *c, const nx_attrname *a)
{
    strict(c, a->expr);
}

static int cmp_sym_index(const void *x, const void *y)
{
    const nx_attrdef *a = *(nx_attrdef *const *)x, *b = *(nx_attrdef *const *)y;
    return a->name < b->name ? -1 : a->name > b->name;
}

static uint32_t add_keyset(comp *c, nx_attrdef **defs, uint32_t n)
{
    code_build *k = c->code;
    GROW(k->keysets, k->nkeysets, c->cap_keysets, 2);
    nx_keyset *ks = &k->keysets[k->nkeysets];
    ks->n = n;
    ks->names = nx_xmalloc((n + 1) * sizeof *ks->names);
    ks->pos = nx_xmalloc((n + 1) * sizeof *ks->pos);
    for (uint32_t i = 0; i < n; i++) {
        ks->names[i] = defs[i]->name;
        ks->pos[i] = nx_pos_id((nx_pos){ defs[i]->value ? defs[i]->value->src : 0, defs[i]->pos });
    }
    return k->nkeysets++;
}

/* The value of one attribute definition, lazily.  In a let or rec
 * (own_env), a variable naming a sibling takes the sibling's value if it
 * is stored already and becomes a thunk otherwise (CppNix's maybeThunk). */
static void attr_value(comp *c, const nx_attrdef *d, bool own_env)
{
    const nx_node *v = d->value;
    if (own_env && v->kind == NX_N_VAR) {
        const nx_n_var *var = (const nx_n_var *)v;
        if (var->how == NX_VAR_LOCAL && var->level == 0) {
            op_u32_u32(c, NX_OP_SIBLING, var->index, thunk_child(c, v), 1);
            return;
        }
    }
    lazy(c, v);
}

static int cmp_def_sym(const void *x, const void *y)
{
    const nx_attrdef *a = *(nx_attrdef *const *)x, *b = *(nx_attrdef *const *)y;
    return a->name < b->name ? -1 : a->name > b->name;
}

/* Stores the bindings of a let or rec into slots, in symbol order (the
 * order CppNix fills its environment in). */
static void store_bindings(comp *c, const nx_n_attrs *as)
{
    uint32_t n = as->nattrs;
    nx_attrdef **defs = nx_xmalloc((n + 1) * sizeof *defs);
    for (uint32_t i = 0; i < n; i++) defs[i] = &as->attrs[i];
    qsort(defs, n, sizeof *defs, cmp_def_sym);
    for (uint32_t i = 0; i < n; i++) {
        attr_value(c, defs[i], true);
        op_u32(c, NX_OP_STORE, (uint32_t)(defs[i] - as->attrs), -1);
    }
    free(defs);
}

static void dyn_attrs(comp *c, const nx_n_attrs *as)
{
    for (uint32_t i = 0; i < as->ndyn; i++) {
        strict(c, as->dyn[i].name);
        lazy(c, as->dyn[i].value);
        mark_off(c, as->h.src, as->dyn[i].pos);
        op_u32(c, NX_OP_ATTR_DYN, nx_pos_id((nx_pos){ as->h.src, as->dyn[i].pos }), -2);
    }
}

static void attrs(comp *c, const nx_n_attrs *as)
{
    uint32_t n = as->nattrs;
    nx_attrdef **defs = nx_xmalloc((n + 1) * sizeof *defs);
    for (uint32_t i = 0; i < n; i++) defs[i] = &as->attrs[i];
    if (!as->rec) {
        /* Values pushed in symbol order: the set needs no sorting. */
        qsort(defs, n, sizeof *defs, cmp_sym_index);
        for (uint32_t i = 0; i < n; i++) attr_value(c, defs[i], false);
        op_u32(c, NX_OP_ATTRS, add_keyset(c, defs, n), 1 - (int)n);
        dyn_attrs(c, as);
        free(defs);
        return;
    }
    /* rec: slot i of a new environment holds attribute i (source order). */
    op_u32(c, NX_OP_PUSH_ENV, n, 0);
    store_bindings(c, as);
    op_u32(c, NX_OP_ATTRS_REC, add_keyset(c, defs, n), 1);
    dyn_attrs(c, as);
    op(c, NX_OP_POP_ENV, 0);
    free(defs);
}

/* Is n a variable resolving to the global builtin `name`? */
static bool is_global(const nx_node *n, const char *name)
{
    if (n->kind != NX_N_VAR) return false;
    const nx_n_var *v = (const nx_n_var *)n;
    return v->how == NX_VAR_GLOBAL && strcmp(nx_sym_str(v->name), name) == 0;
}

static void call(comp *c, const nx_n_call *k)
{
    if (k->nargs == 2 && k->fn->kind == NX_N_VAR) {
        static const struct { const char *name; int op; uint8_t cond; } direct[] = {
            { "__sub", NX_OP_SUB, NX_COND_SUB }, { "__mul", NX_OP_MUL, NX_COND_MUL },
            { "__div", NX_OP_DIV, NX_COND_DIV }, { "__lessThan", NX_OP_LESS, NX_COND_LESS },
            { "__add", NX_OP_ADD, NX_COND_ADD },
        };
        for (size_t i = 0; i < NX_ARRAY_LEN(direct); i++)
            if (is_global(k->fn, direct[i].name)) {
                uint32_t start = c->code->len;
                strict(c, k->args[0]);
                strict(c, k->args[1]);
                mark(c, &k->h);
                add_cond(c, start, (nx_pos){ k->h.src, k->h.pos }, direct[i].cond);
                op(c, direct[i].op, -1);
                return;
            }
    }
    /* f a b is (f a) b: CALL2 for the first two arguments, then one CALL
     * per argument. */
    strict(c, k->fn);
    uint32_t i = 0;
    if (k->nargs >= 2) {
        lazy_arg(c, k->args[0]);
        lazy_arg(c, k->args[1]);
        mark(c, &k->h);
        op(c, NX_OP_CALL2, -2);
        i = 2;
    }
    for (; i < k->nargs; i++) {
        lazy_arg(c, k->args[i]);
        mark(c, &k->h);
        op(c, NX_OP_CALL, -1);
    }
}

static void select_path(comp *c, const nx_attrname *path, uint32_t n, uint32_t *jumps, bool with_default)
{
    for (uint32_t i = 0; i < n; i++) {
        if (path[i].sym) {
            if (with_default) jumps[i] = op_sym_cache_jump(c, NX_OP_SELECT_OR, path[i].sym, 0);
            else op_u32_u32(c, NX_OP_SELECT, path[i].sym, 0, 0);
        } else {
            attrname(c, &path[i]);
            if (with_default) jumps[i] = op_jump(c, NX_OP_SELECT_DYN_OR, -1);
            else op(c, NX_OP_SELECT_DYN, -1);
        }
    }
}

/* `if`: strict, or in tail position (tail: both branches return). */
static void if_then_else(comp *c, const nx_n_if *i, bool in_tail)
{
    uint32_t cond_start = c->code->len;
    strict(c, i->cond);
    mark(c, &i->h);
    add_cond(c, cond_start, (nx_pos){ i->cond->src, i->cond->pos }, NX_COND_IF);
    uint32_t jf = op_jump(c, NX_OP_JUMP_IF_FALSE, -1);
    if (in_tail) {
        tail(c, i->then);
        patch(c, jf);
        tail(c, i->els);
        return;
    }
    strict(c, i->then);
    uint32_t done = op_jump(c, NX_OP_JUMP, 0);
    stack(c, -1);
    patch(c, jf);
    strict(c, i->els);
    patch(c, done);
}

/* Opens the scope of `let`, whose body the caller compiles. */
static void let_scope(comp *c, const nx_n_let *l)
{
    op_u32(c, NX_OP_PUSH_ENV, l->attrs->nattrs, 0);
    store_bindings(c, l->attrs);
}

/* Opens the scope of `with`, whose body the caller compiles. */
static void with_scope(comp *c, const nx_n_with *w)
{
    lazy(c, w->attrs);
    op_u32(c, NX_OP_PUSH_WITH, nx_pos_id((nx_pos){ w->h.src, w->h.pos }), -1);
}

/* Compiles n, the value of the code object, and returns it: an `if`'s
 * branches each RETURN (no JUMP to a RETURN), and the body of a `let` or
 * `with` returns without its POP_ENV (RETURN drops the frame and its
 * environment with it). */
static void tail(comp *c, const nx_node *n)
{
    switch (n->kind) {
    case NX_N_IF:
        if_then_else(c, (const nx_n_if *)n, true);
        return;
    case NX_N_LET:
        let_scope(c, (const nx_n_let *)n);
        tail(c, ((const nx_n_let *)n)->body);
        return;
    case NX_N_WITH:
        with_scope(c, (const nx_n_with *)n);
        tail(c, ((const nx_n_with *)n)->body);
        return;
    default:
        strict(c, n);
        op(c, NX_OP_RETURN, -1);
        return;
    }
}

/* a ++ b, or a chain a1 ++ a2 ++ … ++ an (right-associative: each `++`'s
 * right operand is the rest of the chain) as one CONCAT_LISTS_N: copying
 * each intermediate list made a chain quadratic (40,000 terms 0.8 s).
 * The operands are evaluated left to right as before; the instruction
 * checks them in the order of CppNix's nested concatLists (vm/ops.c
 * nx_concat_list_chain), and operand i's type error is at the position
 * of the `++` whose left operand it is (the last one: the last `++`'s),
 * kept in a key set. */
static void concat_lists(comp *c, const nx_n_binop *b)
{
    uint32_t n = 2;
    for (const nx_node *r = b->b; r->kind == NX_N_CONCATLISTS; r = ((const nx_n_binop *)r)->b) n++;
    if (n == 2) {
        strict(c, b->a);
        strict(c, b->b);
        mark(c, &b->h);
        op(c, NX_OP_CONCAT_LISTS, -1);
        return;
    }
    uint32_t *pos = nx_xmalloc(n * sizeof *pos);
    const nx_n_binop *k = b;
    for (uint32_t i = 0;; i++) {
        strict(c, k->a);
        pos[i] = nx_pos_id((nx_pos){ k->h.src, k->h.pos });
        if (k->b->kind != NX_N_CONCATLISTS) {
            strict(c, k->b);
            pos[i + 1] = pos[i];
            break;
        }
        k = (const nx_n_binop *)k->b;
    }
    mark(c, &b->h);
    code_build *kc = c->code;
    GROW(kc->keysets, kc->nkeysets, c->cap_keysets, 2);
    kc->keysets[kc->nkeysets] = (nx_keyset){ .n = n, .names = NULL, .pos = pos };
    op_u32_u32(c, NX_OP_CONCAT_LISTS_N, n, kc->nkeysets++, 1 - (int)n);
}

static void strict(comp *c, const nx_node *n)
{
    switch (n->kind) {
    case NX_N_INT: case NX_N_FLOAT: case NX_N_STR: case NX_N_PATH:
        op_u32(c, NX_OP_CONST, add_const(c, literal(n)), 1);
        return;
    case NX_N_CURPOS:
        op_u32(c, NX_OP_CONST, add_const(c, curpos_value(n)), 1);
        return;
    case NX_N_VAR:
        var(c, (const nx_n_var *)n, true);
        return;
    case NX_N_LAMBDA:
        op_u32(c, NX_OP_CLOSURE, add_child(c, compile_lambda((const nx_n_lambda *)n)), 1);
        return;
    case NX_N_CALL:
        call(c, (const nx_n_call *)n);
        return;
    case NX_N_SELECT: {
        const nx_n_select *s = (const nx_n_select *)n;
        strict(c, s->e);
        mark(c, n);
        if (!s->def) {
            select_path(c, s->path, s->npath, NULL, false);
            return;
        }
        uint32_t *jumps = nx_xmalloc(s->npath * sizeof *jumps);
        select_path(c, s->path, s->npath, jumps, true);
        uint32_t done = op_jump(c, NX_OP_JUMP, 0);
        for (uint32_t i = 0; i < s->npath; i++) patch(c, jumps[i]);
        stack(c, -1);
        strict(c, s->def);
        patch(c, done);
        free(jumps);
        return;
    }
    case NX_N_HASATTR: {
        const nx_n_hasattr *h = (const nx_n_hasattr *)n;
        strict(c, h->e);
        mark(c, n);
        if (h->npath == 1) {
            /* No intermediate set can be missing: no `false` to jump to
             * (and HASATTR then usually meets the JUMP_IF_FALSE of an
             * `if`, which it takes itself: exec.c). */
            if (h->path[0].sym) {
                op_u32_u32(c, NX_OP_HASATTR, h->path[0].sym, 0, 0);
            } else {
                attrname(c, &h->path[0]);
                op(c, NX_OP_HASATTR_DYN, -1);
            }
            return;
        }
        uint32_t *jumps = nx_xmalloc(h->npath * sizeof *jumps);
        select_path(c, h->path, h->npath - 1, jumps, true);
        const nx_attrname *last = &h->path[h->npath - 1];
        if (last->sym) {
            op_u32_u32(c, NX_OP_HASATTR, last->sym, 0, 0);
        } else {
            attrname(c, last);
            op(c, NX_OP_HASATTR_DYN, -1);
        }
        uint32_t done = op_jump(c, NX_OP_JUMP, 0);
        for (uint32_t i = 0; i + 1 < h->npath; i++) patch(c, jumps[i]);
        stack(c, -1);
        op_u32(c, NX_OP_CONST, add_const(c, NX_FALSE), 1);
        patch(c, done);
        free(jumps);
        return;
    }
    case NX_N_ATTRS:
        mark(c, n);
        attrs(c, (const nx_n_attrs *)n);
        return;
    case NX_N_LIST: {
        const nx_n_list *l = (const nx_n_list *)n;
        for (uint32_t i = 0; i < l->n; i++) lazy(c, l->elems[i]);
        op_u32(c, NX_OP_LIST, l->n, 1 - (int)l->n);
        return;
    }
    case NX_N_LET:
        let_scope(c, (const nx_n_let *)n);
        strict(c, ((const nx_n_let *)n)->body);
        op(c, NX_OP_POP_ENV, 0);
        return;
    case NX_N_WITH:
        with_scope(c, (const nx_n_with *)n);
        strict(c, ((const nx_n_with *)n)->body);
        op(c, NX_OP_POP_ENV, 0);
        return;
    case NX_N_IF:
        if_then_else(c, (const nx_n_if *)n, false);
        return;
    case NX_N_ASSERT: {
        const nx_n_assert *a = (const nx_n_assert *)n;
        uint32_t cond_start = c->code->len;
        strict(c, a->cond);
        /* The message prints the condition, which is parsed again from
         * its text only if the assertion fails (ASSERT_TEXT, ASSERT): a
         * printed copy here made each of n nested asserts hold the text of
         * all those inside it (4,000 levels took 147 MB). */
        uint32_t text_start = n->start + 6, text_end = a->cond_end;
        mark(c, n);
        add_cond(c, cond_start, (nx_pos){ n->src, n->pos }, NX_COND_ASSERT);
        if (a->cond->kind == NX_N_EQ) {
            /* A failed `x == y`: assertEqValues k x y (vm/builtins/
             * control.c) says why, as modern CppNix; x and y are evaluated
             * again, as there. */
            const nx_n_binop *eq = (const nx_n_binop *)a->cond;
            uint32_t ok = op_jump(c, NX_OP_JUMP_IF_TRUE, -1);
            op_u32(c, NX_OP_CONST, add_const(c, nx_builtin_primop("assertEqValues")), 1);
            op_u32_u32(c, NX_OP_ASSERT_TEXT, text_start, text_end, 1);
            op(c, NX_OP_CALL, -1);
            strict(c, eq->a);
            op(c, NX_OP_CALL, -1);
            strict(c, eq->b);
            mark(c, n);
            op(c, NX_OP_CALL, -1);
            op(c, NX_OP_POP, -1);
            op_u32(c, NX_OP_CONST, add_const(c, NX_FALSE), 1);
            mark(c, n);
            op_u32_u32(c, NX_OP_ASSERT, text_start, text_end, -1);
            patch(c, ok);
            strict(c, a->body);
            return;
        }
        op_u32_u32(c, NX_OP_ASSERT, text_start, text_end, -1);
        strict(c, a->body);
        return;
    }
    case NX_N_NOT: {
        const nx_node *e = ((const nx_n_not *)n)->e;
        uint32_t start = c->code->len;
        /* CppNix's `!e` has e's position, which is e's operand's if e is
         * a `!` too: taken from the enclosing `!` if it found it, so a
         * chain of k `!` looks for it once, not k times. */
        nx_pos pos = c->not_chain == n ? c->not_chain_pos : cppnix_pos(e);
        c->not_chain = e;
        c->not_chain_pos = pos;
        strict(c, e);
        mark(c, n);
        add_cond(c, start, pos, NX_COND_NOT);
        op(c, NX_OP_NOT, 0);
        return;
    }
    case NX_N_AND: case NX_N_OR: case NX_N_IMPL: {
        const nx_n_binop *b = (const nx_n_binop *)n;
        uint8_t kind = n->kind == NX_N_AND ? NX_COND_AND_L : n->kind == NX_N_OR ? NX_COND_OR_L : NX_COND_IMPL_L;
        uint32_t start = c->code->len;
        strict(c, b->a);
        mark(c, n);
        add_cond(c, start, (nx_pos){ n->src, n->pos }, kind);
        uint32_t j = op_jump(c, n->kind == NX_N_OR ? NX_OP_JUMP_IF_TRUE : NX_OP_JUMP_IF_FALSE, -1);
        start = c->code->len;
        strict(c, b->b);
        mark(c, n);
        add_cond(c, start, (nx_pos){ n->src, n->pos }, (uint8_t)(kind + 1));
        op(c, NX_OP_BOOL, 0);
        uint32_t done = op_jump(c, NX_OP_JUMP, 0);
        stack(c, -1);
        patch(c, j);
        op_u32(c, NX_OP_CONST, add_const(c, n->kind == NX_N_AND ? NX_FALSE : NX_TRUE), 1);
        patch(c, done);
        return;
    }
    case NX_N_UPDATE: {
        /* Each operand under "in the left/right operand of the update
         * (//) operator" at its own position (nx_cond); a chain a // b // c
         * gives its leaves the entries, as CppNix 2.35 flattens it. */
        const nx_n_binop *b = (const nx_n_binop *)n;
        uint32_t start = c->code->len;
        strict(c, b->a);
        add_cond(c, start, cppnix_pos(b->a), b->a->kind == NX_N_UPDATE ? NX_COND_UPDATE_NONE : NX_COND_UPDATE_L);
        start = c->code->len;
        strict(c, b->b);
        add_cond(c, start, cppnix_pos(b->b), b->b->kind == NX_N_UPDATE ? NX_COND_UPDATE_NONE : NX_COND_UPDATE_R);
        mark(c, n);
        op(c, NX_OP_UPDATE, -1);
        return;
    }
    case NX_N_CONCATLISTS:
        concat_lists(c, (const nx_n_binop *)n);
        return;
    case NX_N_EQ: case NX_N_NEQ: {
        const nx_n_binop *b = (const nx_n_binop *)n;
        strict(c, b->a);
        strict(c, b->b);
        mark(c, n);
        op(c, n->kind == NX_N_EQ ? NX_OP_EQ : NX_OP_NEQ, -1);
        return;
    }
    case NX_N_CONCATSTRINGS: {
        const nx_n_concat *k = (const nx_n_concat *)n;
        for (uint32_t i = 0; i < k->n; i++) strict(c, k->parts[i]);
        mark(c, n);
        /* A key set holds the parts' positions for error messages. */
        code_build *kc = c->code;
        GROW(kc->keysets, kc->nkeysets, c->cap_keysets, 2);
        nx_keyset *ks = &kc->keysets[kc->nkeysets];
        ks->n = k->n;
        ks->names = NULL;
        ks->pos = nx_xmalloc((k->n + 1) * sizeof *ks->pos);
        for (uint32_t i = 0; i < k->n; i++) ks->pos[i] = nx_pos_id((nx_pos){ n->src, k->ppos ? k->ppos[i] : k->parts[i]->start });
        uint32_t flags = ((k->h.flags & NX_NF_FORCE_STRING) ? 1u : 0u) | (kc->nkeysets++ << 1);
        op_u32_u32(c, NX_OP_CONCAT, k->n, flags, 1 - (int)k->n);
        return;
    }
    }
}

nx_code *nx_compile(const nx_node *root)
{
    comp c;
    begin(&c, NX_CODE_TOP, root);
    tail(&c, root);
    return finish(&c);
}

nx_pos nx_code_pos_at(const nx_code *c, uint32_t pc)
{
    uint32_t best = 0;
    bool found = false;
    const nx_line *lines = nx_code_lines(c);
    for (uint32_t i = 0, n = nx_code_nlines(c); i < n; i++) {
        if (lines[i].pc > pc) break;
        best = lines[i].pos;
        found = true;
    }
    return found ? nx_pos_get(best) : c->pos;
}
