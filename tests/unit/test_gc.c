/* test_gc.c — the collector's roots, one kind at a time: an object
 * survives a collection while a root of that kind refers to it, and does
 * not survive once the reference is gone.  Also: children are traced,
 * pinned objects need no root, evaluated thunks are short-circuited, and
 * a freed cell is reused by the allocator.  Generations: minor
 * collections keep old objects, the write barrier and the stacks' direct
 * referents keep young objects stored into old ones, and NIXE_GC_VERIFY
 * catches a missing barrier.  Output is TAP. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include <string.h>

#include "tests/unit/tap.h"
#include "vm/code.h"
#include "vm/heap.h"
#include "vm/store/context.h"
#include "vm/symbol.h"
#include "vm/vm.h"

static nx_vm *vm;

/* A major collection: everything unreachable is freed, old or young. */
static void collect(void) { nx_gc_collect_now(vm, true); }
static void minor(void) { nx_gc_collect_now(vm, false); }

/* A fresh heap string (not a constant, so not pinned). */
static nx_value str(const char *s) { return nx_mk_string(s, strlen(s), NULL); }

static void test_value_stack(void)
{
    nx_value s = str("on the stack");
    *vm->sp++ = s;
    collect();
    TAP_OK(nx_gc_survived(nx_obj_of(s)), "a value on the VM stack survives");
    vm->sp--;
    collect();
    TAP_OK(!nx_gc_survived(nx_obj_of(s)), "popped, it is collected");
}

static void test_frame_env(void)
{
    nx_env *up = nx_alloc_env(1, NULL);
    nx_env *e = nx_alloc_env(2, up);
    nx_value s = str("in an environment slot");
    e->slot[1] = s;
    nx_frame *f = ++vm->fp;
    memset(f, 0, sizeof *f);
    f->kind = NX_FRAME_CALL;
    f->env = e;
    f->base = vm->sp;
    collect();
    TAP_OK(nx_gc_survived(e) && nx_gc_survived(up) && nx_gc_survived(nx_obj_of(s)),
           "a frame's environment, its parent and its slots survive");
    vm->fp--;
    collect();
    TAP_OK(!nx_gc_survived(e) && !nx_gc_survived(up) && !nx_gc_survived(nx_obj_of(s)),
           "after the frame is popped they are collected");
}

static void test_env_stack(void)
{
    /* An environment on the VM's environment stack is a root while it is
     * below envs_sp (its parent and slots with it), whatever its gc byte
     * held before; popped, what it referred to is collected. */
    nx_env *up = nx_alloc_env(1, NULL);
    nx_value s = str("in a stack environment");
    nx_env *e = (nx_env *)vm->envs_sp;
    vm->envs_sp += sizeof(nx_env) + 2 * sizeof(nx_value);
    nx_init_env(e, 2, up);
    e->slot[1] = s;
    for (int round = 0; round < 3; round++) collect();
    TAP_OK(nx_gc_survived(up) && nx_gc_survived(nx_obj_of(s)),
           "a stack environment's parent and slots survive repeated collections");
    vm->envs_sp = (char *)e;
    collect();
    TAP_OK(!nx_gc_survived(up) && !nx_gc_survived(nx_obj_of(s)),
           "after it is popped they are collected");
}

static void test_blackhole(void)
{
    /* A thunk under evaluation keeps what it needs to be put back. */
    nx_value fn = str("fn"), arg = str("arg");
    nx_value t = nx_mk_app_thunk(fn, arg);
    nx_frame *f = ++vm->fp;
    memset(f, 0, sizeof *f);
    f->kind = NX_FRAME_THUNK;
    f->thunk = t;
    f->flags = NX_THUNK_APP;
    f->base = vm->sp;
    nx_obj_of(t)->aux = NX_THUNK_BLACKHOLE;
    collect();
    TAP_OK(nx_gc_survived(nx_obj_of(t)) && nx_gc_survived(nx_obj_of(fn)) && nx_gc_survived(nx_obj_of(arg)),
           "a blackholed application thunk keeps its function and argument");
    vm->fp--;
    nx_obj_of(t)->aux = NX_THUNK_APP;
    collect();
    TAP_OK(!nx_gc_survived(nx_obj_of(t)) && !nx_gc_survived(nx_obj_of(fn)), "its frame gone, all are collected");
}

static nx_value registered_slot;
static nx_value held_by_fn;
static void mark_held(nx_gc_mark_fn mark) { mark(held_by_fn); }

static void test_registered(void)
{
    nx_gc_add_root(&registered_slot);
    nx_gc_register_roots(mark_held);
    nx_value a = str("in a registered slot"), b = str("held by a root function");
    registered_slot = a;
    held_by_fn = b;
    collect();
    TAP_OK(nx_gc_survived(nx_obj_of(a)), "a value in a registered slot survives");
    TAP_OK(nx_gc_survived(nx_obj_of(b)), "a value a root function marks survives");
    registered_slot = NX_NULL;
    held_by_fn = NX_NULL;
    collect();
    TAP_OK(!nx_gc_survived(nx_obj_of(a)) && !nx_gc_survived(nx_obj_of(b)), "cleared, both are collected");
}

static void test_vm_registers(void)
{
    nx_value r = str("request");
    vm->req = r;
    collect();
    TAP_OK(nx_gc_survived(nx_obj_of(r)), "the VM's request register is a root");
    vm->req = NX_NOVALUE;
    collect();
    TAP_OK(!nx_gc_survived(nx_obj_of(r)), "cleared, it is collected");
}

static void test_pinned(void)
{
    nx_list *l = nx_alloc_list(1);
    nx_value s = str("a constant");
    l->v[0] = s;
    nx_heap_pin(nx_from_obj(l));
    collect();
    collect();
    TAP_OK(nx_gc_survived(l) && nx_gc_survived(nx_obj_of(s)), "pinned objects and what they reach need no root");
    /* The pinned cells' mark bits come back at each major collection: the
     * allocator does not hand them out again. */
    for (int i = 0; i < 20000; i++) (void)str("a constanT");
    TAP_OK(strcmp(((nx_string *)nx_obj_of(s))->s, "a constant") == 0 && l->v[0] == s,
           "and their cells are not reused after major collections");
}

static void test_children(void)
{
    nx_attrs *a = nx_alloc_attrs(1);
    nx_list *l = nx_alloc_list(2);
    nx_value s = str("deep");
    nx_env *e = nx_alloc_env(1, NULL);
    nx_value clo = nx_mk_closure(NULL, e);
    e->slot[0] = s;
    l->v[0] = clo;
    l->v[1] = nx_mk_int(INT64_MAX); /* boxed */
    a->a[0] = (nx_attr){ nx_sym_intern_cstr("x"), 0, nx_from_obj(l) };
    *vm->sp++ = nx_from_obj(a);
    collect();
    TAP_OK(nx_gc_survived(l) && nx_gc_survived(nx_obj_of(clo)) && nx_gc_survived(e) && nx_gc_survived(nx_obj_of(s)) &&
               nx_gc_survived(nx_obj_of(l->v[1])),
           "set -> list -> closure -> environment -> string, and a boxed integer, are traced");
    vm->sp--;
}

static void test_context(void)
{
    nx_ctxacc acc = { 0 };
    nx_ctx_add(&acc, "/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-x", 44);
    const nx_context *c = nx_ctx_finish(&acc);
    nx_value s = nx_mk_string("with context", 12, c);
    *vm->sp++ = s;
    collect();
    TAP_OK(c && nx_gc_survived(c), "a string's context survives with the string");
    vm->sp--;
    collect();
    TAP_OK(!nx_gc_survived(c), "and is collected with it");
}

static void test_shortcut(void)
{
    nx_value v = str("the value");
    nx_value t = nx_mk_app_thunk(NX_NULL, NX_NULL);
    nx_thunk *tp = (nx_thunk *)nx_obj_of(t);
    tp->h.aux = NX_THUNK_DONE;
    tp->a.value = v;
    nx_list *l = nx_alloc_list(1);
    l->v[0] = t;
    *vm->sp++ = nx_from_obj(l);
    collect();
    TAP_OK(l->v[0] == v, "a list slot holding an evaluated thunk now holds its value");
    TAP_OK(!nx_gc_survived(tp) && nx_gc_survived(nx_obj_of(v)), "the thunk is collected, the value kept");
    vm->sp--;
}

/* Marking queues children in a small prefetch ring (gc.c, visit): a
 * list much longer than the ring, whose slots hold chains of evaluated
 * thunks (each slot is queued again with the chain's value) beside
 * closures whose environments are linked through `up` (queued as
 * objects), and a long chain of nested lists (the worklist). */
static void test_many_children(void)
{
    enum { N = 300, DEPTH = 200 };
    nx_list *l = nx_alloc_list(2 * N + 1);
    nx_value vals[N];
    nx_thunk *outer[N], *inner[N];
    nx_env *envs[N];
    nx_env *up = NULL;
    for (int i = 0; i < N; i++) {
        char buf[32];
        snprintf(buf, sizeof buf, "value %d", i);
        vals[i] = str(buf);
        nx_value t1 = nx_mk_app_thunk(NX_NULL, NX_NULL), t2 = nx_mk_app_thunk(NX_NULL, NX_NULL);
        inner[i] = (nx_thunk *)nx_obj_of(t1);
        inner[i]->h.aux = NX_THUNK_DONE;
        inner[i]->a.value = vals[i];
        outer[i] = (nx_thunk *)nx_obj_of(t2);
        outer[i]->h.aux = NX_THUNK_DONE;
        outer[i]->a.value = t1;
        l->v[2 * i] = t2;
        envs[i] = up = nx_alloc_env(0, up);
        l->v[2 * i + 1] = nx_mk_closure(NULL, envs[i]);
    }
    nx_list *nest = NULL, *innermost = NULL;
    for (int d = 0; d < DEPTH; d++) {
        nx_list *n = nx_alloc_list(1);
        n->v[0] = nest ? nx_from_obj(nest) : nx_mk_int(INT64_MAX);
        if (!nest) innermost = n;
        nest = n;
    }
    l->v[2 * N] = nx_from_obj(nest);
    *vm->sp++ = nx_from_obj(l);
    collect();
    bool values = true, thunks_gone = true, envs_kept = true;
    for (int i = 0; i < N; i++) {
        values &= l->v[2 * i] == vals[i] && nx_gc_survived(nx_obj_of(vals[i]));
        thunks_gone &= !nx_gc_survived(outer[i]) && !nx_gc_survived(inner[i]);
        envs_kept &= nx_gc_survived(envs[i]);
    }
    TAP_OK(values, "each slot of a long list holds the value its chain of evaluated thunks ended in, kept");
    TAP_OK(thunks_gone, "and the thunks of the chains are collected");
    TAP_OK(envs_kept, "a chain of environments reached through closures survives");
    TAP_OK(nx_gc_survived(innermost) && nx_gc_survived(nx_obj_of(innermost->v[0])),
           "the innermost of 200 nested lists and its boxed integer survive");
    vm->sp--;
    collect();
    TAP_OK(!nx_gc_survived(innermost) && !nx_gc_survived(nx_obj_of(vals[0])) && !nx_gc_survived(envs[0]),
           "unreferenced, all of it is collected");
}

/* The marker keeps its worklist in locals while it drains and grows it
 * there (gc.c, drain): a list of 5000 slots, each an evaluated thunk of
 * a one-element list, puts 5000 objects on the worklist in one trace
 * (more than its first 4096 entries).  Consecutive slots of evaluated
 * thunks also make the ring's visit displace one queued thunk slot by
 * another, which the visit loop then short-circuits in turn. */
static void test_wide_worklist(void)
{
    enum { N = 5000 };
    static nx_list *inner[N];
    static nx_thunk *thunks[N];
    nx_list *l = nx_alloc_list(N);
    *vm->sp++ = nx_from_obj(l);
    for (int i = 0; i < N; i++) {
        char buf[32];
        snprintf(buf, sizeof buf, "element %d", i);
        inner[i] = nx_alloc_list(1);
        inner[i]->v[0] = str(buf);
        nx_value t = nx_mk_app_thunk(NX_NULL, NX_NULL);
        thunks[i] = (nx_thunk *)nx_obj_of(t);
        thunks[i]->h.aux = NX_THUNK_DONE;
        thunks[i]->a.value = nx_from_obj(inner[i]);
        l->v[i] = t;
    }
    collect();
    bool slots = true, kept = true, gone = true;
    for (int i = 0; i < N; i++) {
        char buf[32];
        snprintf(buf, sizeof buf, "element %d", i);
        slots &= l->v[i] == nx_from_obj(inner[i]);
        kept &= nx_gc_survived(inner[i]) && nx_gc_survived(nx_obj_of(inner[i]->v[0])) &&
                strcmp(nx_str(inner[i]->v[0])->s, buf) == 0;
        gone &= !nx_gc_survived(thunks[i]);
    }
    TAP_OK(slots, "each of 5000 slots holds its evaluated thunk's list");
    TAP_OK(kept, "every list and its string survive (the worklist grew while draining)");
    TAP_OK(gone, "and the thunks are collected");
    vm->sp--;
    collect();
}

/* The sweeper counts a block's live cells in the words of its mark
 * bitmap that cover cells only (gc.c, count_marks).  A block of 248-byte
 * cells has 262 cells, so its last word holds the bits of cells 256 to
 * 261: a block whose one live cell is its last must not go back to the
 * pool as empty, or the next blocks handed out would overwrite it. */
static void test_last_cell(void)
{
    enum { N = 600, LEN = 248 - 16 - 1 }; /* string header, NUL */
    static nx_string *all[N];
    char buf[LEN + 1];
    memset(buf, 'x', LEN);
    buf[LEN] = 0;
    for (int i = 0; i < N; i++) all[i] = (nx_string *)nx_obj_of(str(buf));
    /* In the block of the 300th string (all of it ours), the last cell. */
    uintptr_t block = (uintptr_t)all[299] & ~(uintptr_t)0xffff;
    nx_string *last = NULL;
    for (int i = 0; i < N; i++)
        if (((uintptr_t)all[i] & ~(uintptr_t)0xffff) == block && (!last || all[i] > last)) last = all[i];
    TAP_OK(last && (uintptr_t)last + 2 * 248 > block + 0x10000, "a string in the last cell of its block");
    memcpy(last->s, "the last cell", 14);
    *vm->sp++ = nx_from_obj(last);
    collect();
    for (int i = 0; i < 20000; i++) (void)str("filling new blocks");
    TAP_OK(nx_gc_survived(last) && strcmp(last->s, "the last cell") == 0,
           "it survives in place while new blocks are handed out");
    vm->sp--;
    collect();
}

/* A slot can be queued twice in one collection: a minor one traces an
 * object from the remembered set and again as a root.  The first visit
 * replaces an evaluated thunk by its value, here a number; the second
 * must see a number, not a thunk or an object. */
static void test_slot_twice(void)
{
    nx_list *l = nx_alloc_list(1);
    l->v[0] = NX_NULL;
    *vm->sp++ = nx_from_obj(l);
    collect(); /* old, and remembered as a root's direct referent */
    nx_value t = nx_mk_app_thunk(NX_NULL, NX_NULL);
    nx_thunk *tp = (nx_thunk *)nx_obj_of(t);
    tp->h.aux = NX_THUNK_DONE;
    tp->a.value = nx_mk_int(5);
    l->v[0] = t;
    minor();
    TAP_OK(l->v[0] == nx_mk_int(5) && !nx_gc_survived(tp),
           "a list traced from the remembered set and as a root holds its thunk's number");
    vm->sp--;
}

static void test_reuse(void)
{
    /* Fill a few blocks with garbage; after a collection the allocator
     * hands the same cells out again instead of growing the heap. */
    nx_gc_stats before, after;
    for (int i = 0; i < 20000; i++) (void)str("garbage garbage");
    collect();
    nx_gc_get_stats(&before);
    for (int i = 0; i < 20000; i++) (void)str("garbage garbage");
    nx_gc_get_stats(&after);
    TAP_OK(after.heap_bytes == before.heap_bytes, "freed cells are reused (heap %llu -> %llu bytes)",
           (unsigned long long)before.heap_bytes, (unsigned long long)after.heap_bytes);
    /* A large object (beyond the size classes) is freed too. */
    nx_list *big = nx_alloc_list(100000);
    nx_gc_get_stats(&before);
    collect();
    nx_gc_get_stats(&after);
    TAP_OK(after.heap_bytes + 100000 * sizeof(nx_value) <= before.heap_bytes, "a dead large list gives its memory back");
    (void)big;
}

/* Free runs: strings of one size class, every third kept.  After a
 * collection the dead cells are handed out again (the allocator bumps
 * through the runs between live cells, found in the blocks' mark
 * bitmaps) and the kept strings are untouched. */
static void test_free_runs(void)
{
    enum { N = 6000 };
    static nx_string *all[N];
    static char *reused[N];
    nx_list *keep = nx_alloc_list(N / 3);
    *vm->sp++ = nx_from_obj(keep);
    char buf[32];
    for (int i = 0; i < N; i++) {
        snprintf(buf, sizeof buf, "cell %05d", i);
        all[i] = (nx_string *)nx_obj_of(str(buf));
        if (i % 3 == 0) keep->v[i / 3] = nx_from_obj(all[i]);
    }
    collect();
    bool dead_freed = true;
    for (int i = 0; i < N; i++)
        if (nx_gc_survived(all[i]) != (i % 3 == 0)) dead_freed = false;
    TAP_OK(dead_freed, "the kept strings survive, the others do not");
    nx_gc_stats before, after;
    nx_gc_get_stats(&before);
    for (int i = 0; i < N; i++) reused[i] = (char *)nx_obj_of(str("new  value"));
    nx_gc_get_stats(&after);
    /* Each dead cell of the run of strings is handed out again. */
    int hits = 0;
    for (int i = 0, j = 0; i < N; i++) {
        if (i % 3 == 0) continue;
        while (j < N && reused[j] != (char *)all[i]) j++;
        if (j < N) hits++;
    }
    TAP_OK(hits == N / 3 * 2, "the dead cells between live ones are reused (%d of %d)", hits, N / 3 * 2);
    TAP_OK(after.heap_bytes == before.heap_bytes, "without growing the heap");
    bool intact = true;
    for (int i = 0; i < N; i += 3) {
        snprintf(buf, sizeof buf, "cell %05d", i);
        if (keep->v[i / 3] != nx_from_obj(all[i]) || strcmp(all[i]->s, buf) != 0) intact = false;
    }
    TAP_OK(intact, "and the live strings between them are intact");
    vm->sp--;
    collect();
}

/* nx_sym_of_string caches symbols by string address: a collection must
 * empty the cache, or a new string at a dead one's address would get the
 * dead one's symbol. */
static nx_sym sym_of(nx_value v, bool intern)
{
    return nx_sym_of_string(nx_str(v), nx_str(v)->s, nx_str_len(v), intern);
}

static void test_symbol_cache(void)
{
    nx_value a = str("cache-alpha");
    nx_sym sa = sym_of(a, true);
    TAP_OK(sa == nx_sym_intern("cache-alpha", 11) && sym_of(a, true) == sa, "a string's symbol, twice");
    TAP_OK(sym_of(str("cache-never"), false) == NX_SYM_NONE, "lookup of a name no symbol has");
    const void *addr = nx_obj_of(a);
    collect();
    nx_value b = 0;
    for (int i = 0; i < 100000 && !b; i++) {
        nx_value t = str("cache-omega");
        if (nx_obj_of(t) == addr) b = t;
    }
    TAP_OK(b != 0, "a new string takes the dead string's cell");
    if (b) TAP_OK(sym_of(b, false) == NX_SYM_NONE && sym_of(b, true) == nx_sym_intern("cache-omega", 11),
                  "and gets its own symbol, not the dead string's");
}


/* ---- generations --------------------------------------------------------- */

static void test_generations(void)
{
    nx_value s = str("old, then dropped");
    *vm->sp++ = s;
    minor();
    vm->sp--;
    nx_value y = str("young garbage");
    minor();
    TAP_OK(nx_gc_survived(nx_obj_of(s)), "an old object nothing refers to stays until a major collection");
    TAP_OK(!nx_gc_survived(nx_obj_of(y)), "young garbage is freed by a minor collection");
    collect();
    TAP_OK(!nx_gc_survived(nx_obj_of(s)), "the major collection frees the old object");
}

/* An outer list in a registered slot (so remembered as a root referent)
 * holding an inner list: after two collections the inner one is old and
 * not remembered, as most of the old heap is. */
static nx_list *old_inner_list(void)
{
    nx_list *outer = nx_alloc_list(1), *inner = nx_alloc_list(1);
    outer->v[0] = nx_from_obj(inner);
    inner->v[0] = NX_NULL;
    registered_slot = nx_from_obj(outer);
    collect();
    minor();
    return inner;
}

static void test_barrier(void)
{
    nx_list *inner = old_inner_list();
    TAP_OK(inner->h.gc == nx_gc_epoch, "the inner list is old and not remembered");
    nx_value y = str("young, stored into an old list");
    NX_GC_BARRIER(inner);
    inner->v[0] = y;
    minor();
    TAP_OK(nx_gc_survived(nx_obj_of(y)), "with the barrier, the young value survives a minor collection");
    TAP_OK(nx_gc_survived(inner) && inner->h.gc == nx_gc_epoch, "and the list is old and unremembered again");

    /* An evaluated thunk: the interpreter's most common write. */
    nx_value t = nx_mk_app_thunk(NX_NULL, NX_NULL);
    NX_GC_BARRIER(inner);
    inner->v[0] = t;
    minor();
    nx_value v = str("the thunk's value");
    nx_thunk *tp = (nx_thunk *)nx_obj_of(t);
    NX_GC_BARRIER_VALUE(tp, v);
    tp->a.value = v;
    tp->h.aux = NX_THUNK_DONE;
    minor();
    TAP_OK(nx_gc_survived(nx_obj_of(v)), "an old thunk updated with a young value keeps it");
    TAP_OK(tp->h.gc == nx_gc_epoch, "the thunk is old and unremembered again");
    NX_GC_BARRIER_VALUE(tp, nx_mk_smallint(7));
    NX_GC_BARRIER_VALUE(tp, v);
    TAP_OK(tp->h.gc == nx_gc_epoch, "storing an integer or an old value remembers nothing");
    registered_slot = NX_NULL;
    collect();
}

static void test_stack_referents(void)
{
    /* A builtin fills a list kept in its frame slot across safepoints and
     * returns it; the list, promoted while on the stack, is then stored
     * into an old object.  The collector remembered it at the collection
     * that saw it on the stack, so no barrier is needed for its slots. */
    nx_list *holder = old_inner_list();
    nx_list *l = nx_alloc_list(1);
    *vm->sp++ = nx_from_obj(l);
    minor();
    vm->sp--;
    nx_value y = str("stored by a builtin");
    l->v[0] = y;
    NX_GC_BARRIER(holder);
    holder->v[0] = nx_from_obj(l);
    minor();
    TAP_OK(nx_gc_survived(l) && nx_gc_survived(nx_obj_of(y)),
           "a list the stack held at the last collection is traced again at the next");
    registered_slot = NX_NULL;
    collect();
}

static void test_verifier(void)
{
    /* A deliberately missing barrier: NIXE_GC_VERIFY (set in main) makes
     * the minor collection abort with a message, in a child process. */
    fflush(stdout);
    int fds[2];
    if (pipe(fds) != 0) abort();
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], 2);
        close(fds[0]);
        nx_list *inner = old_inner_list();
        inner->v[0] = str("young, stored without a barrier");
        minor();
        _exit(0);
    }
    close(fds[1]);
    char buf[1024] = { 0 };
    size_t n = 0;
    for (ssize_t r; n < sizeof buf - 1 && (r = read(fds[0], buf + n, sizeof buf - 1 - n)) > 0;) n += (size_t)r;
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    TAP_OK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT, "the verifier aborts on a missing barrier");
    TAP_OK(strstr(buf, "young string") && strstr(buf, "old list") && strstr(buf, "missing write barrier"),
           "naming the young object and the old one that points to it");
    printf("# %s", buf);
}

/* After a collection that freed most of the heap, the next one comes
 * once the memory the heap holds populated (empty blocks, free cells) is
 * used up, not after the 1 MiB threshold (set in main) that the small
 * live size would give, and the heap does not grow meanwhile. */
static void test_resident_nursery(void)
{
    enum { CELL = 32 }; /* a string header, its context and 16 bytes */
    nx_gc_collect(vm);
    for (size_t i = 0; i < ((size_t)8 << 20) / CELL; i++) (void)str("garbage garbage");
    nx_gc_collect(vm);
    TAP_OK(!nx_gc_pending, "no collection pending after one");
    nx_gc_stats before, after;
    nx_gc_get_stats(&before);
    size_t n = 0;
    while (!nx_gc_pending && n < ((size_t)64 << 20) / CELL) {
        (void)str("garbage garbage");
        n++;
    }
    nx_gc_get_stats(&after);
    TAP_OK(n * CELL >= (size_t)6 << 20, "the nursery spans the freed memory (%zu KiB allocated before the next collection)",
           n * CELL >> 10);
    TAP_OK(n < ((size_t)64 << 20) / CELL, "and a collection comes once it is used up");
    TAP_OK(after.heap_bytes <= before.heap_bytes + ((size_t)64 << 10), "in the freed cells, the heap grown by a block at most (%llu -> %llu bytes)",
           (unsigned long long)before.heap_bytes, (unsigned long long)after.heap_bytes);
    nx_gc_collect(vm);
}

/* nx_gc_collect chooses: with the old generation at most half the
 * nursery it traces everything (an old object nothing refers to is freed);
 * with a larger one (4 MiB kept live beside the 1 MiB threshold set in
 * main, and little free memory) it makes a minor collection, which keeps
 * that object. */
static void test_small_old_major(void)
{
    enum { CELL = 32, KEEP = ((size_t)4 << 20) / CELL };
    nx_gc_collect_now(vm, true);
    nx_value s = str("old, then dropped");
    *vm->sp++ = s;
    nx_gc_collect_now(vm, true);
    vm->sp--;
    nx_gc_stats before, after;
    nx_gc_get_stats(&before);
    nx_gc_collect(vm);
    nx_gc_get_stats(&after);
    TAP_OK(after.major_cycles == before.major_cycles + 1 && !nx_gc_survived(nx_obj_of(s)),
           "a small old generation: the collection is major and frees old garbage");

    nx_list *big = nx_alloc_list(KEEP);
    for (size_t i = 0; i < KEEP; i++) big->v[i] = str("kept kept kept!");
    registered_slot = nx_from_obj(big);
    nx_gc_collect_now(vm, true);
    s = str("old, then dropped");
    *vm->sp++ = s;
    nx_gc_collect_now(vm, false);
    vm->sp--;
    nx_gc_get_stats(&before);
    TAP_OK(before.live_bytes > ((size_t)4 << 20), "%llu bytes live", (unsigned long long)before.live_bytes);
    nx_gc_collect(vm);
    nx_gc_get_stats(&after);
    TAP_OK(after.major_cycles == before.major_cycles && after.cycles == before.cycles + 1 && nx_gc_survived(nx_obj_of(s)),
           "a large one: the collection is minor and keeps old garbage");
    registered_slot = NX_NULL;
    nx_gc_collect_now(vm, true);
}

int main(void)
{
    /* No stress mode here: each test collects exactly when it says so. */
    unsetenv("NIXE_GC_STRESS");
    /* Every minor collection here is checked by a full trace. */
    setenv("NIXE_GC_VERIFY", "1", 1);
    /* A small threshold, so test_resident_nursery tells it from the
     * heap's free memory. */
    setenv("NIXE_GC_INITIAL", "1048576", 1);
    vm = nx_vm_new(1000);
    test_value_stack();
    test_frame_env();
    test_env_stack();
    test_blackhole();
    test_registered();
    test_vm_registers();
    test_pinned();
    test_children();
    test_context();
    test_shortcut();
    test_many_children();
    test_wide_worklist();
    test_last_cell();
    test_slot_twice();
    test_reuse();
    test_free_runs();
    test_symbol_cache();
    test_generations();
    test_barrier();
    test_stack_referents();
    test_verifier();
    test_resident_nursery();
    test_small_old_major();
    nx_vm_free(vm);
    return TAP_DONE();
}
