/* print_ast.h — `nixe --parse`: print an AST exactly as
 * `nix-instantiate --parse` does (CppNix's Expr::show). */
#ifndef NX_PRINT_AST_H
#define NX_PRINT_AST_H

#include "vm/ast.h"

void nx_print_ast(nx_buf *out, const nx_node *n);
/* The same followed by a newline, written to fd as it is produced, through
 * a 64 KiB buffer (`nixe --parse`). Returns false with errno set if a
 * write failed. Allocates; not reentrant within one thread. */
bool nx_print_ast_fd(int fd, const nx_node *n);
/* The expression whose text is [start, end) of source src, parsed again
 * and printed as nx_print_ast does: the message of a failed `assert`,
 * whose condition the compiler keeps only as that span, so that nested
 * conditions cost memory linear in their text (vm/parser.h
 * nx_parse_span).  Recursive: on the evaluator's big stack. */
void nx_print_span(nx_buf *out, uint32_t src, uint32_t start, uint32_t end);
/* A Nix string literal with CppNix's escapes ("\n", "\$", ...). */
void nx_print_string_literal(nx_buf *out, const char *s, size_t len);
/* An attribute name: bare when it is an identifier, quoted otherwise. */
void nx_print_identifier(nx_buf *out, const char *s, size_t len);

#endif
