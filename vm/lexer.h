/* lexer.h — the Nix tokenizer.
 *
 * Follows CppNix's flex lexer: longest match with rule order breaking ties,
 * and a stack of modes (expression, "string", ''indented string'', inside
 * a path) driven only by the characters seen, so tokens can be produced
 * ahead of the parser.  Lexical errors become NX_T_ERROR tokens that the
 * parser reports when it reaches them. */
#ifndef NX_LEXER_H
#define NX_LEXER_H

#include "vm/arena.h"
#include "vm/common.h"

typedef enum nx_tok {
    NX_T_EOF,
    NX_T_ERROR,
    NX_T_ID, NX_T_INT, NX_T_FLOAT,
    NX_T_STR,           /* literal piece of a "string" or of a path */
    NX_T_IND_STR,       /* literal piece of an ''indented string'' */
    NX_T_PATH, NX_T_HPATH, NX_T_SPATH, NX_T_URI, NX_T_PATH_END,
    NX_T_DOLLAR_CURLY,  /* ${ */
    NX_T_IND_STRING_OPEN, NX_T_IND_STRING_CLOSE,
    NX_T_ELLIPSIS,
    NX_T_EQ, NX_T_NEQ, NX_T_LEQ, NX_T_GEQ, NX_T_AND, NX_T_OR, NX_T_IMPL,
    NX_T_UPDATE, NX_T_CONCAT, NX_T_PIPE_FROM, NX_T_PIPE_INTO,
    NX_T_IF, NX_T_THEN, NX_T_ELSE, NX_T_ASSERT, NX_T_WITH, NX_T_LET, NX_T_IN,
    NX_T_REC, NX_T_INHERIT, NX_T_OR_KW,
    NX_T_CHAR           /* any other single byte, e.g. '{' ';' '+' */
} nx_tok;

typedef struct nx_token {
    uint8_t type;       /* nx_tok */
    uint8_t ch;         /* the byte, for NX_T_CHAR */
    uint32_t start, end;
    union {
        int64_t i;
        double f;
        struct {
            const char *s;  /* ID, STR, IND_STR, PATH...: text (arena) */
            size_t len;
        } str;
        const char *err;    /* NX_T_ERROR: message */
    } v;
} nx_token;

#define NX_LEX_MAX_MODES 4096

typedef struct nx_lexer {
    const char *src;
    size_t len;
    size_t pos;
    uint32_t last_start;      /* start of the last lexeme (CppNix's EOF location) */
    uint8_t *modes;           /* mode stack */
    uint32_t nmodes, capmodes;
    nx_arena *arena;          /* unescaped string values go here */
    /* The last maximal run of path characters [0] and of URI scheme
     * characters [1] measured, [lo, hi): see run_end in lexer.c. */
    size_t run_lo[2], run_hi[2];
} nx_lexer;

void nx_lexer_init(nx_lexer *lx, const char *src, size_t len, nx_arena *arena);
void nx_lexer_free(nx_lexer *lx);
void nx_lexer_next(nx_lexer *lx, nx_token *t);
/* A human name for a token kind as CppNix's parser reports it ("ID", "'{'"). */
void nx_tok_describe(const nx_token *t, char *out, size_t outlen);
const char *nx_tok_name(int type);

#endif
