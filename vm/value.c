/* value.c — type names of values. */
#include "vm/value.h"
#include "vm/vm.h"

#include <stdio.h>

const char *nx_type_name(nx_value v)
{
    if (nx_is_smallint(v)) return "int";
    if (v == NX_NULL) return "null";
    if (v == NX_TRUE || v == NX_FALSE) return "bool";
    switch (nx_objtype_of(v)) {
    case NX_OBJ_INT: return "int";
    case NX_OBJ_FLOAT: return "float";
    case NX_OBJ_STRING: return "string";
    case NX_OBJ_PATH: return "path";
    case NX_OBJ_LIST: return "list";
    case NX_OBJ_ATTRS: return "set";
    case NX_OBJ_CLOSURE: case NX_OBJ_PRIMOP: case NX_OBJ_PAPP: return "lambda";
    case NX_OBJ_THUNK: return "thunk";
    }
    return "unknown";
}

/* A builtin's phrase, in one of a few buffers used in turn: an error
 * message may name the types of two operands. */
static const char *builtin_phrase(const char *what, const struct nx_builtin *b)
{
    static char ring[4][96];
    static unsigned next;
    char *out = ring[next++ % 4];
    snprintf(out, sizeof ring[0], "the %sbuilt-in function '%s'", what, b->name);
    return out;
}

const char *nx_type_phrase(nx_value v)
{
    if (nx_is_smallint(v)) return "an integer";
    if (v == NX_NULL) return "null";
    if (v == NX_TRUE || v == NX_FALSE) return "a Boolean";
    switch (nx_objtype_of(v)) {
    case NX_OBJ_INT: return "an integer";
    case NX_OBJ_FLOAT: return "a float";
    case NX_OBJ_STRING: return nx_str(v)->ctx ? "a string with context" : "a string";
    case NX_OBJ_PATH: return "a path";
    case NX_OBJ_LIST: return "a list";
    case NX_OBJ_ATTRS: return "a set";
    case NX_OBJ_CLOSURE: return "a function";
    case NX_OBJ_PRIMOP: return builtin_phrase("", ((const nx_primop *)nx_obj_of(v))->b);
    case NX_OBJ_PAPP: return builtin_phrase("partially applied ", ((const nx_papp *)nx_obj_of(v))->b);
    case NX_OBJ_THUNK: return "a thunk";
    }
    return "an unknown value";
}
