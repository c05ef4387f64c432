/* test_layers.c — layered attribute sets (vm/value.h).  `a // b` with b
 * small beside a shares a; lookups walk the layers; nx_attrsp makes the
 * flat view once and keeps it, after which the layers below can be
 * collected; the collector traces a layer's base and entries.  Random
 * chains of updates are checked against a plain model.  Output is TAP. */
#include <stdlib.h>
#include <string.h>

#include "tests/unit/tap.h"
#include "vm/heap.h"
#include "vm/ops.h"
#include "vm/symbol.h"
#include "vm/vm.h"

static nx_vm *vm;

enum { POOL = 400, STEPS = 400, BASE = 40, MAX_DEPTH = 16 /* LAYER_MAX_DEPTH in vm/ops.c */ };

static nx_sym pool[POOL];

/* A flat set of the names pool[first + i * stride], i < n, with values
 * v0 + i and position id pos. */
static nx_value mkset(int first, int stride, int n, int64_t v0, uint32_t pos)
{
    nx_attrs *a = nx_alloc_attrs((uint32_t)n);
    for (int i = 0; i < n; i++) a->a[i] = (nx_attr){ pool[(first + i * stride) % POOL], pos, nx_mk_int(v0 + i) };
    if (nx_attrs_sort(a)) abort();
    return nx_from_obj(a);
}

static nx_value update(nx_value a, nx_value b)
{
    nx_value r = NX_NOVALUE;
    if (!nx_update(vm, a, b, &r)) abort();
    return r;
}

static bool layered(nx_value v) { return nx_attrs_obj_layered(nx_attrs_raw(v)); }

/* The value of the model: model[v][name] = value + 1, 0 = absent. */
static int64_t model[STEPS + 1][POOL];
static nx_value version[STEPS + 1];

/* Whether set v agrees with model row m by lookups (nx_attrs_find). */
static bool agrees_by_find(nx_value v, const int64_t *m)
{
    uint32_t count = 0;
    for (int i = 0; i < POOL; i++) {
        nx_attr *a = nx_attrs_find(v, pool[i]);
        count += m[i] != 0;
        if ((a != NULL) != (m[i] != 0)) return false;
        if (a && nx_int_val(a->value) != m[i] - 1) return false;
    }
    return nx_attrs_count(v) == count;
}

/* Whether the flat set f holds exactly model row m, sorted by symbol. */
static bool agrees_flat(const nx_attrs *f, const int64_t *m)
{
    uint32_t count = 0;
    for (int i = 0; i < POOL; i++) count += m[i] != 0;
    if (f->h.aux != count || nx_attrs_obj_layered(f)) return false;
    for (uint32_t j = 0; j < f->h.aux; j++) {
        if (j && f->a[j - 1].name >= f->a[j].name) return false;
        int i = 0;
        while (i < POOL && pool[i] != f->a[j].name) i++;
        if (i == POOL || m[i] != nx_int_val(f->a[j].value) + 1) return false;
    }
    return true;
}

static void test_chain(void)
{
    srand(7);
    version[0] = mkset(0, 1, BASE, 0, 0);
    for (int i = 0; i < BASE; i++) model[0][i] = i + 1;
    int nlayered = 0, nflat = 0, maxdepth = 0;
    for (int s = 1; s <= STEPS; s++) {
        /* Mostly a few names (some new, some shadowing), sometimes many. */
        int n = rand() % 10 == 0 ? 60 + rand() % 100 : 1 + rand() % 5;
        /* Strides coprime with POOL = 400: the n names are distinct. */
        static const int strides[] = { 1, 3, 7, 9, 11, 13 };
        int first = rand() % POOL, stride = strides[rand() % 6];
        nx_value b = mkset(first, stride, n, s * 1000, (uint32_t)s);
        /* Updates build on a random earlier version now and then, so
         * chains branch (layers are shared, never changed). */
        int from = rand() % 8 == 0 ? rand() % s : s - 1;
        version[s] = update(version[from], b);
        memcpy(model[s], model[from], sizeof model[s]);
        for (int i = 0; i < n; i++) model[s][(first + i * stride) % POOL] = s * 1000 + i + 1;
        if (layered(version[s])) {
            nlayered++;
            int d = (int)((nx_attrs_layer *)nx_attrs_raw(version[s]))->depth;
            if (d > maxdepth) maxdepth = d;
        } else {
            nflat++;
        }
    }
    TAP_OK(nlayered > STEPS / 2 && nflat > 0, "small right sides layer, big ones copy (%d layered, %d flat)",
           nlayered, nflat);
    TAP_OK(maxdepth >= 3 && maxdepth <= MAX_DEPTH, "chains are deeper than one layer and bounded (max depth %d)",
           maxdepth);
    int bad = 0;
    for (int s = 0; s <= STEPS; s++) bad += !agrees_by_find(version[s], model[s]);
    TAP_OK(bad == 0, "every version answers lookups as its model (%d disagree)", bad);

    /* Flatten every third version, newest first (so some flatten over
     * layers that are flattened already), and check them all again. */
    bad = 0;
    int cached = 0, dropped = 0, total = 0;
    for (int s = STEPS; s >= 0; s -= 3) {
        nx_attrs *f = nx_attrsp(version[s]);
        bad += !agrees_flat(f, model[s]);
        if (layered(version[s])) {
            nx_attrs_layer *l = (nx_attrs_layer *)nx_attrs_raw(version[s]);
            total++;
            cached += nx_attrsp(version[s]) == f && l->flat == f;
            dropped += l->base == NULL && l->n == 0;
        }
    }
    TAP_OK(bad == 0, "flat views hold the model's entries, sorted by symbol (%d disagree)", bad);
    TAP_OK(cached == total && dropped == total, "the flat view is kept and the layers dropped (%d/%d/%d)", cached,
           dropped, total);
    bad = 0;
    for (int s = 0; s <= STEPS; s++) bad += !agrees_by_find(version[s], model[s]);
    TAP_OK(bad == 0, "after flattening, lookups still agree (%d disagree)", bad);
    /* Updates over flattened versions. */
    bad = 0;
    for (int s = 0; s <= STEPS; s += 3) {
        nx_value r = update(version[s], mkset(5, 1, 2, 77, 0));
        int64_t m[POOL];
        memcpy(m, model[s], sizeof m);
        m[5] = 78, m[6] = 79;
        bad += !agrees_by_find(r, m) || !agrees_flat(nx_attrsp(r), m);
    }
    TAP_OK(bad == 0, "updates over flattened sets (%d disagree)", bad);
}

static void test_positions_and_empty(void)
{
    nx_value a = mkset(0, 1, 32, 0, 11);
    nx_value b = update(a, mkset(3, 1, 2, 100, 22));
    nx_value c = update(b, mkset(4, 1, 2, 200, 33));
    TAP_OK(layered(b) && layered(c), "small updates of a 32-name set layer");
    TAP_OK(nx_attrs_find(c, pool[3])->pos == 22 && nx_attrs_find(c, pool[4])->pos == 33 &&
               nx_attrs_find(c, pool[0])->pos == 11,
           "an entry's position is the winning layer's");
    TAP_OK(update(c, nx_empty_attrs) == c && update(nx_empty_attrs, c) == c, "an empty side returns the other set");
    nx_attrs *f = nx_attrsp(c);
    TAP_OK(nx_attrs_get(f, pool[4])->pos == 33 && nx_attrs_get(f, pool[3])->pos == 22, "and the flat view's too");
    nx_value big = update(a, mkset(100, 1, 9, 0, 0));
    TAP_OK(!layered(big) && nx_attrs_count(big) == 41, "a right side over a quarter of the left is merged flat");
    nx_value small = update(mkset(0, 1, 15, 0, 0), mkset(100, 1, 1, 0, 0));
    TAP_OK(!layered(small), "a left side under 16 names is merged flat");
}

static void test_gc(void)
{
    nx_value base = mkset(0, 1, BASE, 0, 0);
    nx_value s = nx_mk_string("in a layer", 10, NULL);
    nx_attrs *top = nx_alloc_attrs(1);
    top->a[0] = (nx_attr){ pool[200], 0, s };
    nx_value l = update(base, nx_from_obj(top));
    TAP_OK(layered(l), "a one-name update of a 40-name set is layered");
    *vm->sp++ = l;
    nx_gc_collect_now(vm, true);
    TAP_OK(nx_gc_survived(nx_obj_of(l)) && nx_gc_survived(nx_obj_of(base)) && nx_gc_survived(nx_obj_of(s)),
           "a layered set keeps its base and its entries alive");
    nx_attrs *f = nx_attrsp(l);
    nx_gc_collect_now(vm, true);
    TAP_OK(nx_gc_survived(f) && nx_gc_survived(nx_obj_of(s)) && !nx_gc_survived(nx_obj_of(base)),
           "once flattened, the flat view lives and the base is collected");
    TAP_OK(nx_attrs_find(l, pool[200]) && nx_attrs_find(l, pool[200])->value == s &&
               nx_int_val(nx_attrs_find(l, pool[7])->value) == 7,
           "and lookups go through the flat view");
    vm->sp--;
    nx_gc_collect_now(vm, true);
    TAP_OK(!nx_gc_survived(nx_obj_of(l)) && !nx_gc_survived(f) && !nx_gc_survived(nx_obj_of(s)),
           "unreferenced, all of it is collected");

    /* Generations: an old layered set, reachable only through an old
     * list, flattened after the collection made both old; its young flat
     * view must survive a minor collection (the barrier in the flatten). */
    nx_value s2 = nx_mk_string("in a later layer", 16, NULL);
    nx_attrs *top2 = nx_alloc_attrs(1);
    top2->a[0] = (nx_attr){ pool[200], 0, s2 };
    nx_value l2 = update(mkset(0, 1, BASE, 0, 0), nx_from_obj(top2));
    nx_list *holder = nx_alloc_list(1);
    holder->v[0] = l2;
    *vm->sp++ = nx_from_obj(holder);
    nx_gc_collect_now(vm, true);
    nx_attrs *f2 = nx_attrsp(l2);
    nx_gc_collect_now(vm, false);
    TAP_OK(nx_gc_survived(f2) && nx_attrs_find(l2, pool[200]) && nx_attrs_find(l2, pool[200])->value == s2,
           "an old layered set flattened after a collection keeps its young flat view across a minor one");
    vm->sp--;
}

/* A flat set of n fresh names "d<first + i>" with values first + i. */
static nx_value dset(int first, int n)
{
    char buf[24];
    nx_attrs *a = nx_alloc_attrs((uint32_t)n);
    for (int i = 0; i < n; i++) {
        snprintf(buf, sizeof buf, "d%d", first + i);
        a->a[i] = (nx_attr){ nx_sym_intern_cstr(buf), 0, nx_mk_int(first + i) };
    }
    if (nx_attrs_sort(a)) abort();
    return nx_from_obj(a);
}

static void test_depth_bound(void)
{
    /* Each new layer is smaller than half the one below, so none is
     * absorbed: sizes 2^17 - 1 down to 1 over 2^19 names make chains of
     * depth 1, 2, ... until the bound, where the update is merged flat. */
    int next = 1 << 19, depth_ok = 0, k = 16;
    nx_value v = dset(0, next);
    for (; k >= 0; k--) {
        int n = (2 << k) - 1;
        v = update(v, dset(next, n));
        next += n;
        if (!layered(v)) break;
        depth_ok += (int)((nx_attrs_layer *)nx_attrs_raw(v))->depth == 17 - k;
    }
    TAP_OK(depth_ok == MAX_DEPTH && k == 16 - MAX_DEPTH && !layered(v),
           "layers stack up to depth %d, then the update is merged flat (%d, k = %d)", MAX_DEPTH, depth_ok, k);
    char buf[24];
    int bad = nx_attrs_count(v) != (uint32_t)next;
    for (int i = 0; i < next; i += 997) {
        snprintf(buf, sizeof buf, "d%d", i);
        nx_attr *a = nx_attrs_find(v, nx_sym_intern_cstr(buf));
        bad += !a || nx_int_val(a->value) != i;
    }
    TAP_OK(bad == 0, "the merged set holds all %d names", next);
}

int main(void)
{
    unsetenv("NIXE_GC_STRESS");
    vm = nx_vm_new(1000);
    char buf[16];
    for (int i = 0; i < POOL; i++) {
        snprintf(buf, sizeof buf, "n%d", i);
        pool[i] = nx_sym_intern_cstr(buf);
    }
    test_positions_and_empty();
    test_gc();
    test_chain();
    test_depth_bound();
    nx_vm_free(vm);
    return TAP_DONE();
}
