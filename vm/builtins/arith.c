/* arith.c — numbers, comparison and type predicates. */
#include <math.h>

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

/* ceil / floor: CppNix's rules — the rounded value must lie in
 * [-2^63, 2^63); an integer argument goes through a double as in CppNix,
 * which reports the integers that conversion cannot represent. */
static int round_to_int(nx_vm *vm, nx_frame *f, double (*round)(double))
{
    nx_value v = ARG(0);
    EXPECT(v, nx_is_int(v) || nx_is_float(v), "a float");
    bool is_int = nx_is_int(v);
    double d = is_int ? (double)nx_int_val(v) : nx_float_val(v);
    double r = round(d);
    const double int_min = -9223372036854775808.0;
    if (!(r >= int_min && r < -int_min)) {
        if (is_int)
            FAIL("Due to a bug (see https://github.com/NixOS/nix/issues/12899) the NixInt argument %lld caused undefined "
                 "behavior in previous Nix versions.\n\tFuture Nix versions might implement the correct behavior.",
                 (long long)nx_int_val(v));
        FAIL("NixFloat argument %g is not in the range of NixInt", d);
    }
    int64_t res = (int64_t)r;
    if (is_int && res != nx_int_val(v))
        FAIL("Due to a bug (see https://github.com/NixOS/nix/issues/12899) a loss of precision occurred in previous Nix "
             "versions because the NixInt argument %lld was rounded to %lld.\n\tFuture Nix versions might implement the "
             "correct behavior.",
             (long long)nx_int_val(v), (long long)res);
    RETURN_VALUE(nx_mk_int(res));
}

static int step_ceil(nx_vm *vm, nx_frame *f) { return round_to_int(vm, f, ceil); }
static int step_floor(nx_vm *vm, nx_frame *f) { return round_to_int(vm, f, floor); }

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
    { "ceil", 1, 1, 0, false, step_ceil },
    { "floor", 1, 1, 0, false, step_floor },
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
