/* closure.c — builtins.genericClosure. */
#include <string.h>

#include "vm/builtins/builtins.h"

#define I(v) nx_smallint(v)
#define MKI(i) nx_mk_smallint(i)

/* Slots: the work queue (a list used as a growable array, head and tail
 * indexes), the keys seen (a list kept sorted with CppNix's CompareValues
 * order, its length, and the element of each key at the same index), the
 * result (list and length), the element whose operator call is running,
 * the operator, the operator's result and the index of the next of its
 * elements to force. */
enum { S_WORK, S_HEAD, S_TAIL, S_KEYS, S_NKEYS, S_KELEMS, S_RES, S_NRES, S_ELEM, S_OP, S_RET, S_I, S_NSLOTS };
/* GC_START: reading startSet and operator; GC_NEXT: taking the next
 * element (forcing it and its key, comparing the key); GC_CALLED: the
 * operator call returned; GC_FORCE: forcing the elements it returned. */
NX_STATES(closure, "genericClosure", GC_START, GC_NEXT, GC_CALLED, GC_FORCE);

/* A list of capacity cap holding the first n values of old (rest null). */
static nx_value grow(nx_value old, uint32_t n, uint32_t cap)
{
    nx_list *l = nx_alloc_list(cap);
    if (n) memcpy(l->v, nx_listp(old)->v, n * sizeof(nx_value));
    for (uint32_t i = n; i < cap; i++) l->v[i] = NX_NULL;
    return nx_from_obj(l);
}

/* Appends v to the array in slot `list` whose length is in slot `len`. */
static void push(nx_frame *f, int list, int len, nx_value v)
{
    uint32_t n = (uint32_t)I(SLOT(len));
    if (n == nx_list_len(SLOT(list))) SLOT(list) = grow(SLOT(list), n, n ? n * 2 : 16);
    nx_listp(SLOT(list))->v[n] = v;
    SLOT(len) = MKI(n + 1);
}

/* a < b as CppNix's CompareValues (lessThan): 1 true, 0 false, -1 force
 * vm->req and ask again, -2 error. */
static int less(nx_vm *vm, nx_value a, nx_value b)
{
    bool r, deep;
    if (!nx_less(vm, a, b, &r, &deep)) return -2;
    if (deep) {
        nx_value pending = NX_NOVALUE;
        int c = nx_list_less(vm, a, b, &r, &pending);
        if (c < 0) {
            vm->req = pending;
            return -1;
        }
        if (c == 0) return -2;
    }
    return r;
}

/* genericClosure { startSet; operator; }: breadth-first from startSet,
 * calling operator on each element whose `key` was not seen before. */
static int step_genericClosure(nx_vm *vm, nx_frame *f)
{
    static nx_sym s_startSet, s_operator, s_key;
    if (!s_key) {
        s_startSet = nx_sym_intern_cstr("startSet");
        s_operator = nx_sym_intern_cstr("operator");
        s_key = nx_sym_intern_cstr("key");
    }
    switch (f->state) {
    case GC_START: {
        nx_value args = ARG(0);
        EXPECT(args, nx_is_attrs(args), "a set");
        nx_attr *ss = nx_attrs_get(nx_attrsp(args), s_startSet);
        if (!ss) FAIL("attribute 'startSet' missing");
        nx_value start = ss->value;
        NEED(start);
        EXPECT(start, nx_is_list(start), "a list");
        if (nx_list_len(start) == 0) RETURN_VALUE(start);
        nx_attr *op = nx_attrs_get(nx_attrsp(args), s_operator);
        if (!op) FAIL("attribute 'operator' missing");
        nx_value opv = op->value;
        NEED(opv);
        EXPECT(opv, nx_is_function(opv), "a function");
        uint32_t n = nx_list_len(start);
        SLOT(S_WORK) = grow(start, n, n < 16 ? 16 : n * 2);
        SLOT(S_HEAD) = MKI(0);
        SLOT(S_TAIL) = MKI(n);
        SLOT(S_KEYS) = grow(NX_NULL, 0, 16);
        SLOT(S_NKEYS) = MKI(0);
        SLOT(S_KELEMS) = grow(NX_NULL, 0, 16);
        SLOT(S_RES) = grow(NX_NULL, 0, 16);
        SLOT(S_NRES) = MKI(0);
        SLOT(S_OP) = opv;
        f->state = GC_NEXT;
    }
        /* fall through */
    case GC_NEXT:
    next: {
        uint32_t head = (uint32_t)I(SLOT(S_HEAD)), tail = (uint32_t)I(SLOT(S_TAIL));
        if (head == tail) {
            uint32_t n = (uint32_t)I(SLOT(S_NRES));
            nx_list *r = nx_alloc_list(n);
            memcpy(r->v, nx_listp(SLOT(S_RES))->v, n * sizeof(nx_value));
            RETURN_VALUE(nx_from_obj(r));
        }
        nx_value e = nx_listp(SLOT(S_WORK))->v[head];
        NEED(e);
        nx_listp(SLOT(S_WORK))->v[head] = e;
        EXPECT(e, nx_is_attrs(e), "a set");
        nx_attr *ka = nx_attrs_get(nx_attrsp(e), s_key);
        if (!ka) FAIL("attribute 'key' missing");
        nx_value key = ka->value;
        NEED(key);
        /* Binary search in the sorted keys; forcing inside a list key
         * restarts this state, which has changed nothing yet. */
        nx_list *keys = nx_listp(SLOT(S_KEYS));
        uint32_t lo = 0, hi = (uint32_t)I(SLOT(S_NKEYS));
        bool found = false;
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2;
            nx_value k = nx_deref(keys->v[mid]);
            /* New key first, as std::set::insert compares (errors name
             * the types in that order). */
            int c = less(vm, key, k);
            if (c == -1) return NX_STEP_FORCE;
            if (c == -2) return NX_STEP_ERROR;
            if (c) {
                hi = mid;
                continue;
            }
            c = less(vm, k, key);
            if (c == -1) return NX_STEP_FORCE;
            if (c == -2) return NX_STEP_ERROR;
            if (c) lo = mid + 1;
            else {
                found = true;
                break;
            }
        }
        SLOT(S_HEAD) = MKI(head + 1);
        /* Free the consumed part of the queue now and then. */
        if (head + 1 >= 4096 && head + 1 >= tail / 2) {
            uint32_t left = tail - head - 1;
            nx_list *w = nx_alloc_list(left * 2 + 16);
            memcpy(w->v, nx_listp(SLOT(S_WORK))->v + head + 1, left * sizeof(nx_value));
            for (uint32_t i = left; i < left * 2 + 16; i++) w->v[i] = NX_NULL;
            SLOT(S_WORK) = nx_from_obj(w);
            SLOT(S_HEAD) = MKI(0);
            SLOT(S_TAIL) = MKI(left);
        }
        if (found) goto next;
        uint32_t nk = (uint32_t)I(SLOT(S_NKEYS));
        if (nk == nx_list_len(SLOT(S_KEYS))) {
            SLOT(S_KEYS) = grow(SLOT(S_KEYS), nk, nk * 2);
            SLOT(S_KELEMS) = grow(SLOT(S_KELEMS), nk, nk * 2);
        }
        keys = nx_listp(SLOT(S_KEYS));
        nx_list *kel = nx_listp(SLOT(S_KELEMS));
        memmove(keys->v + lo + 1, keys->v + lo, (nk - lo) * sizeof(nx_value));
        memmove(kel->v + lo + 1, kel->v + lo, (nk - lo) * sizeof(nx_value));
        keys->v[lo] = key;
        kel->v[lo] = e;
        SLOT(S_NKEYS) = MKI(nk + 1);
        push(f, S_RES, S_NRES, e);
        SLOT(S_ELEM) = e;
        CALL(SLOT(S_OP), e, GC_CALLED);
    }
    case GC_CALLED: {
        nx_value r = RESULT(); /* in weak head normal form */
        if (!nx_is_list(r)) return nx_builtin_type_error(vm, r, "a list");
        SLOT(S_RET) = r;
        SLOT(S_I) = MKI(0);
        f->state = GC_FORCE;
    }
        /* fall through */
    case GC_FORCE: {
        /* CppNix forces the returned elements inside the operator call's
         * error context. */
        nx_list *r = nx_listp(SLOT(S_RET));
        for (uint32_t i = (uint32_t)I(SLOT(S_I)); i < r->h.aux; i++) {
            SLOT(S_I) = MKI(i);
            NEED(r->v[i]);
        }
        for (uint32_t i = 0; i < r->h.aux; i++) push(f, S_WORK, S_TAIL, r->v[i]);
        SLOT(S_RET) = NX_NULL;
        f->state = GC_NEXT;
        goto next;
    }
    }
    FAIL("genericClosure: bad state");
}

/* Whether CompareValues (lessThan) fails on a and b at their top level
 * (lists compare by elements: not decided here). */
static bool incomparable(nx_value a, nx_value b)
{
    bool an = nx_is_int(a) || nx_is_float(a), bn = nx_is_int(b) || nx_is_float(b);
    if (an && bn) return false;
    if (strcmp(nx_type_name(a), nx_type_name(b)) != 0) return true;
    return !(nx_is_string(a) || nx_is_path(a) || an || nx_is_list(a));
}

/* "… in genericClosure element E" and the like: E printed as in CppNix's
 * messages (a thunk being forced as «thunk»: CppNix prints it after its
 * failure). */
static void elem_trace(nx_vm *vm, const char *fmt, nx_value e)
{
    nx_buf b = { 0 };
    e = nx_deref(e);
    if (nx_needs_force(e)) nx_buf_adds(&b, "«thunk»");
    else nx_show_value_short(&b, e);
    nx_error_add_trace(&vm->err, NX_NOPOS, false, fmt, b.data);
    nx_buf_free(&b);
}

static bool prefix(const char *s, const char *p) { return s && strncmp(s, p, strlen(p)) == 0; }

/* The trace entries of modern CppNix's prim_genericClosure (2.35) for an
 * error in or above genericClosure frame f (top: f raised it), innermost
 * first, before "while calling the 'genericClosure' builtin"; called by
 * vm/trace.c.  Drops the positions CppNix's errors lack.  Allocates;
 * error path only. */
void nx_closure_trace(nx_vm *vm, const nx_frame *f, bool top)
{
    const char *m = vm->err.msg;
    const nx_frame *up = f + 1;
    bool forcing = !top && up->kind == NX_FRAME_THUNK;
    switch (f->state) {
    case GC_START: {
        /* forceList(startSet) has its context for its type error only,
         * forceFunction(operator) for any error. */
        nx_value args = nx_deref(ARG(0));
        nx_attr *op = nx_is_attrs(args) ? nx_attrs_get(nx_attrsp(args), nx_sym_intern_cstr("operator")) : NULL;
        if (top && prefix(m, "expected a list")) {
            nx_error_add_trace(&vm->err, NX_NOPOS, false,
                               "while evaluating the 'startSet' attribute passed as argument to builtins.genericClosure");
            vm->err.pos = NX_NOPOS;
        } else if ((top && prefix(m, "expected a function")) ||
                   (forcing && op && nx_needs_force(op->value) && nx_obj_of(op->value) == nx_obj_of(up->thunk))) {
            nx_error_add_trace(&vm->err, NX_NOPOS, false,
                               "while evaluating the 'operator' attribute passed as argument to builtins.genericClosure");
            if (top) vm->err.pos = NX_NOPOS;
        }
        return;
    }
    case GC_NEXT: {
        uint32_t head = (uint32_t)I(SLOT(S_HEAD));
        if (head >= (uint32_t)I(SLOT(S_TAIL))) return;
        nx_value e = nx_listp(SLOT(S_WORK))->v[head];
        if (forcing) {
            /* forceAttrs on the element (not its key: forced outside). */
            if (nx_needs_force(e) && nx_obj_of(e) == nx_obj_of(up->thunk))
                elem_trace(vm, "in genericClosure element %s", e);
            return;
        }
        if (!top) return;
        if (prefix(m, "expected a set") || prefix(m, "attribute 'key' missing")) {
            elem_trace(vm, "in genericClosure element %s", e);
            vm->err.pos = NX_NOPOS;
        } else if (prefix(m, "cannot compare ")) {
            /* The first key in CompareValues order that the new key
             * cannot be compared with, and its element. */
            nx_value key = nx_deref(nx_attrs_get(nx_attrsp(nx_deref(e)), nx_sym_intern_cstr("key"))->value);
            uint32_t nk = (uint32_t)I(SLOT(S_NKEYS));
            const nx_list *keys = nx_listp(SLOT(S_KEYS));
            uint32_t i = 0;
            while (i < nk && !incomparable(key, nx_deref(keys->v[i]))) i++;
            if (i < nk) {
                elem_trace(vm, "with element %s", nx_listp(SLOT(S_KELEMS))->v[i]);
                elem_trace(vm, "while comparing element %s", e);
            } else {
                elem_trace(vm, "while checking key of element %s", e);
            }
        }
        return;
    }
    case GC_CALLED:
        if (top && prefix(m, "expected a list")) {
            nx_error_add_trace(&vm->err, NX_NOPOS, false,
                               "while evaluating the return value of the `operator` passed to builtins.genericClosure");
            vm->err.pos = NX_NOPOS;
        }
        /* the operator call (and its result): */
        /* fall through */
    case GC_FORCE:
        elem_trace(vm, "while calling operator on genericClosure element %s", SLOT(S_ELEM));
        return;
    }
}

static const nx_builtin table[] = {
    { "genericClosure", 1, 1, S_NSLOTS, false, step_genericClosure },
};

const nx_builtin_table nx_builtins_closure = { table, NX_ARRAY_LEN(table) };
