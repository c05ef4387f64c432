/* value.h — nixe's values: one tagged 64-bit word.
 *
 *   ...xxx1   small integer (63 bits), value = word >> 1 (arithmetic)
 *   ...xx10   immediate: null, false, true
 *   ...x000   pointer to a heap object (nx_obj header first); 0 = "no value"
 *   ...x100   pointer to a thunk, tagged (objects are 8-byte aligned): whether
 *             a value needs forcing is known without loading its header
 *
 * Integers that do not fit in 63 bits, floats, strings, paths, lists,
 * attribute sets, closures, primops, partial applications and thunks are
 * heap objects.  Every heap object starts with a one-word header (type,
 * GC bits, flags, a 32-bit aux field: length or state), so a precise
 * collector can walk the heap without knowing the code that made it. */
#ifndef NX_VALUE_H
#define NX_VALUE_H

#include "vm/common.h"
#include "vm/symbol.h"

typedef uint64_t nx_value;

#define NX_NOVALUE ((nx_value)0)
#define NX_NULL ((nx_value)0x02)
#define NX_FALSE ((nx_value)0x06)
#define NX_TRUE ((nx_value)0x0A)

#define NX_SMALLINT_MAX (INT64_MAX >> 1)
#define NX_SMALLINT_MIN (INT64_MIN >> 1)

typedef enum nx_objtype {
    NX_OBJ_INT = 1,   /* boxed 64-bit integer */
    NX_OBJ_FLOAT,
    NX_OBJ_STRING,
    NX_OBJ_PATH,      /* same layout as a string */
    NX_OBJ_LIST,
    NX_OBJ_ATTRS,
    NX_OBJ_CLOSURE,   /* lambda + environment */
    NX_OBJ_PRIMOP,    /* a builtin */
    NX_OBJ_PAPP,      /* a builtin applied to fewer arguments than its arity */
    NX_OBJ_THUNK,
    NX_OBJ_ENV,
    NX_OBJ_CONTEXT,   /* a string context (no pointer fields) */
} nx_objtype;

typedef struct nx_obj {
    uint8_t type;
    uint8_t gc;
    uint16_t flags;
    uint32_t aux;
} nx_obj;

typedef struct { nx_obj h; int64_t v; } nx_int_obj;
typedef struct { nx_obj h; double v; } nx_float_obj;

/* String contexts: h.aux = number of elements; `data` holds them as
 * NUL-terminated strings, sorted by bytes, without duplicates, `bytes`
 * bytes in all.  Elements use CppNix's encoding: "/nix/store/…" (a plain
 * path), "=/nix/store/….drv" (a derivation and all its outputs),
 * "!out!/nix/store/….drv" (one output).  No pointers inside: the
 * collector only has to mark the object itself.  Immutable once made. */
typedef struct nx_context {
    nx_obj h;
    uint32_t bytes;
    uint32_t pad;
    char data[];
} nx_context;

/* Strings and paths: h.aux = length in bytes; s is NUL-terminated.
 * ctx points to an NX_OBJ_CONTEXT heap object (a pointer field the
 * collector must trace) or is NULL; paths always have NULL. */
typedef struct nx_string {
    nx_obj h;
    const struct nx_context *ctx;  /* string context, NULL when empty */
    char s[];
} nx_string;

/* Lists: h.aux = number of elements. */
typedef struct nx_list {
    nx_obj h;
    nx_value v[];
} nx_list;

/* Attribute sets: h.aux = count; entries sorted by symbol id. */
typedef struct nx_attr {
    nx_sym name;
    uint32_t pos;          /* position id (nx_pos_id), 0 = none */
    nx_value value;
} nx_attr;

typedef struct nx_attrs {
    nx_obj h;
    nx_attr a[];
} nx_attrs;

/* Layered sets.  `a // b` with b small beside a (nx_update) makes an
 * NX_OBJ_ATTRS object with NX_ATTRS_LAYERED in h.flags and this layout
 * instead of copying a: b's entries (a[0..n), sorted by symbol id) over
 * a pointer to a (`base`, flat or layered).  h.aux is the number of
 * distinct names, as for a flat set.  Lookups (nx_attrs_find) walk the
 * layers top down; everything that reads the whole array goes through
 * nx_attrsp, which flattens the set once (nx_attrs_flat_of) and keeps the
 * flat copy in `flat`, then drops `base` and sets n to 0 so the layers
 * below can be collected.  Pointer fields the collector traces: `base`
 * and the values of a[0..n) while `flat` is NULL, `flat` after.  `depth`
 * is the number of layered objects in the chain from this one down to
 * the first flat set (1 for a layer over a flat set).  Immutable apart
 * from that one-time flattening (and the collector short-circuiting
 * evaluated thunks in the entries). */
enum { NX_ATTRS_LAYERED = 0x4000 };

typedef struct nx_attrs_layer {
    nx_obj h;
    uint32_t n;                /* entries in a[] */
    uint32_t depth;
    struct nx_attrs *base;     /* the set below; NULL once flattened */
    struct nx_attrs *flat;     /* the flat view once made, else NULL */
    nx_attr a[];
} nx_attrs_layer;

/* Environments: h.aux = number of slots; NX_ENV_WITH marks a `with`
 * environment whose slot 0 holds the attribute set expression's value. */
enum { NX_ENV_WITH = 1 };

typedef struct nx_env {
    nx_obj h;
    struct nx_env *up;
    nx_value slot[];
} nx_env;

struct nx_code;
struct nx_builtin;

/* Closure flag: made in a lazy position, where CppNix would have made a
 * thunk; printed as <CODE> until it is used (nx_print_value). */
enum { NX_CLOSURE_LAZY = 1 };

typedef struct nx_closure {
    nx_obj h;
    struct nx_code *code;
    nx_env *env;
} nx_closure;

typedef struct nx_primop {
    nx_obj h;
    const struct nx_builtin *b;
} nx_primop;

/* h.aux = number of arguments collected so far. */
typedef struct nx_papp {
    nx_obj h;
    const struct nx_builtin *b;
    nx_value args[];
} nx_papp;

/* Thunks: h.aux is the state.  PENDING: code + env; APP: fn applied to
 * arg (made by builtins such as map); BLACKHOLE: under evaluation;
 * DONE: value. */
enum { NX_THUNK_PENDING, NX_THUNK_APP, NX_THUNK_BLACKHOLE, NX_THUNK_DONE };

typedef struct nx_thunk {
    nx_obj h;
    union {
        struct nx_code *code;
        nx_value fn;
        nx_value value;
    } a;
    union {
        nx_env *env;
        nx_value arg;
    } b;
} nx_thunk;

/* ---- inline accessors ---------------------------------------------------- */

static inline bool nx_is_smallint(nx_value v) { return v & 1; }
static inline int64_t nx_smallint(nx_value v) { return (int64_t)v >> 1; }
static inline nx_value nx_mk_smallint(int64_t i) { return ((uint64_t)i << 1) | 1; }
#define NX_THUNK_TAG ((nx_value)4)
static inline bool nx_is_ptr(nx_value v) { return v && (v & 3) == 0; }
static inline nx_obj *nx_obj_of(nx_value v) { return (nx_obj *)(uintptr_t)(v & ~(nx_value)7); }
/* The value of a heap object that is not a thunk. */
static inline nx_value nx_from_obj(const void *o) { return (nx_value)(uintptr_t)o; }
/* The value of a thunk object (tagged). */
static inline nx_value nx_from_thunk(const void *t) { return (nx_value)(uintptr_t)t | NX_THUNK_TAG; }
static inline int nx_objtype_of(nx_value v) { return nx_is_ptr(v) ? nx_obj_of(v)->type : 0; }
static inline bool nx_is_type(nx_value v, int t) { return nx_is_ptr(v) && nx_obj_of(v)->type == t; }
static inline nx_value nx_bool(bool b) { return b ? NX_TRUE : NX_FALSE; }

static inline bool nx_is_thunk(nx_value v) { return (v & 7) == NX_THUNK_TAG; }

/* Follows evaluated thunks to their value; returns a pending thunk as is. */
static inline nx_value nx_deref(nx_value v)
{
    while (nx_is_thunk(v) && nx_obj_of(v)->aux == NX_THUNK_DONE) v = ((nx_thunk *)nx_obj_of(v))->a.value;
    return v;
}

/* True if v (after nx_deref) still needs evaluation. */
static inline bool nx_needs_force(nx_value v) { return nx_is_thunk(v); }

static inline bool nx_is_int(nx_value v) { return nx_is_smallint(v) || nx_is_type(v, NX_OBJ_INT); }
static inline int64_t nx_int_val(nx_value v)
{
    return nx_is_smallint(v) ? nx_smallint(v) : ((nx_int_obj *)nx_obj_of(v))->v;
}
static inline bool nx_is_float(nx_value v) { return nx_is_type(v, NX_OBJ_FLOAT); }
static inline double nx_float_val(nx_value v) { return ((nx_float_obj *)nx_obj_of(v))->v; }
static inline bool nx_is_string(nx_value v) { return nx_is_type(v, NX_OBJ_STRING); }
static inline bool nx_is_path(nx_value v) { return nx_is_type(v, NX_OBJ_PATH); }
static inline nx_string *nx_str(nx_value v) { return (nx_string *)nx_obj_of(v); }
static inline uint32_t nx_str_len(nx_value v) { return nx_obj_of(v)->aux; }
static inline bool nx_is_list(nx_value v) { return nx_is_type(v, NX_OBJ_LIST); }
static inline nx_list *nx_listp(nx_value v) { return (nx_list *)nx_obj_of(v); }
static inline uint32_t nx_list_len(nx_value v) { return nx_obj_of(v)->aux; }
static inline bool nx_is_attrs(nx_value v) { return nx_is_type(v, NX_OBJ_ATTRS); }
nx_attrs *nx_attrs_flat_of(nx_attrs *a);
static inline bool nx_attrs_obj_layered(const nx_attrs *a)
{
    return NX_UNLIKELY(a->h.flags & NX_ATTRS_LAYERED) && a->h.type == NX_OBJ_ATTRS;
}
/* The set object of v as it is, flat or layered: for nx_attrs_find and
 * h.aux (the number of names) only, never for a[]. */
static inline nx_attrs *nx_attrs_raw(nx_value v) { return (nx_attrs *)nx_obj_of(v); }
/* The flat set of v, whose a[0..h.aux) every reader may index: a layered
 * set is flattened on first use (allocates, no safepoint) and the flat
 * copy kept in it.  Use nx_attrs_find to look up one name without
 * flattening. */
static inline nx_attrs *nx_attrsp(nx_value v)
{
    nx_attrs *a = (nx_attrs *)nx_obj_of(v);
    return nx_attrs_obj_layered(a) ? nx_attrs_flat_of(a) : a;
}
/* Number of distinct names of a set value (flat or layered). */
static inline uint32_t nx_attrs_count(nx_value v) { return nx_obj_of(v)->aux; }
/* The entry named s of a flat set, or NULL.  Half the lookups of a NixOS
 * evaluation are in sets of at most 4 names (mostly misses: `with`
 * scopes, `or`, __functor and __toString checks): a scan, inline; larger
 * sets go to nx_attrs_search's binary search (vm/heap.c). */
nx_attr *nx_attrs_search(nx_attrs *a, nx_sym s);
static inline nx_attr *nx_attrs_get(nx_attrs *a, nx_sym s)
{
    uint32_t n = a->h.aux;
    if (n <= 4) {
        for (uint32_t i = 0; i < n; i++)
            if (a->a[i].name == s) return &a->a[i];
        return NULL;
    }
    return nx_attrs_search(a, s);
}
/* Lookups with a per-site cache (an inline cache in the instruction):
 * *ic is the position the last lookup at the same site ended at — the
 * index of the name, or where it would be inserted when absent.  Names
 * are sorted and distinct, so one check of the entries at that position
 * proves the answer whenever the set has the same layout around it (sets
 * built by the same code, or the same set again): a[ic] is s (found), or
 * a[ic-1] < s < a[ic] (absent).  Only otherwise a binary search
 * (nx_attrs_search_ic, which stores the new position in *ic).  Any value
 * of *ic is safe: it is checked, never trusted. */
nx_attr *nx_attrs_search_ic(nx_attrs *a, nx_sym s, uint32_t *ic);
static inline nx_attr *nx_attrs_get_ic(nx_attrs *a, nx_sym s, uint32_t *ic)
{
    uint32_t n = a->h.aux, i = *ic;
    if (NX_LIKELY(i < n)) {
        nx_sym at = a->a[i].name;
        if (at == s) return &a->a[i];
        if (at > s && (i == 0 || a->a[i - 1].name < s)) return NULL;
    } else if (i == n && (n == 0 || a->a[n - 1].name < s)) {
        return NULL;
    }
    return nx_attrs_search_ic(a, s, ic);
}
/* Looks s up in the layers of the layered set a, top down, until it
 * reaches a flat set (the bottom one, or the flattened copy of a layer):
 * returns the entry if a layer above has it, else NULL with *flat set to
 * that flat set, where the caller looks next.  Never allocates. */
nx_attr *nx_attrs_find_layers(nx_attrs *a, nx_sym s, nx_attrs **flat);
nx_attr *nx_attrs_find_layered(nx_attrs *a, nx_sym s);
/* The entry named s of the set value v, or NULL; walks a layered set's
 * layers without flattening it.  Never allocates.  The entry may be
 * written (a forced value) but its address is not an index into
 * nx_attrsp(v)->a unless the set is flat. */
static inline nx_attr *nx_attrs_find(nx_value v, nx_sym s)
{
    nx_attrs *a = nx_attrs_raw(v);
    return nx_attrs_obj_layered(a) ? nx_attrs_find_layered(a, s) : nx_attrs_get(a, s);
}
/* nx_attrs_find with a per-site cache (see nx_attrs_get_ic): a layered
 * set's layers are searched (they are small), the cache serves the flat
 * set under them. */
static inline nx_attr *nx_attrs_find_ic(nx_value v, nx_sym s, uint32_t *ic)
{
    nx_attrs *a = nx_attrs_raw(v);
    if (nx_attrs_obj_layered(a)) {
        nx_attr *x = nx_attrs_find_layers(a, s, &a);
        if (x) return x;
    }
    return nx_attrs_get_ic(a, s, ic);
}
static inline bool nx_is_function(nx_value v)
{
    int t = nx_objtype_of(v);
    return t == NX_OBJ_CLOSURE || t == NX_OBJ_PRIMOP || t == NX_OBJ_PAPP;
}

/* Nix's type name of a value in weak head normal form ("int", "set", ...). */
const char *nx_type_name(nx_value v);
/* CppNix's "showType" phrase for errors ("an integer", "a set", ...). */
const char *nx_type_phrase(nx_value v);

#endif
