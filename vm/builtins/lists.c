/* lists.c — list builtins. */
#include <string.h>

#include "vm/builtins/builtins.h"

#define I(v) nx_smallint(v)
#define MKI(i) nx_mk_smallint(i)

static int step_length(nx_vm *vm, nx_frame *f)
{
    EXPECT(ARG(0), nx_is_list(ARG(0)), "a list");
    RETURN_VALUE(nx_mk_int(nx_list_len(ARG(0))));
}

static int elem_at(nx_vm *vm, nx_frame *f, nx_value list, int64_t i, const char *fn)
{
    EXPECT(list, nx_is_list(list), "a list");
    if (i < 0 || i >= (int64_t)nx_list_len(list)) {
        if (fn) FAIL("'%s' called on an empty list", fn);
        FAIL("'builtins.elemAt' called with index %lld on a list of size %u", (long long)i, nx_list_len(list));
    }
    nx_value v = nx_listp(list)->v[i];
    NEED(v);
    nx_listp(list)->v[i] = v;
    RETURN_VALUE(v);
}

static int step_elemAt(nx_vm *vm, nx_frame *f)
{
    EXPECT(ARG(1), nx_is_int(ARG(1)), "an integer");
    return elem_at(vm, f, ARG(0), nx_int_val(ARG(1)), NULL);
}

static int step_head(nx_vm *vm, nx_frame *f) { return elem_at(vm, f, ARG(0), 0, "builtins.head"); }

static int step_tail(nx_vm *vm, nx_frame *f)
{
    nx_value l = ARG(0);
    EXPECT(l, nx_is_list(l), "a list");
    uint32_t n = nx_list_len(l);
    if (n == 0) FAIL("'builtins.tail' called on an empty list");
    if (n == 1) RETURN_VALUE(nx_empty_list);
    nx_list *r = nx_alloc_list(n - 1);
    memcpy(r->v, nx_listp(l)->v + 1, (n - 1) * sizeof(nx_value));
    RETURN_VALUE(nx_from_obj(r));
}

static int step_genList(nx_vm *vm, nx_frame *f)
{
    nx_value fn = ARG(0), n = ARG(1);
    EXPECT(n, nx_is_int(n), "an integer");
    int64_t len = nx_int_val(n);
    if (len < 0) FAIL("cannot create list of size %lld", (long long)len);
    if (len > UINT32_MAX / 2) FAIL("list of size %lld is too large", (long long)len);
    if (len == 0) RETURN_VALUE(nx_empty_list);
    nx_list *l = nx_alloc_list_uninit((uint32_t)len); /* filled at once, no safepoint between */
    for (int64_t i = 0; i < len; i++) l->v[i] = nx_mk_app_thunk(fn, nx_mk_int(i));
    RETURN_VALUE(nx_from_obj(l));
}

static int step_map(nx_vm *vm, nx_frame *f)
{
    nx_value fn = ARG(0), list = ARG(1);
    EXPECT(list, nx_is_list(list), "a list");
    /* Modern Nix checks the function once the list is not empty. */
    if (nx_list_len(list)) {
        NEED(fn);
        ARG(0) = fn;
        EXPECT(fn, nx_is_function(fn) || nx_is_attrs(fn), "a function");
    }
    uint32_t n = nx_list_len(list);
    if (n == 0) RETURN_VALUE(nx_empty_list);
    nx_list *l = nx_alloc_list_uninit(n);
    for (uint32_t i = 0; i < n; i++) l->v[i] = nx_mk_app_thunk(fn, nx_listp(list)->v[i]);
    RETURN_VALUE(nx_from_obj(l));
}

/* foldl' op nul list — slots: 0 accumulator, 1 index (the layout
 * NX_FRAME_FOLD2 names: vm/vm.h). */
NX_STATES(fold, "foldl'", FOLD_START, FOLD_LOOP, FOLD_APPLIED_ACC, FOLD_APPLIED_ELEM);

static int step_foldl(nx_vm *vm, nx_frame *f)
{
    nx_value list = ARG(2);
    switch (f->state) {
    case FOLD_START:
        EXPECT(list, nx_is_list(list), "a list");
        if (nx_list_len(list)) {
            nx_value op = ARG(0);
            NEED(op);
            ARG(0) = op;
            EXPECT(op, nx_is_function(op) || nx_is_attrs(op), "a function");
        }
        SLOT(0) = ARG(1);
        SLOT(1) = MKI(0);
        f->state = FOLD_LOOP;
        /* fall through */
    case FOLD_LOOP:
    loop: {
        int64_t i = I(SLOT(1));
        if (i == (int64_t)nx_list_len(list)) {
            nx_value acc = SLOT(0);
            NEED(acc);
            RETURN_VALUE(acc);
        }
        if (nx_is_curried2(ARG(0))) {
            /* The VM applies the operator to the next elements itself
             * (NX_FRAME_FOLD2): the step runs again after the last one. */
            f->flags |= NX_FRAME_FOLD2;
            CALL2(ARG(0), SLOT(0), nx_listp(list)->v[i], FOLD_APPLIED_ELEM);
        }
        CALL(ARG(0), SLOT(0), FOLD_APPLIED_ACC);
    }
    case FOLD_APPLIED_ACC: {
        nx_value g = RESULT();
        CALL(g, nx_listp(list)->v[I(SLOT(1))], FOLD_APPLIED_ELEM);
    }
    case FOLD_APPLIED_ELEM:
        SLOT(0) = RESULT();
        SLOT(1) = MKI(I(SLOT(1)) + 1);
        f->state = FOLD_LOOP;
        goto loop;
    }
    FAIL("internal error: bad state in foldl'");
}

/* filter f list — slots: 0 index, 1 output list (scratch), 2 count. */
NX_STATES(filter, "filter", FILTER_START, FILTER_LOOP, FILTER_TESTED);

static int step_filter(nx_vm *vm, nx_frame *f)
{
    nx_value list = ARG(1);
    switch (f->state) {
    case FILTER_START:
        EXPECT(list, nx_is_list(list), "a list");
        SLOT(0) = MKI(0);
        SLOT(1) = nx_from_obj(nx_alloc_list(nx_list_len(list)));
        SLOT(2) = MKI(0);
        f->state = FILTER_LOOP;
        /* fall through */
    case FILTER_LOOP:
    loop: {
        int64_t i = I(SLOT(0));
        if (i == (int64_t)nx_list_len(list)) {
            uint32_t k = (uint32_t)I(SLOT(2));
            if (k == 0) RETURN_VALUE(nx_empty_list);
            nx_list *out = nx_listp(SLOT(1));
            out->h.aux = k; /* shrink in place: the tail is unused */
            RETURN_VALUE(SLOT(1));
        }
        CALL(ARG(0), nx_listp(list)->v[i], FILTER_TESTED);
    }
    case FILTER_TESTED: {
        nx_value r = RESULT();
        EXPECT(r, r == NX_TRUE || r == NX_FALSE, "a Boolean");
        int64_t i = I(SLOT(0));
        if (r == NX_TRUE) {
            int64_t k = I(SLOT(2));
            nx_listp(SLOT(1))->v[k] = nx_listp(list)->v[i];
            SLOT(2) = MKI(k + 1);
        }
        SLOT(0) = MKI(i + 1);
        f->state = FILTER_LOOP;
        goto loop;
    }
    }
    FAIL("internal error: bad state in filter");
}

/* concatLists lists — slot 0: the index of the element being forced
 * (NX_FORCE_LISTS_INDEX).  A pass forces, checks and counts; at the first
 * unevaluated element the step asks for it with NX_STEP_FORCE_LISTS, and
 * from then on the dispatch loop forces the elements itself (vm/exec.c,
 * FORCE_LISTS): `concatMap f xs` is
 * `concatLists (map f xs)`, a list of thunks, and a step per element cost
 * more than the elements' own evaluation.  The step runs again once every
 * element is forced or one is not a list, and its pass from the start
 * (all forced then) reports the first non-list as before and counts. */
static int step_concatLists(nx_vm *vm, nx_frame *f)
{
    nx_value ls = ARG(0);
    EXPECT(ls, nx_is_list(ls), "a list");
    uint32_t n = nx_list_len(ls);
    nx_value *v = nx_listp(ls)->v;
    uint64_t total = 0;
    for (uint32_t i = 0; i < n; i++) {
        nx_value e = nx_deref(v[i]);
        if (nx_needs_force(e)) {
            SLOT(0) = nx_mk_smallint(i);
            vm->req = e;
            return NX_STEP_FORCE_LISTS;
        }
        v[i] = e;
        EXPECT(e, nx_is_list(e), "a list");
        total += nx_list_len(e);
    }
    nx_count.list_concats++; /* once per call, as CppNix's concatLists */
    if (total == 0) RETURN_VALUE(nx_empty_list);
    /* Lists are immutable: when only one is non-empty, it is the result. */
    uint32_t first = 0;
    while (nx_list_len(v[first]) == 0) first++;
    if (nx_list_len(v[first]) == total) RETURN_VALUE(v[first]);
    if (total > UINT32_MAX / 2) FAIL("list is too large");
    nx_list *r = nx_alloc_list_uninit((uint32_t)total);
    nx_value *out = r->v;
    for (uint32_t i = first; i < n; i++) {
        nx_list *e = nx_listp(v[i]);
        uint32_t len = e->h.aux;
        if (len <= 4) {
            for (uint32_t j = 0; j < len; j++) out[j] = e->v[j];
        } else {
            memcpy(out, e->v, len * sizeof(nx_value));
        }
        out += len;
    }
    RETURN_VALUE(nx_from_obj(r));
}

/* sort cmp list: a bottom-up stable merge sort whose comparisons are
 * calls of cmp.  Slots: 0 src, 1 dst, 2 width, 3 lo, 4 i, 5 j, 6 k. */
NX_STATES(sort, "sort", SORT_START, SORT_MERGE, SORT_STEP, SORT_APPLIED, SORT_COMPARED);

static int step_sort(nx_vm *vm, nx_frame *f)
{
    nx_value list = ARG(1);
    int64_t n = nx_is_list(list) ? nx_list_len(list) : 0;
    switch (f->state) {
    case SORT_START: {
        EXPECT(list, nx_is_list(list), "a list");
        if (n <= 1) RETURN_VALUE(list);
        {
            nx_value cmp = ARG(0);
            NEED(cmp);
            ARG(0) = cmp;
        }
        nx_list *src = nx_alloc_list((uint32_t)n), *dst = nx_alloc_list((uint32_t)n);
        memcpy(src->v, nx_listp(list)->v, n * sizeof(nx_value));
        SLOT(0) = nx_from_obj(src);
        SLOT(1) = nx_from_obj(dst);
        SLOT(2) = MKI(1);
        SLOT(3) = MKI(0);
        f->state = SORT_MERGE;
    }
        /* fall through */
    case SORT_MERGE:
    merge: {
        int64_t width = I(SLOT(2)), lo = I(SLOT(3));
        if (lo >= n) {
            nx_value t = SLOT(0);
            SLOT(0) = SLOT(1);
            SLOT(1) = t;
            width *= 2;
            SLOT(2) = MKI(width);
            if (width >= n) RETURN_VALUE(SLOT(0));
            lo = 0;
            SLOT(3) = MKI(0);
        }
        int64_t mid = lo + width < n ? lo + width : n;
        SLOT(4) = MKI(lo);
        SLOT(5) = MKI(mid);
        SLOT(6) = MKI(lo);
        f->state = SORT_STEP;
    }
        /* fall through */
    case SORT_STEP:
    step: {
        int64_t width = I(SLOT(2)), lo = I(SLOT(3));
        int64_t mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
        int64_t i = I(SLOT(4)), j = I(SLOT(5)), k = I(SLOT(6));
        nx_list *src = nx_listp(SLOT(0)), *dst = nx_listp(SLOT(1));
        if (i < mid && j < hi) {
            if (nx_is_curried2(ARG(0))) CALL2(ARG(0), src->v[j], src->v[i], SORT_COMPARED);
            CALL(ARG(0), src->v[j], SORT_APPLIED);
        }
        while (i < mid) dst->v[k++] = src->v[i++];
        while (j < hi) dst->v[k++] = src->v[j++];
        SLOT(3) = MKI(hi);
        f->state = SORT_MERGE;
        goto merge;
    }
    case SORT_APPLIED: {
        nx_value g = RESULT();
        CALL(g, nx_listp(SLOT(0))->v[I(SLOT(4))], SORT_COMPARED);
    }
    case SORT_COMPARED: {
        nx_value r = RESULT();
        EXPECT(r, r == NX_TRUE || r == NX_FALSE, "a Boolean");
        int64_t i = I(SLOT(4)), j = I(SLOT(5)), k = I(SLOT(6));
        nx_list *src = nx_listp(SLOT(0)), *dst = nx_listp(SLOT(1));
        /* Take the right element only if it is strictly less: stable. */
        if (r == NX_TRUE) dst->v[k++] = src->v[j++];
        else dst->v[k++] = src->v[i++];
        SLOT(4) = MKI(i);
        SLOT(5) = MKI(j);
        SLOT(6) = MKI(k);
        f->state = SORT_STEP;
        goto step;
    }
    }
    FAIL("internal error: bad state in sort");
}

static const nx_builtin table[] = {
    { "length", 1, 1, 0, false, step_length },
    { "elemAt", 2, 3, 0, false, step_elemAt },
    { "head", 1, 1, 0, false, step_head },
    { "tail", 1, 1, 0, false, step_tail },
    { "genList", 2, 3, 0, false, step_genList },
    { "map", 2, 2, 0, false, step_map },
    { "foldl'", 3, 4, 2, false, step_foldl }, /* NX_FOLD2_*: 3 arguments, 2 slots */
    { "filter", 2, 3, 3, false, step_filter },
    { "concatLists", 1, 1, 1, false, step_concatLists },
    { "sort", 2, 2, 7, false, step_sort },
};

const nx_builtin_table nx_builtins_lists = { table, NX_ARRAY_LEN(table) };
