/* code.h — compiled code objects.
 *
 * Every lambda body and every thunk body is its own code object: bytecode
 * (see opcodes.def), constants, child code objects (for THUNK/CLOSURE),
 * key sets (attribute names of set literals), and a line table mapping
 * bytecode offsets to source positions (layout: nx_code).  Code objects
 * are never freed (they live as long as the evaluation, like CppNix's
 * Exprs). */
#ifndef NX_CODE_H
#define NX_CODE_H

#include "vm/error.h"
#include "vm/value.h"

enum { NX_CODE_TOP, NX_CODE_THUNK, NX_CODE_LAMBDA };

typedef struct nx_formal_code {
    nx_sym name;
    int32_t def;           /* child code of the default, or -1 */
    nx_value constant;     /* the default when it is a literal (no thunk) */
    /* The default is a variable whose value CppNix's maybeThunk shares
     * (an outer variable, the @-argument, or a formal CppNix binds
     * earlier: formals bind in symbol creation order): its env level and
     * slot; alias_level -1 otherwise.  No thunk is made then. */
    int32_t alias_level;
    uint32_t alias_idx;
} nx_formal_code;

typedef struct nx_keyset {
    uint32_t n;
    nx_sym *names;         /* in the order the values are pushed */
    uint32_t *pos;         /* position ids */
} nx_keyset;

typedef struct nx_line {
    uint32_t pc;           /* bytecode offset where the position starts */
    uint32_t pos;          /* position id (vm/heap.h nx_pos_id) */
} nx_line;

/* Code that modern CppNix runs under a trace entry of its own: a Boolean
 * operand (evalBool: `if`, `assert`, `&&`, `||`, `->`, `!`), or the
 * operands and the operation of `-`, `*`, `/`, `<` (calls of builtins in
 * CppNix).  Bytecode offsets [start, end] evaluate it (end: the
 * instruction that checks or computes it: JUMP_IF_FALSE/TRUE, BOOL,
 * ASSERT, NOT, SUB, …); pos: the position id of the entry; kind: NX_COND_*,
 * which says the entry.  Only read when an error's trace is built
 * (vm/trace.c). */
typedef struct nx_cond {
    uint32_t start, end, pos;
    uint8_t kind;
} nx_cond;

enum {
    NX_COND_IF, NX_COND_ASSERT, NX_COND_AND_L, NX_COND_AND_R, NX_COND_OR_L, NX_COND_OR_R,
    NX_COND_IMPL_L, NX_COND_IMPL_R, NX_COND_NOT,
    /* "while calling the 'sub' builtin" …, in this order */
    NX_COND_SUB, NX_COND_MUL, NX_COND_DIV, NX_COND_LESS, NX_COND_ADD,
    /* An operand of `//` (CppNix 2.35's evalForUpdate: any error in
     * [start, end), end exclusive; an operand that is itself `//` is
     * NX_COND_UPDATE_NONE: no entry, only the boundary) */
    NX_COND_UPDATE_L, NX_COND_UPDATE_R, NX_COND_UPDATE_NONE
};

/* A code object is one block (vm/compile.c compact): the header (after
 * the lambda part for lambdas: nx_lambda_code), then its arrays cut to
 * size: constants, children, key sets and their names and positions,
 * formals, line table, conditions, bytecode.  About 90,000 code objects
 * make up a NixOS evaluation, nearly all of them thunks of a few
 * instructions, so the header is kept to 48 bytes: the constants are
 * found right after it (nx_code_consts), the key sets after the children
 * (nx_code_keysets), the cold arrays by their offsets in the block and
 * their lengths by the next array's offset (nx_code_lines, …).  The few
 * code objects made by hand (vm/vm.c, vm/exec.c) have no arrays: zero
 * offsets. */
typedef struct nx_code {
    uint8_t *bc;
    struct nx_code **children;
    nx_pos pos;            /* position of the expression */
    uint32_t len;          /* bytes of bytecode */
    uint32_t nchildren;
    /* Byte offsets from the header: the line table runs from lines_off to
     * conds_off, the conditions from conds_off to conds_end. */
    uint32_t lines_off, conds_off, conds_end;
    uint32_t max_stack : 24; /* for --dump-bytecode; saturates */
    uint32_t kind : 8;     /* NX_CODE_* */
} nx_code;

/* A lambda's code object: what only lambdas have (3,300 of NixOS small's
 * 94,000 code objects), then the common header. */
typedef struct nx_lambda_code {
    nx_formal_code *formals;
    struct nx_lambda_code *next_lambda; /* all lambdas, newest first (nx_code_lambdas) */
    uint64_t ncalls;       /* times called (NIX_COUNT_CALLS) */
    uint32_t nslots;       /* environment size: [arg] + formals */
    nx_sym arg;            /* NX_SYM_NONE if the lambda has no name for its argument */
    nx_sym name;           /* binding name for traces, or NX_SYM_NONE */
    uint32_t nformals;
    bool has_formals, ellipsis;
    bool has_aliases;      /* some formal has alias_level >= 0 */
    bool heap_env;         /* calls get their environment on the heap (capture_envs) */
    uint32_t ncaptured;    /* calls whose environment was captured (capture_envs) */
    nx_code c;             /* last: the constants follow */
} nx_lambda_code;

/* The lambda whose header c is (c's kind must be NX_CODE_LAMBDA, as a
 * closure's code's is). */
static inline nx_lambda_code *nx_code_lambda(const nx_code *c)
{
    return (nx_lambda_code *)((const char *)c - offsetof(nx_lambda_code, c));
}

static inline nx_value *nx_code_consts(const nx_code *c)
{
    return (nx_value *)(c + 1);
}

/* The binding name of a lambda, NX_SYM_NONE for other code. */
static inline nx_sym nx_code_name(const nx_code *c)
{
    return c->kind == NX_CODE_LAMBDA ? nx_code_lambda(c)->name : NX_SYM_NONE;
}

static inline nx_keyset *nx_code_keysets(const nx_code *c)
{
    return (nx_keyset *)(c->children + c->nchildren);
}

static inline const nx_line *nx_code_lines(const nx_code *c)
{
    return (const nx_line *)((const char *)c + c->lines_off);
}

static inline uint32_t nx_code_nlines(const nx_code *c)
{
    return (c->conds_off - c->lines_off) / (uint32_t)sizeof(nx_line);
}

/* Boolean operands and operators, innermost first. */
static inline const nx_cond *nx_code_conds(const nx_code *c)
{
    return (const nx_cond *)((const char *)c + c->conds_off);
}

static inline uint32_t nx_code_nconds(const nx_code *c)
{
    return (c->conds_end - c->conds_off) / (uint32_t)sizeof(nx_cond);
}

/* Every lambda compiled so far, newest first, linked by next_lambda. */
nx_lambda_code *nx_code_lambdas(void);

/* Source position of the instruction at offset pc. */
nx_pos nx_code_pos_at(const nx_code *c, uint32_t pc);

#endif
