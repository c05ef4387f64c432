/* arith.c — numbers, comparison and type predicates. */
#include "vm/builtins/builtins.h"

static int step_arith(nx_vm *vm, nx_frame *f, int op)
{
    nx_value r;
    if (!nx_arith(vm, op, ARG(0), ARG(1), &r)) return NX_STEP_ERROR;
    RETURN_VALUE(r);
}

static int step_add(nx_vm *vm, nx_frame *f) { return step_arith(vm, f, NX_ARITH_ADD); }
static int step_sub(nx_vm *vm, nx_frame *f) { return step_arith(vm, f, NX_ARITH_SUB); }
static int step_mul(nx_vm *vm, nx_frame *f) { return step_arith(vm, f, NX_ARITH_MUL); }
static int step_div(nx_vm *vm, nx_frame *f) { return step_arith(vm, f, NX_ARITH_DIV); }

static int step_less(nx_vm *vm, nx_frame *f)
{
    bool r, deep;
    if (!nx_less(vm, ARG(0), ARG(1), &r, &deep)) return NX_STEP_ERROR;
    if (deep) {
        nx_value pending = NX_NOVALUE;
        int c = nx_list_less(vm, ARG(0), ARG(1), &r, &pending);
        if (c < 0) {
            vm->req = pending;
            return NX_STEP_FORCE;
        }
        if (c == 0) return NX_STEP_ERROR;
    }
    RETURN_VALUE(nx_bool(r));
}

#define INT_OP(NAME, EXPR)                                                    \
    static int step_##NAME(nx_vm *vm, nx_frame *f)                            \
    {                                                                         \
        EXPECT(ARG(0), nx_is_int(ARG(0)), "an integer");                      \
        EXPECT(ARG(1), nx_is_int(ARG(1)), "an integer");                      \
        int64_t a = nx_int_val(ARG(0)), b = nx_int_val(ARG(1));               \
        RETURN_VALUE(nx_mk_int(EXPR));                                        \
    }
INT_OP(bitAnd, a & b)
INT_OP(bitOr, a | b)
INT_OP(bitXor, a ^ b)

static int step_typeOf(nx_vm *vm, nx_frame *f) { RETURN_VALUE(nx_mk_cstring(nx_type_name(ARG(0)))); }

#define PRED(NAME, TEST)                                                      \
    static int step_##NAME(nx_vm *vm, nx_frame *f)                            \
    {                                                                         \
        nx_value v = ARG(0);                                                  \
        RETURN_VALUE(nx_bool(TEST));                                          \
    }
PRED(isNull, v == NX_NULL)
PRED(isInt, nx_is_int(v))
PRED(isFloat, nx_is_float(v))
PRED(isString, nx_is_string(v))
PRED(isBool, v == NX_TRUE || v == NX_FALSE)
PRED(isList, nx_is_list(v))
PRED(isAttrs, nx_is_attrs(v))
PRED(isFunction, nx_is_function(v))
PRED(isPath, nx_is_path(v))

static const nx_builtin table[] = {
    { "add", 2, 3, 0, false, step_add },
    { "sub", 2, 3, 0, false, step_sub },
    { "mul", 2, 3, 0, false, step_mul },
    { "div", 2, 3, 0, false, step_div },
    { "lessThan", 2, 3, 0, false, step_less },
    { "bitAnd", 2, 3, 0, false, step_bitAnd },
    { "bitOr", 2, 3, 0, false, step_bitOr },
    { "bitXor", 2, 3, 0, false, step_bitXor },
    { "typeOf", 1, 1, 0, false, step_typeOf },
    { "isNull", 1, 1, 0, false, step_isNull },
    { "isInt", 1, 1, 0, false, step_isInt },
    { "isFloat", 1, 1, 0, false, step_isFloat },
    { "isString", 1, 1, 0, false, step_isString },
    { "isBool", 1, 1, 0, false, step_isBool },
    { "isList", 1, 1, 0, false, step_isList },
    { "isAttrs", 1, 1, 0, false, step_isAttrs },
    { "isFunction", 1, 1, 0, false, step_isFunction },
    { "isPath", 1, 1, 0, false, step_isPath },
};

const nx_builtin_table nx_builtins_arith = { table, NX_ARRAY_LEN(table) };
