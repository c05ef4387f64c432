/* ops.c — value operations that never push frames. */
#include "vm/ops.h"

#include <math.h>
#include <string.h>

#include "vm/heap.h"
#include "vm/print_ast.h"

void nx_show_value_short(nx_buf *b, nx_value v)
{
    v = nx_deref(v);
    if (nx_is_int(v)) {
        nx_buf_printf(b, "%lld", (long long)nx_int_val(v));
        return;
    }
    switch (nx_objtype_of(v)) {
    case NX_OBJ_FLOAT: nx_buf_printf(b, "%g", nx_float_val(v)); return;
    case NX_OBJ_STRING: {
        uint32_t n = nx_str_len(v);
        nx_print_string_literal(b, nx_str(v)->s, n > 100 ? 100 : n);
        if (n > 100) nx_buf_adds(b, "«truncated»");
        return;
    }
    case NX_OBJ_PATH: nx_buf_add(b, nx_str(v)->s, nx_str_len(v)); return;
    case NX_OBJ_LIST: nx_buf_adds(b, nx_list_len(v) ? "[ ... ]" : "[ ]"); return;
    case NX_OBJ_ATTRS: nx_buf_adds(b, nx_attrsp(v)->h.aux ? "{ ... }" : "{ }"); return;
    case NX_OBJ_CLOSURE: nx_buf_adds(b, "«lambda»"); return;
    case NX_OBJ_PRIMOP: nx_buf_adds(b, "«primop»"); return;
    case NX_OBJ_PAPP: nx_buf_adds(b, "«partially applied primop»"); return;
    case NX_OBJ_THUNK: nx_buf_adds(b, "«thunk»"); return;
    }
    if (v == NX_NULL) nx_buf_adds(b, "null");
    else if (v == NX_TRUE) nx_buf_adds(b, "true");
    else if (v == NX_FALSE) nx_buf_adds(b, "false");
    else nx_buf_adds(b, "«unknown»");
}

bool nx_type_error(nx_vm *vm, nx_value v, const char *expected)
{
    nx_buf b = { 0 };
    nx_show_value_short(&b, v);
    nx_vm_error(vm, nx_vm_pos(vm), "expected %s but found %s: %s", expected, nx_type_phrase(v), b.data);
    nx_buf_free(&b);
    return false;
}

static const char *const arith_verb[] = { "adding", "subtracting", "multiplying", "dividing" };
static const char arith_sym[] = { '+', '-', '*', '/' };

bool nx_arith(nx_vm *vm, int op, nx_value a, nx_value b, nx_value *out)
{
    if (nx_is_int(a) && nx_is_int(b)) {
        int64_t x = nx_int_val(a), y = nx_int_val(b), r;
        bool ovf = false;
        switch (op) {
        case NX_ARITH_ADD: ovf = __builtin_add_overflow(x, y, &r); break;
        case NX_ARITH_SUB: ovf = __builtin_sub_overflow(x, y, &r); break;
        case NX_ARITH_MUL: ovf = __builtin_mul_overflow(x, y, &r); break;
        default:
            if (y == 0) {
                nx_vm_error(vm, nx_vm_pos(vm), "division by zero");
                return false;
            }
            if (x == INT64_MIN && y == -1) ovf = true;
            else r = x / y;
        }
        if (ovf) {
            nx_vm_error(vm, nx_vm_pos(vm), "integer overflow in %s %lld %c %lld", arith_verb[op],
                        (long long)x, arith_sym[op], (long long)y);
            return false;
        }
        *out = nx_mk_int(r);
        return true;
    }
    bool af = nx_is_float(a), bf = nx_is_float(b);
    if ((af || nx_is_int(a)) && (bf || nx_is_int(b))) {
        double x = af ? nx_float_val(a) : (double)nx_int_val(a);
        double y = bf ? nx_float_val(b) : (double)nx_int_val(b);
        double r;
        switch (op) {
        case NX_ARITH_ADD: r = x + y; break;
        case NX_ARITH_SUB: r = x - y; break;
        case NX_ARITH_MUL: r = x * y; break;
        default:
            if (y == 0) {
                nx_vm_error(vm, nx_vm_pos(vm), "division by zero");
                return false;
            }
            r = x / y;
        }
        *out = nx_mk_float(r);
        return true;
    }
    return nx_type_error(vm, (af || nx_is_int(a)) ? b : a, "an integer or a float");
}

static int cmp_bytes(nx_value a, nx_value b)
{
    uint32_t la = nx_str_len(a), lb = nx_str_len(b);
    int c = memcmp(nx_str(a)->s, nx_str(b)->s, la < lb ? la : lb);
    if (c) return c;
    return la < lb ? -1 : la > lb;
}

bool nx_less(nx_vm *vm, nx_value a, nx_value b, bool *out, bool *needs_deep)
{
    *needs_deep = false;
    bool an = nx_is_int(a) || nx_is_float(a), bn = nx_is_int(b) || nx_is_float(b);
    if (an && bn) {
        if (nx_is_int(a) && nx_is_int(b)) *out = nx_int_val(a) < nx_int_val(b);
        else {
            double x = nx_is_float(a) ? nx_float_val(a) : (double)nx_int_val(a);
            double y = nx_is_float(b) ? nx_float_val(b) : (double)nx_int_val(b);
            *out = x < y;
        }
        return true;
    }
    if ((nx_is_string(a) && nx_is_string(b)) || (nx_is_path(a) && nx_is_path(b))) {
        *out = cmp_bytes(a, b) < 0;
        return true;
    }
    if (nx_is_list(a) && nx_is_list(b)) {
        *needs_deep = true;
        return true;
    }
    nx_vm_error(vm, nx_vm_pos(vm), "cannot compare %s with %s", nx_type_phrase(a), nx_type_phrase(b));
    return false;
}

int nx_eq_shallow(nx_value a, nx_value b)
{
    if (a == b) return 1;
    bool an = nx_is_int(a) || nx_is_float(a), bn = nx_is_int(b) || nx_is_float(b);
    if (an && bn) {
        if (nx_is_int(a) && nx_is_int(b)) return nx_int_val(a) == nx_int_val(b);
        double x = nx_is_float(a) ? nx_float_val(a) : (double)nx_int_val(a);
        double y = nx_is_float(b) ? nx_float_val(b) : (double)nx_int_val(b);
        return x == y;
    }
    int ta = nx_objtype_of(a), tb = nx_objtype_of(b);
    if (ta != tb) return 0;
    switch (ta) {
    case NX_OBJ_STRING: case NX_OBJ_PATH:
        return nx_str_len(a) == nx_str_len(b) && memcmp(nx_str(a)->s, nx_str(b)->s, nx_str_len(a)) == 0;
    case NX_OBJ_LIST:
        if (nx_list_len(a) != nx_list_len(b)) return 0;
        return nx_list_len(a) == 0 ? 1 : -1;
    case NX_OBJ_ATTRS:
        return -1;
    default:
        /* Functions are never equal (except the same object, above). */
        return 0;
    }
}

bool nx_update(nx_vm *vm, nx_value a, nx_value b, nx_value *out)
{
    if (!nx_is_attrs(a)) return nx_type_error(vm, a, "a set");
    if (!nx_is_attrs(b)) return nx_type_error(vm, b, "a set");
    nx_attrs *x = nx_attrsp(a), *y = nx_attrsp(b);
    uint32_t nx = x->h.aux, ny = y->h.aux;
    if (ny == 0) { *out = a; return true; }
    if (nx == 0) { *out = b; return true; }
    nx_attrs *r = nx_alloc_attrs(nx + ny);
    uint32_t i = 0, j = 0, k = 0;
    while (i < nx && j < ny) {
        nx_sym s = x->a[i].name, t = y->a[j].name;
        if (s < t) r->a[k++] = x->a[i++];
        else if (t < s) r->a[k++] = y->a[j++];
        else { r->a[k++] = y->a[j++]; i++; }
    }
    while (i < nx) r->a[k++] = x->a[i++];
    while (j < ny) r->a[k++] = y->a[j++];
    r->h.aux = k;
    *out = nx_from_obj(r);
    return true;
}

bool nx_concat_lists(nx_vm *vm, nx_value a, nx_value b, nx_value *out)
{
    if (!nx_is_list(a)) return nx_type_error(vm, a, "a list");
    if (!nx_is_list(b)) return nx_type_error(vm, b, "a list");
    uint32_t n = nx_list_len(a), m = nx_list_len(b);
    if (n == 0) { *out = b; return true; }
    if (m == 0) { *out = a; return true; }
    nx_list *l = nx_alloc_list(n + m);
    memcpy(l->v, nx_listp(a)->v, n * sizeof(nx_value));
    memcpy(l->v + n, nx_listp(b)->v, m * sizeof(nx_value));
    *out = nx_from_obj(l);
    return true;
}
