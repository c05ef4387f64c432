/* ops.c — value operations that never push frames. */
#include "vm/ops.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm/code.h"
#include "vm/heap.h"
#include "vm/print_ast.h"
#include "vm/store/context.h"
#include "vm/store/path.h"

/* After a type error about v raised by a builtin: records which of its
 * arguments v is (vm->err.arg), for the trace's "while evaluating the
 * first argument passed to builtins.X" (vm/trace.c). */
static void blame_arg(nx_vm *vm, nx_value v)
{
    nx_frame *f = vm->fp;
    if (f->kind == NX_FRAME_CALL || f->kind == NX_FRAME_THUNK) {
        /* An operator's operands (SUB, MUL, DIV, LESS, ADD: the calls of
         * builtins in CppNix) are the top two stack values. */
        if (!f->base || vm->sp - 2 < f->base || vm->sp - 2 < vm->stack) return;
        if (nx_deref(vm->sp[-2]) == v) vm->err.arg = 1;
        else if (nx_deref(vm->sp[-1]) == v) vm->err.arg = 2;
        return;
    }
    if (f->kind != NX_FRAME_NATIVE) return;
    for (uint32_t i = 0; i < f->builtin->arity && !vm->err.arg; i++)
        if (nx_deref(f->base[i]) == v) vm->err.arg = (uint8_t)(i + 1);
}

bool nx_type_error(nx_vm *vm, nx_value v, const char *expected)
{
    nx_buf b = { 0 };
    nx_show_value_short(&b, v);
    nx_vm_error(vm, nx_vm_pos(vm), "expected %s but found %s: %s", expected, nx_type_phrase(v), b.data);
    nx_buf_free(&b);
    blame_arg(vm, v);
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
    /* As CppNix: with a float operand both must be numbers (forceFloat),
     * otherwise both must be integers (forceInt).  Division (prim_div)
     * first forces the divisor to a float, then checks it for zero, and
     * only then looks at the dividend. */
    if (op == NX_ARITH_DIV) {
        if (!bf && !nx_is_int(b)) return nx_type_error(vm, b, "a float");
        if (bf ? nx_float_val(b) == 0 : nx_int_val(b) == 0) {
            nx_vm_error(vm, nx_vm_pos(vm), "division by zero");
            return false;
        }
    }
    if (af || bf) return nx_type_error(vm, (af || nx_is_int(a)) ? b : a, "a float");
    return nx_type_error(vm, nx_is_int(a) ? b : a, "an integer");
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
    /* CompareValues' wording since CppNix 2.33: both values shown. */
    nx_buf sa = { 0 }, sb = { 0 };
    nx_show_value_short(&sa, a);
    nx_show_value_short(&sb, b);
    if (strcmp(nx_type_name(a), nx_type_name(b)) == 0)
        nx_vm_error(vm, nx_vm_pos(vm), "cannot compare %s with %s; values of that type are incomparable (values are %s and %s)",
                    nx_type_phrase(a), nx_type_phrase(b), sa.data, sb.data);
    else
        nx_vm_error(vm, nx_vm_pos(vm), "cannot compare %s with %s; values are %s and %s", nx_type_phrase(a),
                    nx_type_phrase(b), sa.data, sb.data);
    nx_buf_free(&sa);
    nx_buf_free(&sb);
    return false;
}

int nx_eq_shallow(nx_value a, nx_value b)
{
    /* Functions are never equal (even to themselves) when compared. */
    if (a == b) return nx_is_function(a) ? 0 : 1;
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

/* Deep equality without recursion: returns 1/0, or -1 with *pending set to
 * a thunk that must be forced before asking again. */
/* The pair worklist of nx_deep_eq grown to hold at least `need` pairs
 * (the first one lives on the C stack). */
static nx_value *grow_work(nx_value *work, nx_value *small, size_t *cap, size_t need)
{
    size_t ncap = need * 2;
    nx_value *w = nx_xmalloc(ncap * 2 * sizeof *w);
    memcpy(w, work, *cap * 2 * sizeof *w);
    if (work != small) free(work);
    *cap = ncap;
    return w;
}

/* Comparisons suspended to force a thunk.  `==` on structures full of
 * thunks would otherwise start over after each one (quadratic: nixpkgs
 * lib's runTests compares big unevaluated results).  Comparing a and b is
 * pure, so whoever compares the same two values next may take over the
 * worklist: usually the same instruction, retried once the thunk is
 * forced.  A few slots; the oldest is dropped (its work is redone). */
typedef struct { nx_value a, b; nx_value *work; size_t n, cap; } eq_saved;
enum { EQ_SAVED_MAX = 8 };
static eq_saved eq_saved_tab[EQ_SAVED_MAX];
static unsigned eq_nsaved;
/* One bit per saved comparison's first value (eq_mask_bit): nx_deep_eq
 * asks eq_resume only when its a may be in the table.  Entries stay
 * until taken over or dropped, and `elem x list` over a million elements
 * would otherwise scan the full table on every call. */
static uint64_t eq_saved_mask;

static inline uint64_t eq_mask_bit(nx_value a) { return (uint64_t)1 << ((a >> 3) & 63); }

static void eq_mask_rebuild(void)
{
    eq_saved_mask = 0;
    for (unsigned i = 0; i < eq_nsaved; i++) eq_saved_mask |= eq_mask_bit(eq_saved_tab[i].a);
}

static void mark_eq_saved(nx_gc_mark_fn mark)
{
    for (unsigned i = 0; i < eq_nsaved; i++) {
        mark(eq_saved_tab[i].a);
        mark(eq_saved_tab[i].b);
        for (size_t j = 0; j < eq_saved_tab[i].n * 2; j++) mark(eq_saved_tab[i].work[j]);
    }
}

/* Keeps the worklist (n pairs): takes over `work` if it was allocated
 * (owned), else copies it. */
static void eq_save(nx_value a, nx_value b, nx_value *work, size_t n, size_t cap, bool owned)
{
    static bool registered;
    if (!registered) {
        nx_gc_register_roots(mark_eq_saved);
        registered = true;
    }
    if (eq_nsaved == EQ_SAVED_MAX) {
        free(eq_saved_tab[0].work);
        memmove(eq_saved_tab, eq_saved_tab + 1, (EQ_SAVED_MAX - 1) * sizeof *eq_saved_tab);
        eq_nsaved--;
    }
    eq_saved *e = &eq_saved_tab[eq_nsaved++];
    e->a = a;
    e->b = b;
    e->n = n;
    if (owned) {
        e->work = work;
        e->cap = cap;
    } else {
        e->cap = n < 32 ? 32 : n;
        e->work = nx_xmalloc(e->cap * 2 * sizeof *e->work);
        memcpy(e->work, work, n * 2 * sizeof *work);
    }
    eq_mask_rebuild();
}

/* Takes over a saved comparison of a and b, if there is one. */
static bool eq_resume(nx_value a, nx_value b, nx_value **work, size_t *n, size_t *cap)
{
    for (unsigned i = eq_nsaved; i-- > 0;) {
        if (eq_saved_tab[i].a != a || eq_saved_tab[i].b != b) continue;
        *work = eq_saved_tab[i].work;
        *n = eq_saved_tab[i].n;
        *cap = eq_saved_tab[i].cap;
        memmove(eq_saved_tab + i, eq_saved_tab + i + 1, (eq_nsaved - i - 1) * sizeof *eq_saved_tab);
        eq_nsaved--;
        eq_mask_rebuild();
        return true;
    }
    return false;
}

/* What `==` needs to know of a set: whether it has a `type`, whether that
 * is (forced to) "derivation", and its `outPath`.  `elem drv list` and
 * lib's `unique` over derivations (nixpkgs' closePropagation) compare the
 * same sets again and again: the answer for a set whose type is forced
 * (or missing) is kept in a small direct-mapped cache keyed by the set's
 * address.  Sets are immutable and forced values stay; only a collection
 * can free a set and let its address be reused, so the cache is emptied
 * at every collection (it holds no roots: a cached outPath value is
 * reachable from its set, which is alive until then). */
enum { DRV_NOTYPE, DRV_PENDING, DRV_OTHER, DRV_YES };

#define DRV_CACHE_BITS 12
/* key: the set's address | its kind (objects are 8-byte aligned). */
static struct {
    uintptr_t key;
    nx_value out;    /* DRV_YES: the outPath attribute's value, or NX_NOVALUE */
} drv_cache[1u << DRV_CACHE_BITS];
static bool drv_cache_registered;

static void drv_cache_clear(nx_gc_mark_fn mark)
{
    (void)mark;
    memset(drv_cache, 0, sizeof drv_cache);
}

static int drv_info_miss(nx_value x, nx_value *v, uint32_t h)
{
    static nx_sym s_type, s_outpath;
    if (!s_type) {
        s_type = nx_sym_intern_cstr("type");
        s_outpath = nx_sym_intern_cstr("outPath");
    }
    if (!drv_cache_registered) {
        nx_gc_register_roots(drv_cache_clear);
        drv_cache_registered = true;
    }
    int kind = DRV_NOTYPE;
    nx_value out = NX_NOVALUE;
    nx_attr *t = nx_attrs_find(x, s_type);
    if (t) {
        nx_value tv = nx_deref(t->value);
        if (nx_needs_force(tv)) {
            *v = tv;
            return DRV_PENDING;
        }
        kind = DRV_OTHER;
        if (nx_is_string(tv) && nx_str_len(tv) == 10 && memcmp(nx_str(tv)->s, "derivation", 10) == 0) {
            kind = DRV_YES;
            nx_attr *op = nx_attrs_find(x, s_outpath);
            if (op) out = op->value;
        }
    }
    drv_cache[h].key = (uintptr_t)nx_obj_of(x) | (uintptr_t)kind;
    drv_cache[h].out = out;
    *v = out;
    return kind;
}

/* The kind of the set value x; *v: DRV_PENDING: the type thunk to force,
 * DRV_YES: the outPath value (NX_NOVALUE if x has none). */
static inline __attribute__((always_inline)) int drv_info(nx_value x, nx_value *v)
{
    uintptr_t o = (uintptr_t)nx_obj_of(x);
    uint32_t h = (uint32_t)((o >> 3) * 0x9e3779b97f4a7c15ull >> (64 - DRV_CACHE_BITS));
    if ((drv_cache[h].key & ~(uintptr_t)7) == o) {
        *v = drv_cache[h].out;
        return (int)(drv_cache[h].key & 7);
    }
    return drv_info_miss(x, v, h);
}

/* Two distinct derivations whose outPaths are forced strings (elem and
 * unique over derivations): 1/0, or -1 for the general path. */
static inline __attribute__((always_inline)) int drv_eq_fast(nx_value a, nx_value b)
{
    nx_value va, vb;
    if (drv_info(a, &va) != DRV_YES || !va || drv_info(b, &vb) != DRV_YES || !vb) return -1;
    /* The same outPath value is equal without being looked at. */
    if (va == vb) return 1;
    va = nx_deref(va), vb = nx_deref(vb);
    if (!nx_is_string(va) || !nx_is_string(vb)) return -1;
    return nx_str_len(va) == nx_str_len(vb) && memcmp(nx_str(va)->s, nx_str(vb)->s, nx_str_len(va)) == 0;
}

int nx_deep_eq(nx_value a, nx_value b, nx_value *pending)
{
    /* Functions are never equal when compared directly... */
    nx_value da = nx_deref(a), db = nx_deref(b);
    if (nx_is_attrs(da) && nx_is_attrs(db)) {
        if (da != db) {
            int r = drv_eq_fast(da, db);
            if (r >= 0) return r;
        }
    } else if (nx_is_function(da) || nx_is_function(db)) {
        return 0;
    }
    /* Scalars (the common case) need no worklist. */
    if (!nx_needs_force(da) && !nx_needs_force(db)) {
        int r = nx_eq_shallow(da, db);
        if (r >= 0) return r;
    }
    nx_value small[64];
    size_t cap = 32, n = 0;
    nx_value *work = small;
    if (!(eq_saved_mask & eq_mask_bit(a)) || !eq_resume(a, b, &work, &n, &cap)) {
        work[n * 2] = a;
        work[n * 2 + 1] = b;
        n++;
    }
    int result = 1;
    while (n) {
        n--;
        /* ...but inside lists and sets the very same element (CppNix: the
         * same Value) is equal to itself without being looked at. */
        if (n > 0 || work[n * 2] != a || work[n * 2 + 1] != b) {
            if (work[n * 2] == work[n * 2 + 1]) continue;
        }
        nx_value x = nx_deref(work[n * 2]), y = nx_deref(work[n * 2 + 1]);
        if (nx_needs_force(x) || nx_needs_force(y)) {
            *pending = nx_needs_force(x) ? x : y;
            goto suspend;
        }
        int r = nx_eq_shallow(x, y);
        if (r == 1) continue;
        if (r == 0) {
            result = 0;
            break;
        }
        size_t need;
        if (nx_is_list(x)) need = nx_list_len(x);
        else need = nx_attrs_count(x);
        if (nx_is_attrs(x)) {
            /* Derivations compare by output path (looked up without
             * flattening layered sets): both types are forced (x's
             * first) when both sets have one. */
            nx_value vx = NX_NOVALUE, vy = NX_NOVALUE;
            int kx = drv_info(x, &vx), ky = kx == DRV_NOTYPE ? DRV_NOTYPE : drv_info(y, &vy);
            if (kx != DRV_NOTYPE && ky != DRV_NOTYPE) {
                if (kx == DRV_PENDING || ky == DRV_PENDING) {
                    *pending = kx == DRV_PENDING ? vx : vy;
                    goto suspend;
                }
                if (kx == DRV_YES && ky == DRV_YES && vx && vy) {
                    need = 1;
                    if (n + need >= cap) work = grow_work(work, small, &cap, n + need);
                    work[n * 2] = vx;
                    work[n * 2 + 1] = vy;
                    n++;
                    continue;
                }
            }
            if (nx_attrs_count(x) != nx_attrs_count(y)) {
                result = 0;
                break;
            }
            nx_attrs *p = nx_attrsp(x), *q = nx_attrsp(y);
            for (uint32_t i = 0; i < p->h.aux; i++)
                if (p->a[i].name != q->a[i].name) {
                    result = 0;
                    goto done;
                }
        }
        if (n + need >= cap) work = grow_work(work, small, &cap, n + need);
        /* Push in reverse so elements are compared in order. */
        for (size_t i = need; i-- > 0;) {
            if (nx_is_list(x)) {
                work[n * 2] = nx_listp(x)->v[i];
                work[n * 2 + 1] = nx_listp(y)->v[i];
            } else {
                work[n * 2] = nx_attrsp(x)->a[i].value;
                work[n * 2 + 1] = nx_attrsp(y)->a[i].value;
            }
            n++;
        }
    }
done:
    if (work != small) free(work);
    return result;
suspend:
    /* The pair just taken (still in place) and those under it wait. */
    eq_save(a, b, work, n + 1, cap, work != small);
    return -1;
}

/* `<` on lists suspended to force an element: for each pair of lists
 * walked (the operands, then the first unequal elements when those are
 * lists too), the index below which their elements compared equal.  The
 * comparison is pure and forced values stay, so its retry (LESS runs
 * again once the element is forced) resumes there and takes the entry;
 * from the first element, two lists of n thunks cost n^2/2 steps.  A few
 * entries, the oldest dropped (its work is redone), as eq_saved; the
 * lists are roots while kept, so their addresses cannot be reused. */
typedef struct { nx_value a, b; uint32_t i; } less_saved;
enum { LESS_SAVED_MAX = 8 };
static less_saved less_saved_tab[LESS_SAVED_MAX];
static unsigned less_nsaved;

static void mark_less_saved(nx_gc_mark_fn mark)
{
    for (unsigned i = 0; i < less_nsaved; i++) {
        mark(less_saved_tab[i].a);
        mark(less_saved_tab[i].b);
    }
}

/* The index to start comparing lists a and b at: 0, or where a suspended
 * comparison of the same two lists got to (its entry is taken). */
static uint32_t less_resume(nx_value a, nx_value b)
{
    for (unsigned i = less_nsaved; i-- > 0;) {
        if (less_saved_tab[i].a != a || less_saved_tab[i].b != b) continue;
        uint32_t at = less_saved_tab[i].i;
        memmove(less_saved_tab + i, less_saved_tab + i + 1, (less_nsaved - i - 1) * sizeof *less_saved_tab);
        less_nsaved--;
        return at;
    }
    return 0;
}

static void less_save(nx_value a, nx_value b, uint32_t at)
{
    static bool registered;
    if (!registered) {
        nx_gc_register_roots(mark_less_saved);
        registered = true;
    }
    if (less_nsaved == LESS_SAVED_MAX) {
        memmove(less_saved_tab, less_saved_tab + 1, (LESS_SAVED_MAX - 1) * sizeof *less_saved_tab);
        less_nsaved--;
    }
    less_saved_tab[less_nsaved++] = (less_saved){ a, b, at };
}

/* a < b for lists: the first elements that differ decide (CppNix's
 * lexicographic order); returns 1, 0 on error, -1 with *pending. */
int nx_list_less(nx_vm *vm, nx_value a, nx_value b, bool *out, nx_value *pending)
{
    /* The levels walked so far (the first few), kept if suspended. */
    less_saved levels[4];
    unsigned depth = 0;
    for (;;) {
        nx_list *x = nx_listp(a), *y = nx_listp(b);
        uint32_t n = x->h.aux < y->h.aux ? x->h.aux : y->h.aux, i;
        i = NX_UNLIKELY(less_nsaved) ? less_resume(a, b) : 0;
        for (; i < n; i++) {
            nx_value p = nx_deref(x->v[i]), q = nx_deref(y->v[i]);
            int e = 1;
            if (nx_needs_force(p)) *pending = p, e = -1;
            else if (nx_needs_force(q)) *pending = q, e = -1;
            else e = nx_deep_eq(p, q, pending);
            if (e < 0) {
                for (unsigned k = 0; k < depth; k++) less_save(levels[k].a, levels[k].b, levels[k].i);
                less_save(a, b, i);
                return -1;
            }
            if (e == 1) continue;
            bool deep;
            if (!nx_less(vm, p, q, out, &deep)) return 0;
            if (!deep) return 1;
            if (depth < NX_ARRAY_LEN(levels)) levels[depth++] = (less_saved){ a, b, i };
            a = p;
            b = q;
            break;
        }
        if (i == n) {
            *out = x->h.aux < y->h.aux;
            return 1;
        }
    }
}

/* The first index in [lo, n) whose name is >= t (n if none), searching
 * from lo with doubling steps then bisection: O(log distance), so a
 * merge of a small set into a large one costs a few probes per entry. */
static uint32_t gallop(const nx_attr *a, uint32_t lo, uint32_t n, nx_sym t)
{
    if (lo >= n || a[lo].name >= t) return lo;
    uint32_t step = 1, prev = lo; /* invariant: a[prev].name < t */
    for (;;) {
        uint32_t next = prev + step;
        if (next >= n || a[next].name >= t) {
            uint32_t hi = next < n ? next : n; /* a[hi].name >= t, or hi = n */
            lo = prev + 1;
            while (lo < hi) {
                uint32_t mid = lo + (hi - lo) / 2;
                if (a[mid].name < t) lo = mid + 1;
                else hi = mid;
            }
            return lo;
        }
        prev = next;
        step *= 2;
    }
}

/* Writes the entries of y over those of x (both sorted by symbol) to r,
 * y's winning on equal names; returns the number written.  The runs of x
 * between the places of y's names are copied with memcpy. */
static uint32_t merge_over(nx_attr *r, const nx_attr *y, uint32_t ny, const nx_attr *x, uint32_t nx)
{
    uint32_t i = 0, k = 0;
    for (uint32_t j = 0; j < ny; j++) {
        nx_sym t = y[j].name;
        uint32_t p = gallop(x, i, nx, t);
        if (p > i) {
            memcpy(r + k, x + i, (size_t)(p - i) * sizeof(nx_attr));
            k += p - i;
        }
        r[k++] = y[j];
        i = p < nx && x[p].name == t ? p + 1 : p;
    }
    if (i < nx) {
        memcpy(r + k, x + i, (size_t)(nx - i) * sizeof(nx_attr));
        k += nx - i;
    }
    return k;
}

/* ---- layered sets (see vm/value.h) --------------------------------------- */

/* `a // b` makes a layer when a has at least LAYER_MIN names and b at most
 * 1/LAYER_RATIO of them (docs/benchmarks.md, session 5, for how these
 * were chosen); a new layer absorbs the layers below it that are at most
 * LAYER_ABSORB times its size, so sizes grow geometrically down a chain
 * and each entry is copied O(log n) times; a chain deeper than
 * LAYER_MAX_DEPTH is flattened.  The mirror case, a small a under a big
 * b, makes a layer of a's names that b lacks over b (update_under). */
enum { LAYER_MIN = 16, LAYER_RATIO = 4, LAYER_ABSORB = 2, LAYER_MAX_DEPTH = 16, LAYER_MAXK = LAYER_MAX_DEPTH + 2 };

NX_NORETURN static void bad_flatten(uint32_t want, uint32_t got)
{
    fprintf(stderr, "nixe: internal error: a set of %u names merged to %u\n", want, got);
    abort();
}

static inline nx_attrs_layer *as_layer(nx_attrs *a) { return (nx_attrs_layer *)a; }

static inline nx_attr *search(nx_attr *a, uint32_t n, nx_sym s)
{
    if (n <= 8) {
        for (uint32_t i = 0; i < n; i++)
            if (a[i].name == s) return &a[i];
        return NULL;
    }
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        nx_sym m = a[mid].name;
        if (m == s) return &a[mid];
        if (m < s) lo = mid + 1;
        else hi = mid;
    }
    return NULL;
}

nx_attr *nx_attrs_find_layers(nx_attrs *a, nx_sym s, nx_attrs **flat)
{
    while (nx_attrs_obj_layered(a)) {
        nx_attrs_layer *l = as_layer(a);
        if (l->flat) {
            a = l->flat;
            break;
        }
        nx_attr *x = search(l->a, l->n, s);
        if (x) return x;
        a = l->base;
    }
    *flat = a;
    return NULL;
}

nx_attr *nx_attrs_find_layered(nx_attrs *a, nx_sym s)
{
    nx_attr *x = nx_attrs_find_layers(a, s, &a);
    return x ? x : nx_attrs_get(a, s);
}

/* Merges k sorted arrays into out, an earlier array's entry winning over
 * a later one's of the same name; returns the number written.  O(total
 * × k): k is at most LAYER_MAXK. */
static uint32_t kmerge(nx_attr *out, const nx_attr *const *arr, const uint32_t *ns, uint32_t k)
{
    uint32_t pos[LAYER_MAXK] = { 0 }, m = 0;
    for (;;) {
        uint32_t bi = k;
        nx_sym best = 0;
        for (uint32_t i = 0; i < k; i++)
            if (pos[i] < ns[i] && (bi == k || arr[i][pos[i]].name < best)) best = arr[i][pos[i]].name, bi = i;
        if (bi == k) return m;
        out[m++] = arr[bi][pos[bi]];
        for (uint32_t i = bi; i < k; i++)
            if (pos[i] < ns[i] && arr[i][pos[i]].name == best) pos[i]++;
    }
}

/* Writes the k arrays (earlier winning) over the flat set base into r;
 * returns the number written. */
static uint32_t merge_layers_over(nx_attr *r, const nx_attr *const *arr, const uint32_t *ns, uint32_t k,
                                  const nx_attrs *base)
{
    if (k == 1) return merge_over(r, arr[0], ns[0], base->a, base->h.aux);
    size_t total = 0;
    for (uint32_t i = 0; i < k; i++) total += ns[i];
    nx_attr *tmp = nx_xmalloc(total * sizeof *tmp);
    uint32_t m = kmerge(tmp, arr, ns, k);
    uint32_t w = merge_over(r, tmp, m, base->a, base->h.aux);
    free(tmp);
    return w;
}

/* The flat view of a layered set: made once (a new flat set of h.aux
 * entries, counted in nrOpUpdateValuesCopied as the copy `//` put off),
 * then kept in the layer, whose base and entries are dropped.  Allocates;
 * no safepoint. */
nx_attrs *nx_attrs_flat_of(nx_attrs *a)
{
    nx_attrs_layer *l = as_layer(a);
    if (l->flat) return l->flat;
    const nx_attr *arr[LAYER_MAXK];
    uint32_t ns[LAYER_MAXK], k = 0;
    nx_attrs *cur = a;
    while (nx_attrs_obj_layered(cur)) {
        nx_attrs_layer *c = as_layer(cur);
        if (c->flat) {
            cur = c->flat;
            break;
        }
        if (k == LAYER_MAXK) {
            /* Deeper than any chain nx_update makes: flatten the rest
             * first (its depth is one less, so this ends). */
            cur = nx_attrs_flat_of(cur);
            break;
        }
        arr[k] = c->a, ns[k] = c->n, k++;
        cur = c->base;
    }
    nx_attrs *r = nx_alloc_attrs_uninit(a->h.aux);
    uint32_t w = merge_layers_over(r->a, arr, ns, k, cur);
    if (w != a->h.aux) bad_flatten(a->h.aux, w);
    nx_count.update_copied += w;
    l->flat = r;
    NX_GC_BARRIER(l); /* an old layer now points to a young set */
    l->base = NULL;
    l->n = 0;
    return r;
}

/* a // b as a layer of b's entries over a (nx_update decided it is worth
 * it).  Absorbs the layers of a that are not much bigger than the new
 * one; flattens when the chain would pass LAYER_MAX_DEPTH. */
static void update_layered(nx_value a, nx_value b, nx_value *out)
{
    nx_attrs *y = nx_attrsp(b);
    uint32_t ny = y->h.aux, count = nx_attrs_count(a);
    for (uint32_t j = 0; j < ny; j++) count += !nx_attrs_find(a, y->a[j].name);
    const nx_attr *arr[LAYER_MAXK];
    uint32_t ns[LAYER_MAXK], k = 0, upper = ny;
    arr[k] = y->a, ns[k] = ny, k++;
    nx_attrs *base = nx_attrs_raw(a);
    while (nx_attrs_obj_layered(base) && k < LAYER_MAXK) {
        nx_attrs_layer *l = as_layer(base);
        if (l->flat) {
            base = l->flat;
            break;
        }
        if (l->n > LAYER_ABSORB * upper) break;
        arr[k] = l->a, ns[k] = l->n, k++;
        upper += l->n;
        base = l->base;
    }
    uint32_t depth = nx_attrs_obj_layered(base) ? as_layer(base)->depth + 1 : 1;
    if (depth > LAYER_MAX_DEPTH) {
        nx_attrs *flat = nx_attrsp(nx_from_obj(base));
        nx_attrs *r = nx_alloc_attrs_uninit(count);
        uint32_t w = merge_layers_over(r->a, arr, ns, k, flat);
        if (w != count) bad_flatten(count, w);
        nx_count.update_copied += w;
        *out = nx_from_obj(r);
        return;
    }
    nx_attrs_layer *l = nx_heap_alloc(sizeof(nx_attrs_layer) + (size_t)upper * sizeof(nx_attr));
    l->h = (nx_obj){ NX_OBJ_ATTRS, 0, NX_ATTRS_LAYERED, count };
    l->base = base;
    l->flat = NULL;
    l->depth = depth;
    l->n = k == 1 ? (memcpy(l->a, y->a, (size_t)ny * sizeof(nx_attr)), ny) : kmerge(l->a, arr, ns, k);
    nx_count.sets++;
    nx_count.set_elems += l->n;
    nx_count.update_copied += l->n;
    *out = nx_from_obj(l);
}

/* a // b for a small a and a big b (nx_update decided): a layer of the
 * entries of a whose names b lacks, over b.  No name of the layer is in
 * b, so the layer shadows nothing and b's entries win as they must.
 * nixpkgs 14.04's package set is `helperFunctions // { …3,600 packages… }`
 * in every instance of all-packages.nix (72 in outpaths): a copy of 3,683
 * entries each time before (docs/benchmarks.md, session 12).  The layer is
 * a new set even when it is empty (all of a's names are in b), as CppNix
 * makes new Bindings: printing shows a set met twice as «repeated», so
 * the result must not be b itself (`b // { }` is, in both). */
static void update_under(nx_value a, nx_value b, nx_value *out)
{
    nx_attrs *x = nx_attrsp(a);
    uint32_t nx = x->h.aux, n = 0;
    nx_attrs_layer *l = nx_heap_alloc(sizeof(nx_attrs_layer) + (size_t)nx * sizeof(nx_attr));
    for (uint32_t i = 0; i < nx; i++)
        if (!nx_attrs_find(b, x->a[i].name)) l->a[n++] = x->a[i];
    nx_attrs *base = nx_attrs_raw(b);
    uint32_t depth = nx_attrs_obj_layered(base) ? as_layer(base)->depth + 1 : 1;
    if (depth > LAYER_MAX_DEPTH) {
        base = nx_attrsp(b);
        depth = 1;
    }
    l->h = (nx_obj){ NX_OBJ_ATTRS, 0, NX_ATTRS_LAYERED, nx_attrs_count(b) + n };
    l->base = base;
    l->flat = NULL;
    l->depth = depth;
    l->n = n;
    nx_count.sets++;
    nx_count.set_elems += n;
    nx_count.update_copied += n;
    *out = nx_from_obj(l);
}

/* a // b: the entries of both, b's winning on equal names (positions
 * included, so unsafeGetAttrPos sees b's).  An empty side returns the
 * other set itself; a small b over a big a, or a small a under a big b,
 * makes a layered set (above); otherwise a merge into a new flat set. */
bool nx_update(nx_vm *vm, nx_value a, nx_value b, nx_value *out)
{
    /* CppNix 2.35 checks the right operand first. */
    if (!nx_is_attrs(b)) return nx_type_error(vm, b, "a set");
    if (!nx_is_attrs(a)) return nx_type_error(vm, a, "a set");
    uint32_t na = nx_attrs_count(a), nb = nx_attrs_count(b);
    if (nb == 0) { *out = a; return true; }
    if (na == 0) { *out = b; return true; }
    nx_count.updates++;
    if (na >= LAYER_MIN && (uint64_t)nb * LAYER_RATIO <= na) {
        update_layered(a, b, out);
        return true;
    }
    if (nb >= LAYER_MIN && (uint64_t)na * LAYER_RATIO <= nb) {
        update_under(a, b, out);
        return true;
    }
    nx_attrs *x = nx_attrsp(a), *y = nx_attrsp(b);
    nx_attrs *r = nx_alloc_attrs_uninit(na + nb);
    nx_count.update_copied += na + nb;
    r->h.aux = merge_over(r->a, y->a, nb, x->a, na);
    *out = nx_from_obj(r);
    return true;
}

bool nx_concat_lists(nx_vm *vm, nx_value a, nx_value b, nx_value *out)
{
    nx_count.list_concats++; /* each `++`, as CppNix's nrListConcats */
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

bool nx_concat_list_chain(nx_vm *vm, const nx_value *v, uint32_t n, const uint32_t *pos, nx_value *out)
{
    /* CppNix's nested concatLists check the operands of the innermost
     * `++` first, then each outer left operand: n-2, n-1, n-3, …, 0. */
    nx_count.list_concats += n - 1; /* one per `++`, as CppNix */
    for (uint32_t k = 0; k < n; k++) {
        uint32_t i = k == 0 ? n - 2 : k == 1 ? n - 1 : n - 1 - k;
        if (!nx_is_list(v[i])) {
            nx_type_error(vm, v[i], "a list");
            vm->err.pos = nx_pos_get(pos[i]);
            return false;
        }
    }
    uint64_t total = 0;
    uint32_t nonempty = 0, last = n - 1;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t m = nx_list_len(v[i]);
        total += m;
        if (m) nonempty++, last = i;
    }
    if (nonempty <= 1) {
        *out = v[last];
        return true;
    }
    if (total > UINT32_MAX) {
        nx_vm_error(vm, nx_pos_get(pos[0]), "list of %llu elements is too long", (unsigned long long)total);
        return false;
    }
    nx_list *l = nx_alloc_list_uninit((uint32_t)total);
    nx_value *o = l->v;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t m = nx_list_len(v[i]);
        memcpy(o, nx_listp(v[i])->v, m * sizeof(nx_value));
        o += m;
    }
    *out = nx_from_obj(l);
    return true;
}

/* Two digits per division: `toString i` and interpolated integers are
 * common enough (genList of names, nixpkgs' version strings) to matter. */
static const char digit_pairs[201] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                                     "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                                     "8081828384858687888990919293949596979899";

size_t nx_fmt_int(char *buf, int64_t v)
{
    /* Negate in unsigned arithmetic so INT64_MIN is fine. */
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    static const uint64_t pow10[] = { 10u, 100u, 1000u, 10000u, 100000u, 1000000u, 10000000u, 100000000u,
                                      1000000000u, 10000000000u, 100000000000u, 1000000000000u,
                                      10000000000000u, 100000000000000u, 1000000000000000u,
                                      10000000000000000u, 100000000000000000u, 1000000000000000000u,
                                      10000000000000000000u };
    size_t digits = 1;
    while (digits < 20 && u >= pow10[digits - 1]) digits++;
    size_t k = (v < 0) + digits;
    buf[0] = '-';
    buf[k] = 0;
    char *p = buf + k;
    while (u >= 100) {
        unsigned d = (unsigned)(u % 100);
        u /= 100;
        p -= 2;
        p[0] = digit_pairs[2 * d];
        p[1] = digit_pairs[2 * d + 1];
    }
    if (u >= 10) {
        p[-2] = digit_pairs[2 * u];
        p[-1] = digit_pairs[2 * u + 1];
    } else {
        p[-1] = (char)('0' + u);
    }
    return k;
}

bool nx_concat_plain_strings(const nx_value *v, uint32_t n, nx_value *out)
{
    size_t total = 0;
    const nx_context *cx = NULL;
    bool mixed = false;
    for (uint32_t i = 0; i < n; i++) {
        if (!nx_is_string(v[i])) return false;
        total += nx_str_len(v[i]);
        const nx_context *c = nx_str(v[i])->ctx;
        if (c && c->h.aux && c != cx) {
            if (cx) mixed = true;
            cx = c;
        }
    }
    if (mixed) {
        nx_ctxacc acc = { 0 };
        for (uint32_t i = 0; i < n; i++) nx_ctx_add_all(&acc, nx_str(v[i])->ctx);
        cx = nx_ctx_finish(&acc);
    }
    if (!total && !cx) {
        *out = nx_empty_string;
        return true;
    }
    nx_string *s = nx_alloc_string(total, NX_OBJ_STRING);
    char *o = s->s;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t l = nx_str_len(v[i]);
        memcpy(o, nx_str(v[i])->s, l);
        o += l;
    }
    s->ctx = cx;
    *out = nx_from_obj(s);
    return true;
}

/* The state slots of a coercion (nx_coerce_resume): the value being
 * coerced (NX_NOVALUE between elements), how many outPath or __toString
 * steps it has taken (times two, plus one if one of them was a
 * __toString), the stack of list positions (pairs: the list, and the
 * index of its next element times two plus the same bit for the steps
 * that reached the list) and its depth, the text and contexts of the
 * parts finished before the last suspension (a string object used as a
 * buffer and its length, a list of strings whose contexts count and its
 * length).  A builtin's slots start as NX_NULL: the first call sees its
 * depth is not yet a number. */
enum { CS_CUR, CS_HOPS, CS_STACK, CS_DEPTH, CS_TEXT, CS_LEN, CS_CTXS, CS_NCTX };
_Static_assert(CS_NCTX + 1 == NX_COERCE_NSTATE, "nx_coerce_resume's state slots");

/* outPath and __toString steps from one value before giving up (a set
 * whose outPath or __toString result is itself overflows CppNix's
 * stack), and the deepest list nesting walked (a list containing
 * itself). */
#define MAX_HOPS 10000
#define MAX_DEPTH (1u << 22)

static int64_t slot_int(nx_value v) { return nx_is_smallint(v) ? nx_smallint(v) : 0; }

/* A list of cap elements (NX_NULL) holding the first n of from (NULL
 * when n is 0). */
static nx_list *grown_list(const nx_value *from, uint32_t n, uint32_t cap)
{
    nx_list *l = nx_alloc_list(cap);
    if (n) memcpy(l->v, from, n * sizeof *from);
    for (uint32_t i = n; i < cap; i++) l->v[i] = NX_NULL;
    return l;
}

/* The __toString chains of nx_coerce_to_string in progress (vm.h): in
 * the list vm->coerce_app, vm->coerce_nchains records of CH_SIZE slots,
 * one per frame at most, deeper frames last.  A record is the
 * application the frame's coercion handed out last (-2), the chain's
 * steps so far and the frame's index.  The frame puts the application,
 * or its result, in place of the set and coerces it again; meanwhile
 * the application's own call may coerce other sets with a __toString,
 * in deeper frames, and their records must not end the outer one's (a
 * __toString that coerces another such set and returns its own set
 * looped forever).  The list is a root (vm/gc.c), traced whole at every
 * collection, so storing into it needs no barrier. */
enum { CH_APP, CH_HOPS, CH_FRAME, CH_SIZE };

/* The record continued by a coercion of v in the current frame (v is
 * the application handed out last, or its result): its index + 1, or 0.
 * Records of deeper frames are dropped first: those frames have
 * returned (or unwound with an error). */
static uint32_t chain_find(nx_vm *vm, nx_value v)
{
    int64_t frame = vm->fp - vm->frames;
    nx_value *r = nx_listp(vm->coerce_app)->v;
    uint32_t n = vm->coerce_nchains;
    for (; n && nx_smallint(r[CH_SIZE * (n - 1) + CH_FRAME]) > frame; n--) r[CH_SIZE * (n - 1) + CH_APP] = NX_NULL;
    vm->coerce_nchains = n;
    if (!n) return 0;
    const nx_value *top = &r[CH_SIZE * (n - 1)];
    return nx_smallint(top[CH_FRAME]) == frame && nx_deref(v) == nx_deref(top[CH_APP]) ? n : 0;
}

/* Records that the current frame's coercion handed out the application
 * app after hops steps of its chain (nx_coerce_to_string has dropped the
 * records of deeper frames): the frame's record is replaced. */
static __attribute__((noinline)) void chain_record(nx_vm *vm, nx_value app, int64_t hops)
{
    int64_t frame = vm->fp - vm->frames;
    uint32_t n = vm->coerce_nchains;
    if (n && nx_smallint(nx_listp(vm->coerce_app)->v[CH_SIZE * (n - 1) + CH_FRAME]) == frame) n--;
    uint32_t cap = vm->coerce_app ? nx_list_len(vm->coerce_app) / CH_SIZE : 0;
    if (n == cap) {
        const nx_value *old = cap ? nx_listp(vm->coerce_app)->v : NULL;
        vm->coerce_app = nx_from_obj(grown_list(old, CH_SIZE * n, CH_SIZE * (cap ? 2 * cap : 4)));
    }
    nx_value *top = &nx_listp(vm->coerce_app)->v[CH_SIZE * n];
    top[CH_APP] = app;
    top[CH_HOPS] = nx_mk_smallint(hops);
    top[CH_FRAME] = nx_mk_smallint(frame);
    vm->coerce_nchains = n + 1;
}

/* Keeps the text and contexts that out and ctx received since the last
 * call in st (out and ctx are emptied), so that the next call, after a
 * force, continues with them. */
static void coerce_suspend(nx_buf *out, nx_ctxacc *ctx, nx_value *st)
{
    size_t len = (size_t)slot_int(st[CS_LEN]);
    if (out->len) {
        size_t cap = nx_is_string(st[CS_TEXT]) ? nx_str_len(st[CS_TEXT]) : 0;
        if (len + out->len > cap) {
            size_t ncap = cap * 2 > len + out->len ? cap * 2 : len + out->len + 64;
            nx_string *t = nx_alloc_string(ncap, NX_OBJ_STRING);
            if (len) memcpy(t->s, nx_str(st[CS_TEXT])->s, len);
            st[CS_TEXT] = nx_from_obj(t);
        }
        memcpy(nx_str(st[CS_TEXT])->s + len, out->data, out->len);
        len += out->len;
        out->len = 0;
        st[CS_LEN] = nx_mk_smallint((int64_t)len);
    }
    const nx_context *cx = ctx ? nx_ctx_finish(ctx) : NULL;
    if (!cx) return;
    uint32_t n = (uint32_t)slot_int(st[CS_NCTX]);
    nx_value *v = nx_is_list(st[CS_CTXS]) ? nx_listp(st[CS_CTXS])->v : NULL;
    /* Elements of one derivation or one source give one context object
     * again and again: kept once. */
    if (n && nx_str(v[n - 1])->ctx == cx) return;
    if (!v || n == nx_list_len(st[CS_CTXS])) {
        nx_list *g = grown_list(v, n, n ? 2 * n : 8);
        st[CS_CTXS] = nx_from_obj(g);
        v = g->v;
    }
    v[n] = nx_mk_string("", 0, cx);
    st[CS_NCTX] = nx_mk_smallint(n + 1);
}

/* The whole coercion: out and ctx receive what earlier calls kept in st
 * before what they hold now. */
static void coerce_finish(nx_buf *out, nx_ctxacc *ctx, nx_value *st)
{
    size_t len = (size_t)slot_int(st[CS_LEN]);
    if (len) {
        nx_buf_reserve(out, len);
        memmove(out->data + len, out->data, out->len);
        memcpy(out->data, nx_str(st[CS_TEXT])->s, len);
        out->len += len;
        out->data[out->len] = 0;
    }
    if (!ctx) return;
    for (int64_t i = 0; i < slot_int(st[CS_NCTX]); i++) nx_ctx_add_all(ctx, nx_str(nx_listp(st[CS_CTXS])->v[i])->ctx);
}

/* CppNix's coerceToString without C recursion: lists are walked with an
 * explicit stack of positions.  resumable: st is kept by the caller
 * across the force of *pending (returns -1), and a __toString
 * application is forced that way too; otherwise st is the caller's
 * scratch, a return of -1 means "force *pending and start again" and a
 * __toString gives -2 (its application in *pending). */
static int coerce(nx_vm *vm, nx_buf *out, nx_ctxacc *ctx, nx_value *st, bool resumable, int flags, nx_value *pending)
{
    static nx_sym s_outpath, s_tostring;
    if (!s_outpath) {
        s_outpath = nx_sym_intern_cstr("outPath");
        s_tostring = nx_sym_intern_cstr("__toString");
    }
    nx_value cur = st[CS_CUR];
    int64_t hops = slot_int(st[CS_HOPS]) >> 1;
    bool tostr = slot_int(st[CS_HOPS]) & 1;
    /* The stack: a few levels in local memory until it must outlive the
     * call or grow. */
    nx_value local[16];
    nx_value *stk = nx_is_list(st[CS_STACK]) ? nx_listp(st[CS_STACK])->v : local;
    uint32_t cap = nx_is_list(st[CS_STACK]) ? nx_list_len(st[CS_STACK]) / 2 : 8;
    uint32_t depth = (uint32_t)slot_int(st[CS_DEPTH]);
    int r;
    for (;;) {
        if (cur == NX_NOVALUE) {
            if (!depth) {
                if (resumable) coerce_finish(out, ctx, st);
                return 1;
            }
            nx_value *top = &stk[2 * (depth - 1)];
            nx_list *l = nx_listp(top[0]);
            uint32_t i = (uint32_t)(nx_smallint(top[1]) >> 1);
            if (i == l->h.aux) {
                depth--;
                continue;
            }
            if (i) {
                /* As CppNix: no separator after an empty list. */
                nx_value e = nx_deref(l->v[i - 1]);
                if (!(nx_is_list(e) && nx_list_len(e) == 0)) nx_buf_addc(out, ' ');
            }
            top[1] = nx_mk_smallint((int64_t)(i + 1) << 1 | (nx_smallint(top[1]) & 1));
            cur = l->v[i];
            hops = 0;
            tostr = false;
            continue;
        }
        nx_value v = nx_deref(cur);
        if (nx_needs_force(v)) {
            *pending = cur = v;
            r = -1;
            break;
        }
        if (nx_is_string(v)) {
            nx_buf_add(out, nx_str(v)->s, nx_str_len(v));
            if (ctx && nx_str(v)->ctx) nx_ctx_add_all(ctx, nx_str(v)->ctx);
            cur = NX_NOVALUE;
            continue;
        }
        if (nx_is_path(v)) {
            if (flags & NX_COERCE_PATH_TEXT) {
                nx_buf_add(out, nx_str(v)->s, nx_str_len(v));
                cur = NX_NOVALUE;
                continue;
            }
            /* The path's store path (computed, not written), in the context. */
            char *err = NULL;
            const char *sp = nx_store_copy_path(nx_str(v)->s, &err);
            if (!sp) {
                nx_vm_error(vm, nx_vm_pos(vm), "%s", err);
                free(err);
                r = 0;
                break;
            }
            nx_buf_adds(out, sp);
            if (ctx) nx_ctx_add(ctx, sp, strlen(sp));
            cur = NX_NOVALUE;
            continue;
        }
        if (nx_is_attrs(v)) {
            nx_attr *t = nx_attrs_find(v, s_tostring);
            nx_attr *o = t ? NULL : nx_attrs_find(v, s_outpath);
            if (t || o) {
                if (++hops > MAX_HOPS) {
                    /* CppNix recurses into the outPath or the result of
                     * __toString (the call has returned): its C++ stack
                     * overflows. */
                    nx_vm_error(vm, NX_NOPOS, "stack overflow (possible infinite recursion)");
                    r = 0;
                    break;
                }
                if (o) {
                    cur = o->value;
                    continue;
                }
                /* The result of calling __toString on the set is coerced
                 * in its place (CppNix's tryAttrsToString). */
                *pending = cur = nx_mk_app_thunk(t->value, v);
                tostr = true;
                r = resumable ? -1 : -2;
                if (!resumable) chain_record(vm, *pending, hops);
                break;
            }
        }
        if (flags & NX_COERCE_MORE) {
            if (nx_is_int(v)) {
                char d[24];
                nx_buf_add(out, d, nx_fmt_int(d, nx_int_val(v)));
                cur = NX_NOVALUE;
                continue;
            }
            if (nx_is_float(v)) {
                nx_buf_printf(out, "%f", nx_float_val(v));
                cur = NX_NOVALUE;
                continue;
            }
            if (v == NX_TRUE || v == NX_FALSE || v == NX_NULL) {
                if (v == NX_TRUE) nx_buf_addc(out, '1');
                cur = NX_NOVALUE;
                continue;
            }
            if (nx_is_list(v)) {
                cur = NX_NOVALUE;
                if (!nx_list_len(v)) continue;
                if (depth == MAX_DEPTH) {
                    nx_vm_error(vm, NX_NOPOS, "stack overflow (possible infinite recursion)");
                    r = 0;
                    break;
                }
                if (depth == cap) {
                    nx_list *g = grown_list(stk, 2 * depth, 4 * cap);
                    st[CS_STACK] = nx_from_obj(g);
                    stk = g->v;
                    cap *= 2;
                }
                stk[2 * depth] = v;
                stk[2 * depth + 1] = nx_mk_smallint(tostr);
                depth++;
                continue;
            }
        }
        nx_buf b = { 0 };
        nx_show_value_short(&b, v);
        nx_vm_error(vm, nx_vm_pos(vm), "cannot coerce %s to a string: %s", nx_type_phrase(v), b.data);
        nx_buf_free(&b);
        blame_arg(vm, v);
        r = 0;
        break;
    }
    if (r <= 0 && resumable) {
        /* Where the walk stands, for the call after the force or for
         * the trace of the error (nx_coerce_trace_kind). */
        if (stk == local && depth) st[CS_STACK] = nx_from_obj(grown_list(local, 2 * depth, 2 * cap));
        st[CS_CUR] = cur;
        st[CS_HOPS] = nx_mk_smallint(hops << 1 | tostr);
        st[CS_DEPTH] = nx_mk_smallint(depth);
        if (r < 0) coerce_suspend(out, ctx, st);
    }
    return r;
}

uint32_t nx_coerce_trace_levels(const nx_value *st)
{
    return nx_is_smallint(st[CS_DEPTH]) ? (uint32_t)nx_smallint(st[CS_DEPTH]) : 0;
}

int nx_coerce_trace_kind(const nx_value *st, uint32_t level)
{
    uint32_t depth = nx_coerce_trace_levels(st);
    bool tostr = level < depth ? nx_smallint(nx_listp(st[CS_STACK])->v[2 * level + 1]) & 1 : slot_int(st[CS_HOPS]) & 1;
    return tostr ? NX_COERCE_CTX_TOSTRING : level ? NX_COERCE_CTX_ELEMENT : NX_COERCE_CTX_ARG;
}

/* nx_coerce_to_string with a chain in progress in this frame or one
 * below: the coercion of the application this frame's coercion returned
 * last (-2), or of its result, goes on counting its chain's steps, so
 * that a cycle ends as in toString; the chain's record goes when the
 * chain ends. */
static __attribute__((noinline)) int coerce_chained(nx_vm *vm, nx_buf *out, struct nx_ctxacc *ctx, nx_value v, int flags,
                                                    nx_value *pending)
{
    uint32_t at = chain_find(vm, v);
    int64_t hops = at ? nx_smallint(nx_listp(vm->coerce_app)->v[CH_SIZE * (at - 1) + CH_HOPS]) : 0;
    nx_value st[NX_COERCE_NSTATE] = { [CS_CUR] = v, [CS_HOPS] = nx_mk_smallint(hops << 1) };
    int r = coerce(vm, out, ctx, st, false, flags, pending);
    if (at && r >= 0) {
        nx_listp(vm->coerce_app)->v[CH_SIZE * (at - 1) + CH_APP] = NX_NULL;
        vm->coerce_nchains = at - 1;
    }
    return r;
}

int nx_coerce_to_string(nx_vm *vm, nx_buf *out, struct nx_ctxacc *ctx, nx_value v, int flags, nx_value *pending)
{
    /* No chain in progress (nearly always): one compare. */
    if (NX_UNLIKELY(vm->coerce_nchains)) return coerce_chained(vm, out, ctx, v, flags, pending);
    nx_value st[NX_COERCE_NSTATE] = { [CS_CUR] = v, [CS_HOPS] = nx_mk_smallint(0) };
    return coerce(vm, out, ctx, st, false, flags, pending);
}

int nx_coerce_resume(nx_vm *vm, nx_buf *out, struct nx_ctxacc *ctx, nx_value *st, nx_value v, int flags, nx_value *pending)
{
    /* The first call: the depth is not yet a number. */
    if (!nx_is_smallint(st[CS_DEPTH])) st[CS_CUR] = v;
    return coerce(vm, out, ctx, st, true, flags, pending);
}

bool nx_string_ctx_error(nx_vm *vm, nx_value s)
{
    /* CppNix names the first element of its ordered context: plain paths,
     * then whole derivations ("(deep)"), then outputs ("drv^out"). */
    const nx_context *c = nx_str(s)->ctx;
    const char *best = NULL;
    int rank = 3;
    for (const char *e = nx_ctx_first(c); e; e = nx_ctx_next(c, e)) {
        int r = e[0] == '=' ? 1 : e[0] == '!' ? 2 : 0;
        if (r < rank) { rank = r; best = e; }
    }
    nx_buf b = { 0 };
    if (rank == 0) nx_buf_adds(&b, best);
    else if (rank == 1) nx_buf_printf(&b, "%s (deep)", best + 1);
    else {
        const char *p = strchr(best + 1, '!');
        nx_buf_printf(&b, "%s^%.*s", p + 1, (int)(p - best - 1), best + 1);
    }
    nx_vm_error(vm, nx_vm_pos(vm), "the string '%s' is not allowed to refer to a store path (such as '%s')",
                nx_str(s)->s, b.data);
    nx_buf_free(&b);
    return false;
}

void nx_bind_aliases(const nx_code *code, nx_env *env)
{
    const nx_lambda_code *lc = nx_code_lambda(code);
    for (uint32_t i = 0; i < lc->nformals; i++) {
        uint32_t k = i;
        /* A chain of aliases among the formals ends at a bound slot: each
         * link names a formal bound earlier in CppNix's order. */
        for (uint32_t n = 0; env->slot[1 + i] == NX_NOVALUE && n <= lc->nformals; n++) {
            const nx_formal_code *fc = &lc->formals[k];
            nx_env *e = env;
            for (int32_t l = fc->alias_level; l > 0; l--) e = e->up;
            nx_value v = e->slot[fc->alias_idx];
            if (v != NX_NOVALUE) env->slot[1 + i] = v;
            else if (fc->alias_level == 0 && fc->alias_idx >= 1) k = fc->alias_idx - 1;
            else break;
        }
    }
}
