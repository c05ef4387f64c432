/* code.h — compiled code objects.
 *
 * Every lambda body and every thunk body is its own code object: bytecode
 * (see opcodes.def), constants, child code objects (for THUNK/CLOSURE),
 * key sets (attribute names of set literals), and a line table mapping
 * bytecode offsets to source positions.  Code objects are never freed
 * (they live as long as the evaluation, like CppNix's Exprs). */
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

/* One allocation: the struct followed by its arrays (vm/compile.c
 * compact); an empty array is NULL.  The counts are exact (no capacity). */
typedef struct nx_code {
    uint8_t *bc;
    nx_value *consts;
    struct nx_code **children;
    nx_keyset *keysets;
    nx_line *lines;
    nx_cond *conds;        /* Boolean operands and operators, innermost first */
    nx_formal_code *formals; /* lambdas */
    struct nx_code *next_lambda; /* all lambdas, newest first (nx_code_lambdas) */
    uint64_t ncalls;       /* lambdas: times called (NIX_COUNT_CALLS) */
    uint32_t ncaptured;    /* lambdas: calls whose environment was captured (capture_envs) */
    nx_pos pos;            /* position of the expression */
    uint32_t len;          /* bytes of bytecode */
    uint32_t nconsts, nchildren, nkeysets, nlines, nconds;
    uint32_t max_stack;
    /* lambdas */
    nx_sym arg;            /* NX_SYM_NONE if the lambda has no name for its argument */
    nx_sym name;           /* binding name for traces, or NX_SYM_NONE */
    uint32_t nformals;
    uint32_t nslots;       /* environment size: [arg] + formals */
    uint8_t kind;          /* NX_CODE_* */
    bool has_formals, ellipsis;
    bool has_aliases;      /* some formal has alias_level >= 0 */
    bool heap_env;         /* lambdas: calls get their environment on the heap (capture_envs) */
} nx_code;

/* Every lambda compiled so far, newest first, linked by next_lambda. */
nx_code *nx_code_lambdas(void);

/* Source position of the instruction at offset pc. */
nx_pos nx_code_pos_at(const nx_code *c, uint32_t pc);

#endif
