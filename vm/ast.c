/* ast.c — names of AST node kinds (for diagnostics and dumps). */
#include "vm/ast.h"

static const char *const kind_names[NX_N__COUNT] = {
    [NX_N_INT] = "int", [NX_N_FLOAT] = "float", [NX_N_STR] = "string", [NX_N_PATH] = "path",
    [NX_N_VAR] = "var", [NX_N_SELECT] = "select", [NX_N_HASATTR] = "hasattr",
    [NX_N_ATTRS] = "attrs", [NX_N_LIST] = "list", [NX_N_LAMBDA] = "lambda",
    [NX_N_CALL] = "call", [NX_N_LET] = "let", [NX_N_WITH] = "with", [NX_N_IF] = "if",
    [NX_N_ASSERT] = "assert", [NX_N_NOT] = "not", [NX_N_EQ] = "eq", [NX_N_NEQ] = "neq",
    [NX_N_AND] = "and", [NX_N_OR] = "or", [NX_N_IMPL] = "impl", [NX_N_UPDATE] = "update",
    [NX_N_CONCATLISTS] = "concatlists", [NX_N_CONCATSTRINGS] = "concatstrings",
    [NX_N_CURPOS] = "curpos",
};

const char *nx_node_kind_name(int kind)
{
    return kind >= 0 && kind < NX_N__COUNT && kind_names[kind] ? kind_names[kind] : "?";
}
