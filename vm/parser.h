/* parser.h — the Nix parser: source text to AST (vm/ast.h).
 *
 * Recursive descent with precedence climbing for operators; nesting depth
 * is bounded (NX_MAX_PARSE_DEPTH) and callers that accept untrusted input
 * run the front end on a large stack (nx_run_on_big_stack), so 100,000
 * nested parentheses parse instead of overflowing the C stack. */
#ifndef NX_PARSER_H
#define NX_PARSER_H

#include "vm/ast.h"
#include "vm/error.h"

#define NX_MAX_PARSE_DEPTH 1000000

typedef struct nx_parse_result {
    nx_node *root;         /* NULL on error */
    nx_arena arena;        /* owns every node; free with nx_parse_free */
} nx_parse_result;

/* Parses source `src` (registered in vm/source.h).  base_dir is the
 * directory relative path literals resolve against (absolute).  On a
 * syntax error returns false and fills err. */
bool nx_parse(uint32_t src, const char *base_dir, nx_parse_result *out, nx_error *err);
/* Parses the bytes [start, end) of source src again (the text of a
 * released file is read again), relative paths against the source's
 * directory: the condition of a failed `assert`, whose text is printed
 * only then (vm/print_ast.c nx_print_span).  The positions in the tree
 * are those of the first parse.  The end must not split a token (the
 * lexer may look at the byte at end, as at the NUL of a whole source). */
bool nx_parse_span(uint32_t src, uint32_t start, uint32_t end, nx_parse_result *out, nx_error *err);
void nx_parse_free(nx_parse_result *r);

/* Marks the symbols CppNix 2.8 creates at start-up as born (vm/compat28.c). */
void nx_compat28_init(void);

/* Runs fn(arg) on a thread with a large stack and waits for it; used for
 * the recursive front end (parse, scope check, print, compile). */
void nx_run_on_big_stack(void (*fn)(void *), void *arg);

#endif
