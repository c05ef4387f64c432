/* closure.c — builtins.genericClosure. */
#include <string.h>

#include "vm/builtins/builtins.h"

#define I(v) nx_smallint(v)
#define MKI(i) nx_mk_smallint(i)

/* Slots: the work queue (a list used as a growable array, head and tail
 * indexes), the keys seen (in the order they came, with their count: node
 * n of the tree below holds key n - 1), the tree's links (S_LINKS: two
 * small integers a node, its left child, and its right child * 2 + 1 if it
 * is red; nodes are numbered from 1, 0 is none) and its root, the result
 * (the elements of the keys seen, in the same order, and its length), the
 * node the failed comparison was with (for the trace), the element whose
 * operator call is running, the operator, the operator's result and the
 * index of the next of its elements to force. */
enum { S_WORK, S_HEAD, S_TAIL, S_KEYS, S_NKEYS, S_LINKS, S_ROOT, S_RES, S_NRES, S_CMP, S_ELEM, S_OP, S_RET, S_I, S_NSLOTS };
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

/* The keys seen are a red-black tree compared as CppNix's doneKeys, a
 * std::set<Value *, CompareValues>: its insert goes down from the root
 * comparing the new key first (`key < node`, so errors name the new key's
 * type first), then compares the in-order predecessor of the place found
 * with the new key (`pred < key`; neither less: the key was seen), and
 * rebalances as libstdc++'s _Rb_tree does (the textbook insertion), so
 * the same pairs of keys are compared in the same order: which
 * comparison fails, and which thunk inside a list key is forced first,
 * are CppNix's.  A sorted array took O(n) a key to insert. */
static uint32_t lft(const nx_value *ln, uint32_t n) { return (uint32_t)I(ln[2 * n - 2]); }
static uint32_t rgt(const nx_value *ln, uint32_t n) { return (uint32_t)(I(ln[2 * n - 1]) >> 1); }
static bool red(const nx_value *ln, uint32_t n) { return n && (I(ln[2 * n - 1]) & 1); }
static void set_lft(nx_value *ln, uint32_t n, uint32_t c) { ln[2 * n - 2] = MKI(c); }
static void set_rgt(nx_value *ln, uint32_t n, uint32_t c) { ln[2 * n - 1] = MKI((int64_t)c * 2 + red(ln, n)); }
static void set_red(nx_value *ln, uint32_t n, bool r) { ln[2 * n - 1] = MKI((int64_t)rgt(ln, n) * 2 + r); }

/* Makes c the child of parent (0: the root) that old was. */
static void relink(nx_value *ln, uint32_t *root, uint32_t parent, uint32_t old, uint32_t c)
{
    if (!parent) *root = c;
    else if (lft(ln, parent) == old) set_lft(ln, parent, c);
    else set_rgt(ln, parent, c);
}

/* Child dir of n (0: left, 1: right), and setting it. */
static uint32_t child(const nx_value *ln, uint32_t n, int dir) { return dir ? rgt(ln, n) : lft(ln, n); }

static void set_child(nx_value *ln, uint32_t n, int dir, uint32_t c)
{
    if (dir) set_rgt(ln, n, c);
    else set_lft(ln, n, c);
}

/* Rotates x down to its side dir (0: a left rotation, its right child
 * rises; 1: a right rotation). */
static void rotate(nx_value *ln, uint32_t *root, uint32_t x, uint32_t parent, int dir)
{
    uint32_t y = child(ln, x, !dir);
    set_child(ln, x, !dir, child(ln, y, dir));
    set_child(ln, y, dir, x);
    relink(ln, root, parent, x, y);
}

/* The deepest path a tree of 2^32 nodes can have, with room for the new
 * node: a red-black tree's height is at most 2 log2(n + 1). */
enum { MAX_PATH = 2 * 32 + 2 };

/* Links node z, red and without children, below path[depth - 1] (left
 * when `left`; the root when depth is 0) and restores the red-black
 * invariants.  path[0..depth-1]: the nodes from the root down. */
static void tree_insert(nx_value *ln, uint32_t *root, uint32_t *path, uint32_t depth, bool left, uint32_t z)
{
    set_lft(ln, z, 0);
    ln[2 * z - 1] = MKI(1); /* no right child, red */
    if (!depth) *root = z;
    else if (left) set_lft(ln, path[depth - 1], z);
    else set_rgt(ln, path[depth - 1], z);
    path[depth] = z;
    uint32_t d = depth;
    /* path[d]: the red node whose parent may be red (then not the root,
     * which is black: d >= 2). */
    while (d >= 2 && red(ln, path[d - 1])) {
        uint32_t x = path[d], p = path[d - 1], g = path[d - 2], gg = d >= 3 ? path[d - 3] : 0;
        int side = p == lft(ln, g) ? 0 : 1; /* p is g's child on this side */
        uint32_t u = child(ln, g, !side);
        if (red(ln, u)) {
            set_red(ln, p, false);
            set_red(ln, u, false);
            set_red(ln, g, true);
            d -= 2;
            continue;
        }
        if (x == child(ln, p, !side)) {
            rotate(ln, root, p, g, side);
            p = x;
        }
        set_red(ln, p, false);
        set_red(ln, g, true);
        rotate(ln, root, g, gg, !side);
        break;
    }
    set_red(ln, *root, false);
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
        SLOT(S_LINKS) = grow(NX_NULL, 0, 32);
        SLOT(S_ROOT) = MKI(0);
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
        /* Down the tree (see tree_insert); forcing inside a list key
         * restarts this state, which has changed nothing yet. */
        const nx_list *keys = nx_listp(SLOT(S_KEYS));
        const nx_value *links = nx_listp(SLOT(S_LINKS))->v;
        uint32_t path[MAX_PATH], depth = 0, pred = 0;
        bool go_left = false, found = false;
        for (uint32_t x = (uint32_t)I(SLOT(S_ROOT)); x; depth++) {
            path[depth] = x;
            int c = less(vm, key, nx_deref(keys->v[x - 1]));
            if (c < 0) {
                SLOT(S_CMP) = MKI(x);
                return c == -1 ? NX_STEP_FORCE : NX_STEP_ERROR;
            }
            go_left = c;
            if (go_left) {
                x = lft(links, x);
            } else {
                pred = x;
                x = rgt(links, x);
            }
        }
        if (pred) {
            int c = less(vm, nx_deref(keys->v[pred - 1]), key);
            if (c < 0) {
                SLOT(S_CMP) = MKI(pred);
                return c == -1 ? NX_STEP_FORCE : NX_STEP_ERROR;
            }
            found = !c;
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
        if (2 * nk == nx_list_len(SLOT(S_LINKS))) SLOT(S_LINKS) = grow(SLOT(S_LINKS), 2 * nk, 4 * nk);
        push(f, S_KEYS, S_NKEYS, key);
        push(f, S_RES, S_NRES, e);
        uint32_t root = (uint32_t)I(SLOT(S_ROOT));
        tree_insert(nx_listp(SLOT(S_LINKS))->v, &root, path, depth, go_left, nk + 1);
        SLOT(S_ROOT) = MKI(root);
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
            /* The key the comparison failed with (the first the new key
             * met going down the tree), and its element. */
            nx_value key = nx_deref(nx_attrs_get(nx_attrsp(nx_deref(e)), nx_sym_intern_cstr("key"))->value);
            uint32_t x = (uint32_t)I(SLOT(S_CMP));
            if (incomparable(key, nx_deref(nx_listp(SLOT(S_KEYS))->v[x - 1]))) {
                elem_trace(vm, "with element %s", nx_listp(SLOT(S_RES))->v[x - 1]);
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
