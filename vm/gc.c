/* gc.c — the Nix heap's allocator and its precise mark-sweep collector.
 *
 * Memory comes from the kernel in chunks (1 MiB growing to 8 MiB, mapped
 * pre-faulted, in transparent huge pages unless NIXE_HUGEPAGES=0), cut
 * into 64 KiB blocks aligned to their size.  Each block
 * serves one size class: 8-byte steps up to NX_SMALL_MAX, then quarter
 * powers of two up to MEDIUM_MAX; larger objects are allocated one by one
 * with malloc (jemalloc) and kept in a table.
 *
 * Allocation never collects.  It counts the memory taken from new blocks
 * and large objects; past the threshold it sets nx_gc_pending, and the VM
 * calls nx_gc_collect at its next safepoint (a frame push, or one of the
 * operators `//`, `++`, `+` before it allocates), when the VM's
 * value stack up to vm->sp, its frames and the registered roots hold every
 * live value.  Marking uses an explicit worklist (never recursion), and
 * prefetches each child through a small ring before reading its header; the
 * mark is the header's gc byte set to the current epoch, which alternates
 * between 1 and 2 at each major collection, so no pass clears marks.
 * Marking also sets the cell's bit in its block's mark bitmap, and the
 * sweep reads only the bitmaps: a block with no bit set returns to a pool
 * shared by all classes, and the others are swept lazily, when their
 * class needs cells, by bumping through their runs of clear bits (dead
 * cells are not read or linked, only written when handed out again).
 * Large objects are freed.
 *
 * Generations (docs/memory.md): marks are sticky.  A minor collection
 * keeps the epoch, so every object that survived an earlier collection
 * is still marked ("old"); it marks from the roots and the remembered set
 * and frees only the young (unmarked) cells.  The remembered set holds old
 * objects written since the last collection (NX_GC_BARRIER in heap.h) and
 * the objects the stacks, frames and registered roots held directly at
 * it.  A major collection (the first, whenever the old generation has
 * doubled, and while it is at most half the nursery: small_old) flips
 * the epoch and traces everything.  NIXE_GC_VERIFY=N checks
 * every Nth minor collection against a full trace; NIXE_GC_GENERATIONAL=0
 * makes every collection major; NIXE_GC_MAJOR_GROWTH (default 2) is the
 * old generation's growth allowed between major collections.
 *
 * Tuning (environment): NIXE_GC_INITIAL (bytes, default 32 MiB) is the
 * growth before the first collection, NIXE_GC_GROWTH (default 1.0) the
 * growth allowed after a collection as a multiple of the live heap (in
 * generational mode at least the heap's free populated memory);
 * NIXE_GC_STRESS=N collects at every Nth safepoint (1: every one), so a
 * value the collector cannot see is freed at once — under AddressSanitizer
 * freed cells are poisoned and such a bug is reported where it is used. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "profiler/profiler.h"
#include "vm/code.h"
#include "vm/heap.h"
#include "vm/vm.h"
#ifdef NX_ASAN
#include <sanitizer/lsan_interface.h>
#endif

#define BLOCK_SIZE ((size_t)64 << 10)
#define MEDIUM_MAX 8192
#define CHUNK_MIN ((size_t)1 << 20)
#define CHUNK_MAX ((size_t)8 << 20)
#define NSMALL (NX_SMALL_MAX / 8 + 1)
#define NMEDIUM 20
#define NCLASSES (NSMALL + NMEDIUM)
/* Empty blocks always kept populated after a collection (see release_blocks). */
#define KEEP_FREE_BLOCKS 256

/* One bit per cell in the block's mark bitmap: a 64 KiB block has at most
 * (64 KiB - header) / 16 < 4096 cells. */
#define MARK_WORDS 64

typedef struct block {
    struct block *next;   /* in its class's list, or in the free pool */
    uint32_t cls;
    uint32_t cell;        /* cell size in bytes */
    uint32_t ncells;      /* cells in the block */
    uint32_t magic;       /* cell index = (offset from the first cell * magic) >> 32 */
    uint32_t nlive;       /* live cells (mark bits set) when the last collection sorted the block */
    uint64_t *pinmap;     /* the pinned cells' bits (malloc'd at the first pin), else NULL */
    /* The mark bitmap: a cell's bit is set when the collector marks it
     * (or it is pinned), and stays set while the cell is old, as the
     * header's gc byte does (sticky marks); cleared before a major
     * collection.  Sweeping reads only this: a clear bit is a free cell. */
    uint64_t mark[MARK_WORDS];
} block;

/* Cells start after the block header, 16-byte aligned. */
#define BLOCK_HDR ((sizeof(block) + 15) & ~(size_t)15)

static inline char *block_cells(block *b) { return (char *)b + BLOCK_HDR; }

/* The index of the cell at p in its block: a multiplication by the
 * block's reciprocal of the cell size (exact for offsets below 64 KiB and
 * cells below 64 KiB), not a division. */
static inline uint32_t cell_index(const block *b, const void *p)
{
    uint64_t off = (uint64_t)((const char *)p - ((const char *)b + BLOCK_HDR));
    return (uint32_t)((off * b->magic) >> 32);
}

nx_sizeclass nx_classes[NCLASSES];
bool nx_gc_pending;

static uint32_t class_size[NCLASSES];
/* A class's blocks: swept ones (full, or allocated from since the last
 * collection) and those the last collection found partly live, whose
 * free runs the class allocates from when it needs cells (refill). */
static block *swept_blocks[NCLASSES];
static block *unswept_blocks[NCLASSES];
/* The block whose free runs the class is allocating from, and the cell
 * where the search for its next free run starts. */
static block *sweeping[NCLASSES];
static uint32_t sweep_next[NCLASSES];
/* Empty blocks, any class: populated ones (taken first) and ones whose
 * pages were given back to the kernel (release_blocks).  Arrays, not
 * lists through the blocks, so a released block keeps no header and
 * neighbouring blocks are given back with one madvise. */
static block **pool, **pool_released;
static size_t npool, cappool, npool_released, cappool_released;
#define nfree_blocks (npool + npool_released)

static void pool_push(block ***v, size_t *n, size_t *cap, block *b)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 256;
        *v = nx_xrealloc(*v, *cap * sizeof **v);
    }
    (*v)[(*n)++] = b;
}

static char *chunk_cur, *chunk_end;

/* Which 64 KiB granules of the address space hold blocks: a two-level
 * bitmap (4 GiB regions → 65536 bits), so marking can tell a block's cell
 * (whose block counts its live cells) from a large object. */
static uint64_t *pagemap[1u << 16];

static inline bool in_blocks(const void *p)
{
    uintptr_t a = (uintptr_t)p;
    const uint64_t *leaf = pagemap[(a >> 32) & 0xffff];
    uint32_t g = (uint32_t)(a >> 16) & 0xffff;
    return leaf && (leaf[g >> 6] >> (g & 63) & 1);
}

static inline block *block_of(const void *p) { return (block *)((uintptr_t)p & ~(uintptr_t)(BLOCK_SIZE - 1)); }

/* Sets the mark bit of o's cell if o is in a block (not a large object,
 * a static object or a stack environment). */
static inline void set_mark_bit(const void *o)
{
    if (in_blocks(o)) {
        block *b = block_of(o);
        uint32_t i = cell_index(b, o);
        b->mark[i >> 6] |= (uint64_t)1 << (i & 63);
    }
}

static inline bool mark_bit(const void *o)
{
    block *b = block_of(o);
    uint32_t i = cell_index(b, o);
    return b->mark[i >> 6] >> (i & 63) & 1;
}

/* The live cells of a block: the bits set in the words of its mark
 * bitmap that cover cells (a block of 16-byte cells uses all 64 words,
 * one of 48-byte cells 22).  The default build targets x86-64 without
 * POPCNT, where __builtin_popcountll is a dozen instructions, so a
 * second version is compiled for POPCNT and chosen at start-up when the
 * processor has it. */
static inline __attribute__((always_inline)) uint32_t count_marks_in(const block *b)
{
    uint32_t n = 0;
    for (uint32_t w = 0; w < (b->ncells + 63) / 64; w++) n += (uint32_t)__builtin_popcountll(b->mark[w]);
    return n;
}
static uint32_t count_marks_plain(const block *b) { return count_marks_in(b); }
#if defined(__x86_64__) && !defined(__POPCNT__)
/* The same loop, inlined where the popcount builtin is one instruction. */
__attribute__((target("popcnt"))) static uint32_t count_marks_popcnt(const block *b) { return count_marks_in(b); }
#endif
static uint32_t (*count_marks)(const block *b) = count_marks_plain;

static void pagemap_add(char *start, size_t size)
{
    for (uintptr_t a = (uintptr_t)start; a < (uintptr_t)start + size; a += BLOCK_SIZE) {
        uint64_t **leaf = &pagemap[(a >> 32) & 0xffff];
        if (!*leaf) *leaf = nx_xcalloc(1u << 10, sizeof **leaf);
        uint32_t g = (uint32_t)(a >> 16) & 0xffff;
        (*leaf)[g >> 6] |= (uint64_t)1 << (g & 63);
    }
}
static size_t chunk_size = CHUNK_MIN;

typedef struct { void *p; size_t size; } large_obj;
static large_obj *larges;
static size_t nlarges, caplarges;

static size_t heap_bytes;         /* blocks in use or pooled + large objects */
static size_t since_gc;           /* growth since the last collection */
static size_t threshold, initial_threshold;
static size_t heap_limit;
static double growth = 1.0;
static uint64_t stress_every, stress_count;
static bool wanted; /* the heap asked for a collection (stress mode keeps nx_gc_pending set) */
static bool verbose;       /* NIXE_GC_VERBOSE: a line per collection on stderr */
static bool hugepages;     /* NIXE_HUGEPAGES: heap chunks in transparent huge pages */
static bool populate;      /* not NIXE_NO_POPULATE: fault chunks in ahead of use */
static bool census_each;   /* NIXE_GC_CENSUS=each: a census after every major collection */
static double boost = 1;
static bool last_wasted;   /* the previous collection freed little too */   /* growth multiplier after collections that freed little */
static size_t heap_in_use; /* bytes in class blocks and large objects at the last collection */
static uint64_t budget_steps, budget_count; /* nx_gc_set_budget */
static size_t budget_heap;
void (*nx_heap_oom_hook)(void);

static inline void want_gc(void)
{
    nx_gc_pending = true;
    wanted = true;
}
uint8_t nx_gc_epoch = 1;
#define epoch nx_gc_epoch
static nx_gc_stats stats;

/* Whether a header's gc byte says "keep": marked (old), remembered,
 * pinned, or a stack environment. */
static inline bool gc_live(uint8_t g) { return g == epoch || g >= NX_GC_STACK; }

/* ---- generations ---------------------------------------------------------
 * Sticky marks: after a collection every survivor keeps its mark and is
 * "old"; objects allocated since are young (gc byte 0).  A minor
 * collection does not change the epoch: it marks from the roots and the
 * remembered set, stops at old objects, and frees only unmarked (young)
 * cells.  A major collection flips the epoch, so every object is unmarked
 * again and the whole heap is traced. */
static bool generational = true;  /* NIXE_GC_GENERATIONAL=0: every collection is major */
static double major_growth = 2.0; /* NIXE_GC_MAJOR_GROWTH */
static size_t major_trigger;      /* live bytes past which the next collection is major */
static uint64_t verify_every;     /* NIXE_GC_VERIFY=N: check every Nth minor collection with a full trace */
static bool minor_now;            /* the collection under way is minor */

/* The remembered set: old objects written since the last collection (the
 * barrier) and old objects the stacks held at it (mark_roots).  Each is
 * listed once: its gc byte is NX_GC_REMEMBERED while it is listed. */
static nx_obj **remset, **remset_old;
static size_t nremset, capremset, capremset_old;

static void remset_push(nx_obj *o)
{
    if (nremset == capremset) {
        capremset = capremset ? capremset * 2 : 1024;
        remset = nx_xrealloc(remset, capremset * sizeof *remset);
    }
    remset[nremset++] = o;
}

void nx_gc_remember(nx_obj *o)
{
    o->gc = NX_GC_REMEMBERED;
    remset_push(o);
}

/* ---- registered roots ---------------------------------------------------- */

static nx_value **root_slots;
static size_t nroot_slots, caproot_slots;
static void (**root_fns)(nx_gc_mark_fn);
static size_t nroot_fns, caproot_fns;

void nx_gc_add_root(nx_value *slot)
{
    if (nroot_slots == caproot_slots) {
        caproot_slots = caproot_slots ? caproot_slots * 2 : 16;
        root_slots = nx_xrealloc(root_slots, caproot_slots * sizeof *root_slots);
    }
    root_slots[nroot_slots++] = slot;
}

void nx_gc_register_roots(void (*each)(nx_gc_mark_fn mark))
{
    if (nroot_fns == caproot_fns) {
        caproot_fns = caproot_fns ? caproot_fns * 2 : 16;
        root_fns = nx_xrealloc(root_fns, caproot_fns * sizeof *root_fns);
    }
    root_fns[nroot_fns++] = each;
}

/* ---- set-up and limits --------------------------------------------------- */

static __attribute__((noinline)) void init_once(void)
{
    for (uint32_t i = 2; i < NSMALL; i++) class_size[i] = i * 8;
    /* Medium classes: 320, 384, 448, 512, 640, ... 8192. */
    uint32_t base = 256;
    for (uint32_t i = 0; i < NMEDIUM; i++) {
        if (i % 4 == 0 && i) base *= 2;
        class_size[NSMALL + i] = base + (i % 4 + 1) * (base / 4);
    }
    const char *e = getenv("NIXE_GC_INITIAL");
    /* 32 MiB keeps a single NixOS evaluation's peak RSS under half of
     * nix-instantiate's (NixOS small 165 -> 128 MB against 264); 96 MiB
     * (session 9) saved a few early collections, 3% of the fleet's
     * instructions at n = 4, under 1% at n = 16, where the nursery is
     * the heap's free populated memory from the third machine on. */
    threshold = e && *e ? strtoull(e, NULL, 0) : (size_t)32 << 20;
    if (threshold < BLOCK_SIZE) threshold = BLOCK_SIZE;
    initial_threshold = threshold;
    e = getenv("NIXE_GC_GROWTH");
    if (e && *e) growth = strtod(e, NULL);
    if (!(growth >= 0.05)) growth = 0.05;
    /* On by default: fewer TLB misses and page faults (micro/fold.nix
     * 345 -> 250 ms, NixOS small 0.56 -> 0.47 s, same peak RSS);
     * NIXE_HUGEPAGES=0 maps 1 MiB chunks of normal pages. */
    e = getenv("NIXE_HUGEPAGES");
    hugepages = !(e && strcmp(e, "0") == 0);
    populate = !getenv("NIXE_NO_POPULATE");
    e = getenv("NIXE_GC_CENSUS");
    census_each = e && strcmp(e, "each") == 0;
    e = getenv("NIXE_GC_VERBOSE");
    verbose = e && *e && strcmp(e, "0") != 0;
    e = getenv("NIXE_GC_STRESS");
    if (e && *e) stress_every = strtoull(e, NULL, 0);
    e = getenv("NIXE_GC_GENERATIONAL");
    if (e && *e) generational = strcmp(e, "0") != 0;
    e = getenv("NIXE_GC_MAJOR_GROWTH");
    if (e && *e) major_growth = strtod(e, NULL);
    if (!(major_growth >= 1.0)) major_growth = 1.0;
    e = getenv("NIXE_GC_VERIFY");
    if (e && *e) verify_every = strtoull(e, NULL, 0);
    if (stress_every) nx_gc_pending = true;
#if defined(__x86_64__) && !defined(__POPCNT__)
    if (__builtin_cpu_supports("popcnt")) count_marks = count_marks_popcnt;
#endif
}

/* Sets the heap up on first use (the allocator's slow path calls this:
 * one compare inline). */
static inline void init(void)
{
    if (NX_UNLIKELY(!class_size[2])) init_once();
}

void nx_heap_set_limit(size_t bytes) { heap_limit = bytes; }

static size_t limit(void)
{
    if (!heap_limit) {
        long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
        heap_limit = pages > 0 && size > 0 ? (size_t)pages / 4 * 3 * (size_t)size : (size_t)16 << 30;
    }
    return heap_limit;
}

/* Ends the evaluation cleanly (exit status 1) instead of letting the
 * kernel kill the process when the heap outgrows the limit. */
static void grow(size_t more)
{
    if (heap_bytes + more > limit()) {
        char msg[160];
        int n = snprintf(msg, sizeof msg, "error: out of memory: the evaluation heap would exceed %zu MiB (see --max-heap)\n",
                         heap_limit >> 20);
        if (nx_heap_oom_hook) nx_heap_oom_hook(); /* does not return */
        ssize_t w = write(2, msg, (size_t)n);
        (void)w;
        nx_prof_finish(); /* the profile of what filled the heap (malloc still works) */
        _exit(1);
    }
    heap_bytes += more;
    since_gc += more;
    stats.total_bytes += more;
    if (NX_UNLIKELY(nx_prof_alloc_on)) nx_prof_alloc(more); /* --profile-alloc */
    /* Collect before reaching the limit, even if the threshold is far. */
    if (since_gc >= threshold || heap_bytes + (heap_bytes >> 3) >= heap_limit) want_gc();
}

/* ---- blocks --------------------------------------------------------------- */

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif
#define HUGE_PAGE ((size_t)2 << 20)

static char *new_chunk(size_t sz)
{
    size_t align = hugepages ? HUGE_PAGE : BLOCK_SIZE;
    int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
    if (populate && !hugepages) flags |= MAP_POPULATE;
    /* Over-allocate and trim, so blocks are aligned. */
    char *p = mmap(NULL, sz + align, PROT_READ | PROT_WRITE, flags, -1, 0);
    if (p == MAP_FAILED) nx_out_of_memory();
    uintptr_t a = ((uintptr_t)p + align - 1) & ~(uintptr_t)(align - 1);
    size_t head = a - (uintptr_t)p, tail = align - head;
    if (head) munmap(p, head);
    if (tail) munmap((char *)a + sz, tail);
#ifdef NX_ASAN
    /* LeakSanitizer does not scan mmap'd memory: without this, malloc'd
     * data reached only from heap objects (code, builtins) would be
     * reported as leaked (the fuzzers run with leak detection). */
    __lsan_register_root_region((void *)a, sz);
#endif
#ifdef MADV_HUGEPAGE
    if (hugepages) madvise((void *)a, sz, MADV_HUGEPAGE);
#endif
    return (char *)a;
}

/* Faults in the huge page at p, the first block carved from it, in one
 * go.  A chunk's pages are populated as blocks are carved, not when it is
 * mapped: the untouched rest of the last chunk (up to 8 MiB) would be
 * zeroed for nothing, and on this kind of VM zeroing fresh memory is the
 * most variable part of an evaluation's CPU time (docs/memory.md). */
static void populate_huge_page(char *p)
{
#ifdef MADV_HUGEPAGE
    if (hugepages && populate && ((uintptr_t)p & (HUGE_PAGE - 1)) == 0) madvise(p, HUGE_PAGE, MADV_POPULATE_WRITE);
#else
    (void)p;
#endif
}

static block *take_block(uint32_t cls)
{
    block *b;
    if (npool || npool_released) {
        b = npool ? pool[--npool] : pool_released[--npool_released];
        since_gc += BLOCK_SIZE;
        stats.total_bytes += BLOCK_SIZE;
        if (NX_UNLIKELY(nx_prof_alloc_on)) nx_prof_alloc(BLOCK_SIZE);
        if (since_gc >= threshold) want_gc();
    } else {
        if (chunk_cur == chunk_end) {
            size_t sz = chunk_size;
            if (hugepages && sz < HUGE_PAGE) sz = chunk_size = HUGE_PAGE;
            if (chunk_size < CHUNK_MAX) chunk_size *= 2;
            chunk_cur = new_chunk(sz);
            chunk_end = chunk_cur + sz;
            pagemap_add(chunk_cur, sz);
        }
        grow(BLOCK_SIZE);
        populate_huge_page(chunk_cur);
        b = (block *)chunk_cur;
        chunk_cur += BLOCK_SIZE;
    }
    b->cls = cls;
    b->cell = class_size[cls];
    b->ncells = (uint32_t)((BLOCK_SIZE - BLOCK_HDR) / b->cell);
    b->magic = (uint32_t)(((uint64_t)1 << 32) / b->cell + 1);
    b->nlive = 0;
    b->pinmap = NULL;
    memset(b->mark, 0, sizeof b->mark);
    b->next = swept_blocks[cls];
    swept_blocks[cls] = b;
    return b;
}

/* The first cell at or after i whose mark bit is `bit`, or b->ncells. */
static inline uint32_t find_bit(const block *b, uint32_t i, uint64_t bit)
{
    uint64_t flip = bit ? 0 : ~(uint64_t)0;
    while (i < b->ncells) {
        uint64_t w = (b->mark[i >> 6] ^ flip) & (~(uint64_t)0 << (i & 63));
        if (w) {
            i = (i & ~63u) + (uint32_t)__builtin_ctzll(w);
            break;
        }
        i = (i & ~63u) + 64;
    }
    return i < b->ncells ? i : b->ncells;
}

/* Points the class's bump range at the next run of free cells: in the
 * block it is allocating from, else in its next unswept block (the lazy
 * sweep: nothing but the block's mark bitmap is read, and no free cell is
 * touched before it is handed out), else in an empty block.  Inlined into
 * nx_heap_alloc_slow: the allocation profile leaves out the allocator's
 * frames by name (profiler/report.c is_allocator). */
static void refill(uint32_t cls)
{
    nx_sizeclass *k = &nx_classes[cls];
    for (;;) {
        block *b = sweeping[cls];
        if (b) {
            uint32_t start = find_bit(b, sweep_next[cls], 0);
            if (start < b->ncells) {
                uint32_t end = find_bit(b, start + 1, 1);
                k->bump = block_cells(b) + (size_t)start * b->cell;
                k->end = block_cells(b) + (size_t)end * b->cell;
                sweep_next[cls] = end;
                return;
            }
            sweeping[cls] = NULL;
        }
        b = unswept_blocks[cls];
        if (!b) break;
        unswept_blocks[cls] = b->next;
        b->next = swept_blocks[cls];
        swept_blocks[cls] = b;
        sweeping[cls] = b;
        sweep_next[cls] = 0;
        /* Reused cells count towards the next collection as new blocks
         * do: otherwise a fragmented heap grows by a whole threshold of
         * fresh blocks on top of its free cells (NixOS small: 91 MiB
         * instead of ~65 at the last collection). */
        since_gc += (size_t)(b->ncells - b->nlive) * b->cell;
        if (since_gc >= threshold) want_gc();
    }
    block *b = take_block(cls);
    k->bump = block_cells(b);
    k->end = k->bump + (size_t)b->ncells * b->cell;
}

static uint32_t class_of(size_t n)
{
    if (n <= NX_SMALL_MAX) return (uint32_t)((n + 7) >> 3);
    uint32_t i = NSMALL;
    while (class_size[i] < n) i++;
    return i;
}

/* Registers the malloc'd block p of n bytes as a large object. */
static void *add_large(void *p, size_t n)
{
    if (nlarges == caplarges) {
        caplarges = caplarges ? caplarges * 2 : 64;
        larges = nx_xrealloc(larges, caplarges * sizeof *larges);
    }
    larges[nlarges++] = (large_obj){ p, n };
    return p;
}

static void *alloc_large(size_t n)
{
    grow(n);
    return add_large(nx_xmalloc(n), n);
}

void *nx_heap_adopt(void *p, size_t n)
{
    init();
    if (n <= MEDIUM_MAX) {
        void *o = nx_heap_alloc_slow(n);
        memcpy(o, p, n);
        free(p);
        return o;
    }
    grow(n);
    return add_large(nx_xrealloc(p, n), n);
}

void *nx_heap_alloc_slow(size_t n)
{
    init();
    if (n < 16) n = 16;
    if (n > MEDIUM_MAX) return alloc_large(n);
    uint32_t cls = class_of(n);
    nx_sizeclass *k = &nx_classes[cls];
    size_t sz = class_size[cls];
    if ((size_t)(k->end - k->bump) < sz) refill(cls);
    char *p = k->bump;
    k->bump += sz;
    NX_ASAN_UNPOISON(p, sz);
    return p;
}

/* ---- marking ---------------------------------------------------------------- */

/* The worklist: marked objects whose children are still to be traced.
 * Before drain() the roots and the remembered set push here; drain()
 * keeps it in its marker's locals. */
static nx_obj **work;
static size_t nwork, capwork;

/* The worklist w of cap entries made twice as large (cap 0: the first). */
static __attribute__((noinline)) nx_obj **grow_work(nx_obj **w, size_t cap)
{
    return nx_xrealloc(w, (cap ? cap * 2 : 4096) * sizeof *w);
}
#define GROWN(cap) ((cap) ? (cap) * 2 : 4096)

static inline void work_push(nx_obj *o)
{
    if (NX_UNLIKELY(nwork == capwork)) work = grow_work(work, capwork), capwork = GROWN(capwork);
    work[nwork++] = o;
}

/* Marks o (not a leaf's children: a string's context has no pointers, so
 * it is marked here too) and returns whether o has pointers to trace. */
static inline __attribute__((always_inline)) bool mark_new(nx_obj *o, uint8_t ep)
{
    o->gc = ep;
    set_mark_bit(o);
    switch (o->type) {
    case NX_OBJ_INT:
    case NX_OBJ_FLOAT:
    case NX_OBJ_PRIMOP:
    case NX_OBJ_CONTEXT: return false;
    case NX_OBJ_STRING:
    case NX_OBJ_PATH: {
        nx_obj *c = (nx_obj *)((nx_string *)o)->ctx;
        if (c && c->gc != ep && c->gc < NX_GC_STACK) {
            c->gc = ep;
            set_mark_bit(c);
        }
        return false;
    }
    default: return true;
    }
}

/* Marks o and, if it has pointers, puts it on the worklist (outside
 * drain: the roots). */
static void mark_obj(nx_obj *o)
{
    if (o->gc == epoch || o->gc >= NX_GC_STACK) return;
    if (mark_new(o, epoch)) work_push(o);
}

/* The children found by tracing are not marked at once: reading a
 * child's header is a cache miss (most of the marking time: 83% of
 * mark_obj's samples were that one load).  Each child is prefetched and
 * queued in a small ring instead, and marked when PREFETCH_DEPTH more
 * children have been queued after it, by which time its header has
 * arrived.  An entry is a heap slot (nx_value *, so an evaluated thunk
 * in it can be replaced by its value) or, tagged with bit 0, an object
 * reached through a pointer field (an environment, a set's base).
 *
 * The ring, the worklist's top and the epoch live in one marker, a local
 * of drain() into which all of the marking is inlined, so the compiler
 * keeps them in registers instead of loading and storing globals around
 * each child (NixOS fleet, n = 2: the collector's instructions 203 -> 170
 * million; docs/benchmarks.md, "Session 9: gcmark"). */
#define PREFETCH_DEPTH 16

typedef struct marker {
    uintptr_t *ring; /* PREFETCH_DEPTH entries, 0: an empty position (an
                      * array apart, so the rest stays in registers) */
    uint32_t pos;    /* the oldest entry, and where the next goes */
    uint8_t epoch;
    nx_obj **work;
    size_t n, cap;
} marker;

#define INLINE static inline __attribute__((always_inline))

INLINE void m_push(marker *m, nx_obj *o)
{
    if (NX_UNLIKELY(m->n == m->cap)) m->work = grow_work(m->work, m->cap), m->cap = GROWN(m->cap);
    m->work[m->n++] = o;
}

INLINE void m_mark(marker *m, nx_obj *o)
{
    uint8_t g = o->gc;
    if (g == m->epoch || g >= NX_GC_STACK) return;
    if (mark_new(o, m->epoch)) m_push(m, o);
}

/* Marks what a ring entry refers to.  A slot holding an evaluated thunk
 * gets the thunk's value instead: the thunk may then die, and later
 * collections trace less (a forced list of numbers becomes a list with
 * no pointers at all); the slot is queued again, so the value's header
 * is prefetched too, and the entry it displaces is visited in its place
 * (a loop, each turn replacing one thunk in a slot). */
INLINE void m_visit(marker *m, uintptr_t e)
{
    for (;;) {
        if (e & 1) {
            m_mark(m, (nx_obj *)(e & ~(uintptr_t)1));
            return;
        }
        nx_value *slot = (nx_value *)e;
        nx_value v = *slot;
        /* Not a pointer any more if the slot was queued twice (an object
         * traced from the remembered set and again as a root) and the
         * first visit put a number in place of a thunk. */
        if (!nx_is_ptr(v)) return;
        if (!nx_is_thunk(v) || nx_obj_of(v)->aux != NX_THUNK_DONE) {
            m_mark(m, nx_obj_of(v));
            return;
        }
        *slot = v = nx_deref(v);
        if (!nx_is_ptr(v)) return;
        __builtin_prefetch(nx_obj_of(v), 1);
        uint32_t i = m->pos;
        uintptr_t old = m->ring[i];
        m->ring[i] = e;
        m->pos = (i + 1) & (PREFETCH_DEPTH - 1);
        if (!old) return;
        e = old;
    }
}

/* Queues e in place of the oldest entry, which is marked now. */
INLINE void m_put(marker *m, uintptr_t e)
{
    uint32_t i = m->pos;
    uintptr_t old = m->ring[i];
    m->ring[i] = e;
    m->pos = (i + 1) & (PREFETCH_DEPTH - 1);
    if (old) m_visit(m, old);
}

/* Queues the value in a heap slot. */
INLINE void m_slot(marker *m, nx_value *slot)
{
    nx_value v = *slot;
    if (!nx_is_ptr(v)) return;
    __builtin_prefetch(nx_obj_of(v), 1);
    m_put(m, (uintptr_t)slot);
}

/* Queues an object reached through a pointer field. */
INLINE void m_ref(marker *m, const void *o)
{
    if (!o) return;
    __builtin_prefetch(o, 1);
    m_put(m, (uintptr_t)o | 1);
}

/* Queues the children of o; the field layouts are in vm/value.h. */
INLINE void m_trace(marker *m, nx_obj *o)
{
    switch (o->type) {
    case NX_OBJ_STRING:
    case NX_OBJ_PATH: m_ref(m, ((nx_string *)o)->ctx); break;
    case NX_OBJ_LIST: {
        nx_list *l = (nx_list *)o;
        for (uint32_t i = 0; i < o->aux; i++) m_slot(m, &l->v[i]);
        break;
    }
    case NX_OBJ_ATTRS: {
        nx_attrs *a = (nx_attrs *)o;
        if (nx_attrs_obj_layered(a)) {
            /* A layered set (vm/value.h): its flat view once made, else
             * the set below and its own entries. */
            nx_attrs_layer *l = (nx_attrs_layer *)o;
            if (l->flat) {
                m_ref(m, l->flat);
                break;
            }
            m_ref(m, l->base);
            for (uint32_t i = 0; i < l->n; i++) m_slot(m, &l->a[i].value);
            break;
        }
        for (uint32_t i = 0; i < o->aux; i++) m_slot(m, &a->a[i].value);
        break;
    }
    case NX_OBJ_CLOSURE: m_ref(m, ((nx_closure *)o)->env); break;
    case NX_OBJ_PAPP: {
        nx_papp *p = (nx_papp *)o;
        for (uint32_t i = 0; i < o->aux; i++) m_slot(m, &p->args[i]);
        break;
    }
    case NX_OBJ_THUNK: {
        nx_thunk *t = (nx_thunk *)o;
        switch (o->aux) {
        case NX_THUNK_PENDING: m_ref(m, t->b.env); break;
        case NX_THUNK_APP:
            m_slot(m, &t->a.fn);
            m_slot(m, &t->b.arg);
            break;
        case NX_THUNK_DONE: m_slot(m, &t->a.value); break;
        default: break; /* a blackhole: traced through its frame */
        }
        break;
    }
    case NX_OBJ_ENV: {
        nx_env *e = (nx_env *)o;
        m_ref(m, e->up);
        for (uint32_t i = 0; i < o->aux; i++) m_slot(m, &e->slot[i]);
        break;
    }
    default: break; /* ints, floats, primops, contexts: no children */
    }
}

/* Traces everything reachable from the worklist (the objects the roots
 * and the remembered set put there, marked or old).  Done when the
 * worklist is empty and a whole turn of the ring found no entry (tracing
 * and visiting queue entries; either starts the count again). */
static void drain(void)
{
    uintptr_t ring[PREFETCH_DEPTH] = { 0 };
    marker mk = { .ring = ring, .pos = 0, .epoch = epoch, .work = work, .n = nwork, .cap = capwork };
    marker *m = &mk;
    uint32_t empty = 0;
    for (;;) {
        if (m->n) {
            m_trace(m, m->work[--m->n]);
            empty = 0;
            continue;
        }
        if (empty == PREFETCH_DEPTH) break;
        uint32_t i = m->pos;
        uintptr_t e = m->ring[i];
        m->ring[i] = 0;
        m->pos = (i + 1) & (PREFETCH_DEPTH - 1);
        if (e) {
            m_visit(m, e);
            empty = 0;
        } else {
            empty++;
        }
    }
    work = mk.work, nwork = 0, capwork = mk.cap;
}

/* A heap object held directly by the stacks, a frame or a registered
 * root.  Besides being marked, an object of a type the program writes
 * into after making it (lists, sets, environments, partial applications,
 * thunks) is remembered until the next collection, and in a minor one
 * traced even when old: builtins fill lists and sets kept in their frame
 * slots, and the interpreter fills its frame's environment, across
 * safepoints without a write barrier, and such an object may leave the
 * stacks (returned, stored in a thunk) before the next collection. */
static void root_obj(nx_obj *o)
{
    uint8_t g = o->gc;
    if (g >= NX_GC_STACK) return; /* pinned, a stack environment, or done already */
    switch (o->type) {
    case NX_OBJ_LIST:
    case NX_OBJ_ATTRS:
    case NX_OBJ_ENV:
    case NX_OBJ_PAPP:
    case NX_OBJ_THUNK:
        if (g == epoch) work_push(o); /* old (or reached already in a major): traced again */
        else mark_obj(o);
        o->gc = NX_GC_REMEMBERED;
        remset_push(o);
        return;
    default: mark_obj(o); return;
    }
}

static void root_value(nx_value v)
{
    if (nx_is_ptr(v)) root_obj(nx_obj_of(v));
}

/* A root slot: evaluated thunks short-circuited as in mark_slot. */
static inline void root_slot(nx_value *slot)
{
    nx_value v = *slot;
    if (!nx_is_ptr(v)) return;
    if (nx_is_thunk(v) && nx_obj_of(v)->aux == NX_THUNK_DONE) *slot = v = nx_deref(v);
    root_value(v);
}

static void mark_roots(nx_vm *vm)
{
    for (nx_value *p = vm->stack; p < vm->sp; p++) root_value(*p);
    /* The environment stack holds only environments of live frames, laid
     * end to end.  They are not in the heap's blocks: each is marked
     * NX_GC_STACK (so references to it are not followed again, and the
     * write barrier ignores it) and traced here, whatever its gc byte
     * held before. */
    for (char *p = vm->envs; p < vm->envs_sp;) {
        nx_env *e = (nx_env *)p;
        e->h.gc = NX_GC_STACK;
        if (e->up) root_obj(&e->up->h);
        for (uint32_t i = 0; i < e->h.aux; i++) root_slot(&e->slot[i]);
        p += sizeof(nx_env) + (size_t)e->h.aux * sizeof(nx_value);
    }
    for (nx_frame *f = vm->frames + 1; f <= vm->fp; f++) {
        if (f->env) root_obj(&f->env->h);
        if (f->kind == NX_FRAME_THUNK) {
            /* The thunk under evaluation keeps what it needs to be put
             * back if the evaluation fails (its original state is in the
             * frame's flags).  Its update on return has a barrier. */
            nx_thunk *t = (nx_thunk *)nx_obj_of(f->thunk);
            mark_obj(&t->h);
            if (f->flags == NX_THUNK_APP) {
                root_value(t->a.fn);
                root_value(t->b.arg);
            } else if (f->flags == NX_THUNK_PENDING) {
                if (t->b.env) root_obj(&t->b.env->h);
            }
        }
    }
    root_value(vm->ret);
    root_value(vm->req);
    root_value(vm->coerce_app);
    for (size_t i = 0; i < nroot_slots; i++) root_value(*root_slots[i]);
    for (size_t i = 0; i < nroot_fns; i++) root_fns[i](root_value);
}

/* ---- verification (NIXE_GC_VERIFY) ---------------------------------------
 * After the marking of a minor collection, a second, full traversal from
 * the same roots (a side hash set, nothing written) checks that every
 * object reachable from live data is kept.  A young object that is not
 * means an old object was written without NX_GC_BARRIER: the process
 * aborts, naming the object and the one that points to it. */
static uintptr_t *vset;
static size_t vcap, vcount;
static nx_obj **vstack;
static size_t nvstack, capvstack;
static nx_obj *vparent;

static bool vset_add(const void *p)
{
    if (2 * (vcount + 1) > vcap) {
        size_t ncap = vcap ? vcap * 2 : 1 << 16;
        uintptr_t *n = nx_xcalloc(ncap, sizeof *n);
        for (size_t i = 0; i < vcap; i++)
            if (vset[i]) {
                size_t j = (vset[i] >> 3) * 0x9E3779B97F4A7C15u >> 20 & (ncap - 1);
                while (n[j]) j = (j + 1) & (ncap - 1);
                n[j] = vset[i];
            }
        free(vset);
        vset = n, vcap = ncap;
    }
    uintptr_t a = (uintptr_t)p;
    size_t j = (a >> 3) * 0x9E3779B97F4A7C15u >> 20 & (vcap - 1);
    while (vset[j]) {
        if (vset[j] == a) return false;
        j = (j + 1) & (vcap - 1);
    }
    vset[j] = a;
    vcount++;
    return true;
}

static const char *type_name(int t)
{
    static const char *names[] = { "free cell", "int", "float", "string", "path", "list", "set",
                                   "closure", "primop", "partial application", "thunk", "environment", "context" };
    return t >= 0 && t <= NX_OBJ_CONTEXT ? names[t] : "object of unknown type";
}

static void verify_obj(nx_obj *o)
{
    if (gc_live(o->gc) && in_blocks(o) && !mark_bit(o)) {
        fprintf(stderr, "nixe: gc verify: the %s at %p is marked but its block's mark bit is clear (the sweeper would free it)\n",
                type_name(o->type), (void *)o);
        abort();
    }
    if (o->gc == NX_GC_PINNED) return; /* pinned objects reach only pinned ones */
    if (!gc_live(o->gc)) {
        fprintf(stderr,
                "nixe: gc verify: a young %s at %p, reachable from live data through the %s%s at %p, "
                "was not marked by the minor collection (a missing write barrier: NX_GC_BARRIER)\n",
                type_name(o->type), (void *)o, vparent ? (vparent->gc == epoch ? "old " : "") : "",
                vparent ? type_name(vparent->type) : "roots", (void *)vparent);
        abort();
    }
    if (!vset_add(o)) return;
    if (nvstack == capvstack) {
        capvstack = capvstack ? capvstack * 2 : 4096;
        vstack = nx_xrealloc(vstack, capvstack * sizeof *vstack);
    }
    vstack[nvstack++] = o;
}

static void verify_value(nx_value v)
{
    if (nx_is_ptr(v)) verify_obj(nx_obj_of(v));
}

/* Children of o as trace() finds them, without the thunk short-cut. */
static void verify_children(nx_obj *o)
{
    vparent = o;
    switch (o->type) {
    case NX_OBJ_STRING:
    case NX_OBJ_PATH:
        if (((nx_string *)o)->ctx) verify_obj((nx_obj *)((nx_string *)o)->ctx);
        break;
    case NX_OBJ_LIST:
        for (uint32_t i = 0; i < o->aux; i++) verify_value(((nx_list *)o)->v[i]);
        break;
    case NX_OBJ_ATTRS:
        if (nx_attrs_obj_layered((nx_attrs *)o)) {
            nx_attrs_layer *l = (nx_attrs_layer *)o;
            if (l->flat) {
                verify_obj(&l->flat->h);
            } else {
                verify_obj(&l->base->h);
                for (uint32_t i = 0; i < l->n; i++) verify_value(l->a[i].value);
            }
            break;
        }
        for (uint32_t i = 0; i < o->aux; i++) verify_value(((nx_attrs *)o)->a[i].value);
        break;
    case NX_OBJ_CLOSURE:
        if (((nx_closure *)o)->env) verify_obj(&((nx_closure *)o)->env->h);
        break;
    case NX_OBJ_PAPP:
        for (uint32_t i = 0; i < o->aux; i++) verify_value(((nx_papp *)o)->args[i]);
        break;
    case NX_OBJ_THUNK: {
        nx_thunk *t = (nx_thunk *)o;
        if (o->aux == NX_THUNK_PENDING && t->b.env) verify_obj(&t->b.env->h);
        else if (o->aux == NX_THUNK_APP) verify_value(t->a.fn), verify_value(t->b.arg);
        else if (o->aux == NX_THUNK_DONE) verify_value(t->a.value);
        break;
    }
    case NX_OBJ_ENV: {
        nx_env *e = (nx_env *)o;
        if (e->up) verify_obj(&e->up->h);
        for (uint32_t i = 0; i < o->aux; i++) verify_value(e->slot[i]);
        break;
    }
    default: break;
    }
}

static void verify_full(nx_vm *vm)
{
    if (vset) memset(vset, 0, vcap * sizeof *vset);
    vcount = 0;
    vparent = NULL;
    for (nx_value *p = vm->stack; p < vm->sp; p++) verify_value(*p);
    for (char *p = vm->envs; p < vm->envs_sp;) {
        nx_env *e = (nx_env *)p;
        verify_obj(&e->h);
        p += sizeof(nx_env) + (size_t)e->h.aux * sizeof(nx_value);
    }
    for (nx_frame *f = vm->frames + 1; f <= vm->fp; f++) {
        if (f->env) verify_obj(&f->env->h);
        if (f->kind == NX_FRAME_THUNK) {
            nx_thunk *t = (nx_thunk *)nx_obj_of(f->thunk);
            verify_obj(&t->h);
            if (f->flags == NX_THUNK_APP) verify_value(t->a.fn), verify_value(t->b.arg);
            else if (f->flags == NX_THUNK_PENDING && t->b.env) verify_obj(&t->b.env->h);
        }
    }
    verify_value(vm->ret);
    verify_value(vm->req);
    verify_value(vm->coerce_app);
    for (size_t i = 0; i < nroot_slots; i++) verify_value(*root_slots[i]);
    for (size_t i = 0; i < nroot_fns; i++) root_fns[i](verify_value);
    while (nvstack) verify_children(vstack[--nvstack]);
}

/* ---- sweeping --------------------------------------------------------------- */

/* The free cells of partly live blocks after the last collection, in
 * bytes (set by sort_blocks). */
static size_t free_in_blocks;

/* After marking: a block with no live or pinned cell goes back to the
 * pool at once, without touching its cells; a full one needs no sweep;
 * the others wait to be swept lazily (refill).  A block's live cells are
 * the bits set in its mark bitmap.  Returns the live bytes in blocks. */
static size_t sort_blocks(void)
{
    size_t live = 0;
    free_in_blocks = 0;
    for (uint32_t c = 2; c < NCLASSES; c++) {
        nx_sizeclass *k = &nx_classes[c];
        size_t sz = class_size[c];
        k->bump = k->end = NULL;
        sweeping[c] = NULL;
        block *full = NULL, *part = NULL;
        for (int list = 0; list < 2; list++) {
            block *b = list ? unswept_blocks[c] : swept_blocks[c];
            for (block *next; b; b = next) {
                next = b->next;
                /* Old cells stay marked across minor collections; the
                 * bitmap is cleared before a major one (reset_live). */
                uint32_t n = count_marks(b);
                b->nlive = n;
                if (n == 0) {
                    NX_ASAN_POISON(block_cells(b), BLOCK_SIZE - BLOCK_HDR);
                    pool_push(&pool, &npool, &cappool, b);
                    continue;
                }
                live += (size_t)n * sz;
                free_in_blocks += (size_t)(b->ncells - n) * sz;
#ifdef NX_ASAN
                /* Dead cells are poisoned at once, so a value the
                 * collector could not see is reported where it is used. */
                for (uint32_t i = find_bit(b, 0, 0), e; i < b->ncells; i = find_bit(b, e, 0)) {
                    e = find_bit(b, i + 1, 1);
                    NX_ASAN_POISON(block_cells(b) + (size_t)i * sz, (size_t)(e - i) * sz);
                }
#endif
                if (n == b->ncells) {
                    b->next = full;
                    full = b;
                } else {
                    b->next = part;
                    part = b;
                }
            }
        }
        swept_blocks[c] = full;
        unswept_blocks[c] = part;
    }
    return live;
}

static size_t sweep_large(void)
{
    size_t live = 0, j = 0;
    for (size_t i = 0; i < nlarges; i++) {
        nx_obj *o = larges[i].p;
        if (gc_live(o->gc)) {
            live += larges[i].size;
            larges[j++] = larges[i];
        } else {
            heap_bytes -= larges[i].size;
            free(o);
        }
    }
    nlarges = j;
    return live;
}

/* The largest heap in use (blocks and large objects) at a collection in
 * the current major cycle (since the last major collection) and in the
 * two cycles before it: what the mutator is expected to need again. */
static size_t peak_cycle[3];

static int cmp_block(const void *x, const void *y)
{
    uintptr_t a = (uintptr_t) * (block *const *)x, b = (uintptr_t) * (block *const *)y;
    return a < b ? -1 : a > b;
}

/* Gives the pages of pooled blocks back to the kernel, except those the
 * mutator will take again: a heap that grows back to its size at the
 * last major collections (a generational heap does, between two major
 * ones) would fault every page in again, zeroed, and each madvise costs
 * a TLB flush (NixOS fleet, n = 16: 2,800 releases, 20% more CPU, and
 * no lower peak RSS).  Released blocks stay mapped, in address order,
 * neighbours released together. */
static void release_blocks(void)
{
    size_t in_use = heap_bytes - nfree_blocks * BLOCK_SIZE;
    size_t demand = peak_cycle[0];
    if (peak_cycle[1] > demand) demand = peak_cycle[1];
    if (peak_cycle[2] > demand) demand = peak_cycle[2];
    if (in_use + threshold > demand) demand = in_use + threshold;
    size_t keep = (demand - in_use) / BLOCK_SIZE;
    if (keep < KEEP_FREE_BLOCKS) keep = KEEP_FREE_BLOCKS;
    if (npool <= keep) return;
    qsort(pool, npool, sizeof *pool, cmp_block);
    for (size_t i = keep; i < npool;) {
        size_t j = i + 1;
        while (j < npool && (char *)pool[j] == (char *)pool[j - 1] + BLOCK_SIZE) j++;
        madvise(pool[i], (size_t)(j - i) * BLOCK_SIZE, MADV_DONTNEED);
        for (; i < j; i++) pool_push(&pool_released, &npool_released, &cappool_released, pool[i]);
    }
    npool = keep;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts); /* CPU time, as time.cpu */
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void nx_gc_set_budget(uint64_t safepoints, size_t heap)
{
    budget_steps = safepoints;
    budget_heap = heap;
    budget_count = 0;
    if (budget_steps) nx_gc_pending = true;
}

/* Inlined, so the native profile shows the collector under nx_gc_collect. */
static inline __attribute__((always_inline)) void collect(nx_vm *vm, bool major);
static void census_print(FILE *out);

/* Whether the old generation is small enough to trace whole: at most half
 * the nursery that has just filled, so a major collection marks at most
 * half a byte more per byte allocated than a minor one, and it frees the
 * old garbage too.  Nix evaluations keep much of what they allocate for a
 * while (a NixOS module evaluation, one machine of a fleet) and then drop
 * it together: minor collections promote it, it dies old, and the old
 * generation fills with it until a major collection.  With this rule
 * (and a 96 MiB first threshold; 32 MiB since session 10 adds five early
 * collections) the 16-machine fleet makes 20 major
 * collections instead of 9 major and 18 minor ones, marks less in all
 * and keeps a smaller heap (CPU -12%, peak RSS 232 -> 204 MB,
 * docs/benchmarks.md); a heap with a large live part still gets minor
 * collections.  Stress mode keeps its own mix of minor and major ones. */
static bool small_old(void)
{
    return !stress_every && stats.live_bytes <= threshold / 2;
}

void nx_gc_collect(nx_vm *vm)
{
    init();
    if (NX_UNLIKELY(nx_calltrace_on)) {
        /* The call tracer keeps a collection pending, so every frame push
         * comes here: its entry hook, at no cost to the safepoint's fast
         * path.  Collect only when the heap asks for it. */
        nx_calltrace_enter(vm);
        if (!wanted && !stress_every && !budget_steps) return;
    }
    if (NX_UNLIKELY(budget_steps)) {
        /* Past the budget, the next frame push fails (see heap.h). */
        if (++budget_count > budget_steps || heap_bytes - nfree_blocks * BLOCK_SIZE > budget_heap)
            vm->frames_limit = vm->fp;
        if (!stress_every && !wanted) return; /* stays pending: every safepoint counts */
    }
    if (stress_every) {
        /* Stay pending; collect at every Nth safepoint, or when needed. */
        if (++stress_count % stress_every && !wanted) return;
    } else {
        nx_gc_pending = nx_calltrace_on;
    }
    wanted = false;
    bool major = !generational || stats.cycles == 0 || stats.live_bytes > major_trigger || small_old() ||
                 (stress_every && stress_count / stress_every % 8 == 0);
    collect(vm, major);
}

void nx_gc_collect_now(nx_vm *vm, bool major)
{
    init();
    collect(vm, major || !generational);
}

/* Before a major collection: no cell is marked any more (the epoch flips),
 * so the mark bitmaps start again from the pinned cells. */
static void reset_live(void)
{
    for (uint32_t c = 2; c < NCLASSES; c++)
        for (int list = 0; list < 2; list++)
            for (block *b = list ? unswept_blocks[c] : swept_blocks[c]; b; b = b->next) {
                if (b->pinmap) memcpy(b->mark, b->pinmap, sizeof b->mark);
                else memset(b->mark, 0, sizeof b->mark);
            }
}

static inline __attribute__((always_inline)) void collect(nx_vm *vm, bool major)
{
    int prof = nx_prof_phase_enter(NX_PROF_GC);
    double t0 = now();
    heap_in_use = heap_bytes - nfree_blocks * BLOCK_SIZE;
    if (heap_in_use > peak_cycle[0]) peak_cycle[0] = heap_in_use;
    /* The remembered set of the cycle that ends: old objects written since
     * the last collection, and those the stacks held then. */
    nx_obj **rs = remset;
    size_t nrs = nremset;
    size_t caprs = capremset;
    remset = remset_old, capremset = capremset_old;
    remset_old = rs, capremset_old = caprs;
    nremset = 0;
    minor_now = !major;
    if (major) {
        peak_cycle[2] = peak_cycle[1];
        peak_cycle[1] = peak_cycle[0];
        peak_cycle[0] = 0;
        for (size_t i = 0; i < nrs; i++)
            if (rs[i]->gc == NX_GC_REMEMBERED) rs[i]->gc = epoch;
        reset_live();
        epoch = epoch == 1 ? 2 : 1;
    } else {
        /* Remembered objects are old: trace what they point to now. */
        for (size_t i = 0; i < nrs; i++)
            if (rs[i]->gc == NX_GC_REMEMBERED) {
                rs[i]->gc = epoch;
                work_push(rs[i]);
            }
    }
    mark_roots(vm);
    drain();
    if (!major && verify_every && (stats.cycles - stats.major_cycles) % verify_every == 0) verify_full(vm);
    size_t live = sort_blocks() + sweep_large();
    release_blocks();
    stats.cycles++;
    if (major) {
        stats.major_cycles++;
        /* The old generation may grow to major_growth times what this
         * collection found live, and by at least one initial threshold
         * (a small heap that is still growing is not traced again soon).
         * Two thresholds (until session 8) let the NixOS fleet's old
         * generation fill with dead machines' module data up to 110 MiB
         * beside a 30 MiB live heap; with one, and the nursery filling
         * the freed memory (below), its largest heap in use went from
         * 221 to 163 MiB. */
        size_t t = (size_t)((double)live * major_growth);
        major_trigger = t > live + initial_threshold ? t : live + initial_threshold;
    }
    stats.live_bytes = live;
    since_gc = 0;
    size_t before = heap_in_use;
    if (generational) {
        /* A minor collection costs what survives it, not the live heap:
         * the next one comes after `growth` times the live size (at least
         * the initial threshold) of allocation, or once the memory the
         * heap holds populated is used up, if that is more.  Those pages
         * are resident already: using them costs no page zeroing and no
         * peak RSS, and a larger nursery lets more of its objects die
         * before a collection finds them (after a major collection has
         * freed most of the heap, a 32 MiB nursery promoted data that
         * died soon after; NixOS fleet, n = 16: 40 collections, now
         * 27, docs/benchmarks.md). */
        size_t next = (size_t)((double)live * growth);
        /* Not the rest of the current chunk: the blocks taken between
         * the request and the safepoint map a new chunk, and counting
         * its rest would grow the heap by a chunk at every collection. */
        size_t resident = free_in_blocks + npool * BLOCK_SIZE;
        if (next < resident) next = resident;
        threshold = next > initial_threshold ? next : initial_threshold;
    } else {
        /* A collection that found little garbage was mostly wasted work
         * (the heap is growing with live data): let the heap grow further
         * before the next one, up to 8 times the live size; back to the
         * configured growth once collections pay again. */
        bool wasted = before && live > before / 4 * 3;
        if (wasted && last_wasted) boost = boost < 8 ? boost * 2 : 8;
        else if (before && live < before / 2) boost = 1;
        last_wasted = wasted;
        size_t next = (size_t)((double)live * growth * boost);
        threshold = next > initial_threshold ? next : initial_threshold;
    }
    if (budget_steps) nx_gc_pending = true;
    double dt = now() - t0;
    stats.seconds += dt;
    if (verbose)
        fprintf(stderr, "nixe gc #%llu (%s): %zu MiB in use, %zu MiB live, %zu remembered, %zu held by roots, %.1f ms; next after %zu MiB more\n",
                (unsigned long long)stats.cycles, major ? "major" : "minor", before >> 20, live >> 20, nrs, nremset,
                dt * 1e3, threshold >> 20);
    if (census_each && major) census_print(stderr);
    nx_prof_phase_leave(prof);
}

bool nx_gc_survived(const void *obj)
{
    const nx_obj *o = obj;
#ifdef NX_ASAN
    /* A poisoned header is a freed cell or a block back in the pool. */
    if (__asan_address_is_poisoned(o)) return false;
#endif
    /* In a block, the mark bit is what the sweeper goes by. */
    if (in_blocks(o)) return mark_bit(o);
    return gc_live(o->gc);
}

void nx_gc_get_stats(nx_gc_stats *s)
{
    *s = stats;
    s->heap_bytes = heap_bytes;
}

/* ---- pinning ------------------------------------------------------------- */

/* Pins one object: its gc byte, and in a block its mark bit, which the
 * block's pin bitmap restores at each major collection. */
static void pin_cell(nx_obj *o)
{
    o->gc = NX_GC_PINNED;
    if (!in_blocks(o)) return;
    block *b = block_of(o);
    if (!b->pinmap) b->pinmap = nx_xcalloc(MARK_WORDS, sizeof *b->pinmap);
    uint32_t i = cell_index(b, o);
    b->pinmap[i >> 6] |= (uint64_t)1 << (i & 63);
    b->mark[i >> 6] |= (uint64_t)1 << (i & 63);
}

nx_value nx_heap_pin(nx_value v)
{
    if (!nx_is_ptr(v)) return v;
    nx_obj **stack = NULL;
    size_t n = 0, cap = 0;
    nx_obj *o = nx_obj_of(v);
    if (o->gc == NX_GC_PINNED) return v;
    pin_cell(o);
    for (;;) {
        /* Children of o that are not pinned yet. */
        nx_value kids[3];
        size_t nk = 0;
        const nx_value *many = NULL;
        size_t nmany = 0, stride = 1;
        switch (o->type) {
        case NX_OBJ_LIST: many = ((nx_list *)o)->v, nmany = o->aux; break;
        case NX_OBJ_ATTRS:
            if (nx_attrs_obj_layered((nx_attrs *)o)) {
                /* Pinned through its flat view (made now). */
                kids[nk++] = nx_from_obj(nx_attrs_flat_of((nx_attrs *)o));
                break;
            }
            many = &((nx_attrs *)o)->a[0].value, nmany = o->aux, stride = sizeof(nx_attr) / sizeof(nx_value);
            break;
        case NX_OBJ_PAPP: many = ((nx_papp *)o)->args, nmany = o->aux; break;
        case NX_OBJ_THUNK:
            if (o->aux == NX_THUNK_DONE) kids[nk++] = ((nx_thunk *)o)->a.value;
            else if (o->aux == NX_THUNK_APP) kids[nk++] = ((nx_thunk *)o)->a.fn, kids[nk++] = ((nx_thunk *)o)->b.arg;
            else if (((nx_thunk *)o)->b.env) kids[nk++] = nx_from_obj(((nx_thunk *)o)->b.env);
            break;
        case NX_OBJ_CLOSURE:
            if (((nx_closure *)o)->env) kids[nk++] = nx_from_obj(((nx_closure *)o)->env);
            break;
        case NX_OBJ_STRING:
        case NX_OBJ_PATH:
            if (((nx_string *)o)->ctx) kids[nk++] = nx_from_obj(((nx_string *)o)->ctx);
            break;
        case NX_OBJ_ENV:
            if (((nx_env *)o)->up) kids[nk++] = nx_from_obj(((nx_env *)o)->up);
            many = ((nx_env *)o)->slot, nmany = o->aux;
            break;
        default: break;
        }
        for (size_t i = 0; i < nk + nmany; i++) {
            nx_value c = i < nk ? kids[i] : many[(i - nk) * stride];
            if (!nx_is_ptr(c) || nx_obj_of(c)->gc == NX_GC_PINNED) continue;
            pin_cell(nx_obj_of(c));
            if (n == cap) {
                cap = cap ? cap * 2 : 64;
                stack = nx_xrealloc(stack, cap * sizeof *stack);
            }
            stack[n++] = nx_obj_of(c);
        }
        if (!n) break;
        o = stack[--n];
    }
    free(stack);
    return v;
}

/* ---- census (NIXE_GC_CENSUS) ---------------------------------------------- */

enum {
    CEN_INT, CEN_FLOAT, CEN_STRING, CEN_PATH, CEN_LIST, CEN_ATTRS, CEN_ATTRS_LAYERED, CEN_CLOSURE, CEN_PRIMOP,
    CEN_PAPP, CEN_THUNK_PENDING, CEN_THUNK_APP, CEN_THUNK_BLACKHOLE, CEN_THUNK_DONE, CEN_ENV, CEN_CONTEXT,
    CEN_PINNED, CEN_OTHER, CEN_N
};
static const char *const census_names[CEN_N] = {
    "int (boxed)", "float", "string", "path", "list", "set", "set (layered)", "closure", "primop",
    "partial application", "thunk (unevaluated)", "thunk (application)", "thunk (under evaluation)",
    "thunk (evaluated)", "environment", "string context", "pinned (code constants)", "other",
};

static int census_kind(const nx_obj *o)
{
    if (o->gc == NX_GC_PINNED) return CEN_PINNED;
    switch (o->type) {
    case NX_OBJ_INT: return CEN_INT;
    case NX_OBJ_FLOAT: return CEN_FLOAT;
    case NX_OBJ_STRING: return CEN_STRING;
    case NX_OBJ_PATH: return CEN_PATH;
    case NX_OBJ_LIST: return CEN_LIST;
    case NX_OBJ_ATTRS: return o->flags & NX_ATTRS_LAYERED ? CEN_ATTRS_LAYERED : CEN_ATTRS;
    case NX_OBJ_CLOSURE: return CEN_CLOSURE;
    case NX_OBJ_PRIMOP: return CEN_PRIMOP;
    case NX_OBJ_PAPP: return CEN_PAPP;
    case NX_OBJ_THUNK:
        return o->aux == NX_THUNK_DONE ? CEN_THUNK_DONE
               : o->aux == NX_THUNK_APP ? CEN_THUNK_APP
               : o->aux == NX_THUNK_BLACKHOLE ? CEN_THUNK_BLACKHOLE
                                              : CEN_THUNK_PENDING;
    case NX_OBJ_ENV: return CEN_ENV;
    case NX_OBJ_CONTEXT: return CEN_CONTEXT;
    default: return CEN_OTHER;
    }
}

/* Right after a full marking, before anything is allocated: a cell is
 * live exactly when its mark bit is set (pinned cells included). */
static void census_print(FILE *out)
{
    size_t count[CEN_N] = { 0 }, bytes[CEN_N] = { 0 };
    for (uint32_t c = 2; c < NCLASSES; c++)
        for (int list = 0; list < 2; list++)
            for (block *b = list ? unswept_blocks[c] : swept_blocks[c]; b; b = b->next)
                for (uint32_t i = 0; i < b->ncells; i++) {
                    if (!(b->mark[i >> 6] >> (i & 63) & 1)) continue;
                    int k = census_kind((const nx_obj *)(block_cells(b) + (size_t)i * b->cell));
                    count[k]++;
                    bytes[k] += b->cell;
                }
    for (size_t i = 0; i < nlarges; i++) {
        const nx_obj *o = larges[i].p;
        if (!gc_live(o->gc)) continue;
        int k = census_kind(o);
        count[k]++;
        bytes[k] += larges[i].size;
    }
    int order[CEN_N];
    size_t total_n = 0, total_b = 0;
    for (int k = 0; k < CEN_N; k++) order[k] = k, total_n += count[k], total_b += bytes[k];
    for (int i = 1; i < CEN_N; i++) /* by bytes, largest first */
        for (int j = i; j > 0 && bytes[order[j]] > bytes[order[j - 1]]; j--) {
            int t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    fprintf(out, "nixe gc census: the live heap after a full collection (cells as allocated)\n");
    fprintf(out, "%-26s %12s %14s %8s %6s\n", "kind", "objects", "bytes", "avg", "share");
    for (int i = 0; i < CEN_N; i++) {
        int k = order[i];
        if (!count[k]) continue;
        fprintf(out, "%-26s %12zu %14zu %8.1f %5.1f%%\n", census_names[k], count[k], bytes[k],
                (double)bytes[k] / (double)count[k], total_b ? 100.0 * (double)bytes[k] / (double)total_b : 0.0);
    }
    fprintf(out, "%-26s %12zu %14zu\n", "total", total_n, total_b);
}

void nx_gc_census(nx_vm *vm, FILE *out)
{
    init();
    collect(vm, true);
    census_print(out);
}
