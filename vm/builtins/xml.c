/* xml.c — builtins.toXML: the value forced completely (an explicit
 * worklist in the frame's slots, no C recursion into the evaluator), then
 * printed by vm/print_value.c's XML printer without positions. */
#include <stdlib.h>
#include <string.h>

#include "vm/builtins/builtins.h"
#include "vm/print_value.h"
#include "vm/store/context.h"

#define I(v) nx_smallint(v)
#define MKI(i) nx_mk_smallint(i)

/* Slots: the stack of values still to force (a list used as a growable
 * array, and its depth); the objects already walked (an open-addressing
 * table of object addresses kept in the bytes of a string object, which
 * the collector does not trace — the objects are reachable from the
 * argument anyway — and its count); the drvPaths seen (list, count); the
 * strings with a context that the printer will print (list, count): as in
 * CppNix, the result carries their contexts. */
enum { S_STACK, S_N, S_SEEN, S_NSEEN, S_DRVS, S_NDRVS, S_STRS, S_NSTRS, S_NSLOTS };

static nx_attr *get(nx_attrs *a, nx_sym *sym, const char *name) { return nx_attrs_get(a, nx_sym_cached(sym, name)); }

NX_STATES(xml, "toXML", X_START, X_WALK);

/* toXML v: forces v in the printer's order (attributes by name; for a
 * derivation `type`, `drvPath` and `outPath` first, and its attributes
 * only the first time its drvPath is seen, as CppNix), then prints. */
static int step_toXML(nx_vm *vm, nx_frame *f)
{
    if (f->state == X_START) {
        SLOT(S_DRVS) = nx_walk_list(16);
        SLOT(S_NDRVS) = MKI(0);
        SLOT(S_STRS) = nx_walk_list(16);
        SLOT(S_NSTRS) = MKI(0);
        nx_walk_begin(f, S_STACK, S_N, S_SEEN, S_NSEEN, ARG(0));
        f->state = X_WALK;
    }
    for (;;) {
        uint32_t n = (uint32_t)I(SLOT(S_N));
        if (n == 0) break;
        nx_value *top = &nx_listp(SLOT(S_STACK))->v[n - 1];
        nx_value v = *top;
        NEED(v);
        *top = v;
        /* A lambda in a lazy position is a thunk in CppNix until forced. */
        if (nx_is_type(v, NX_OBJ_CLOSURE)) nx_obj_of(v)->flags &= (uint16_t)~NX_CLOSURE_LAZY;
        if (nx_is_attrs(v)) {
            nx_attrs *a = nx_attrsp(v);
            static nx_sym s_type, s_drvPath, s_outPath;
            nx_attr *type = get(a, &s_type, "type");
            bool drv = false;
            if (type) {
                nx_value t = type->value;
                NEED(t);
                drv = nx_is_string(t) && strcmp(nx_str(t)->s, "derivation") == 0;
            }
            if (drv) {
                nx_attr *dp = get(a, &s_drvPath, "drvPath"), *op = get(a, &s_outPath, "outPath");
                nx_value d = NX_NULL;
                if (dp) {
                    d = dp->value;
                    NEED(d);
                }
                if (op) {
                    nx_value o = op->value;
                    NEED(o);
                }
                bool repeated = !nx_is_string(d) || nx_str_len(d) == 0;
                uint32_t nd = (uint32_t)I(SLOT(S_NDRVS));
                for (uint32_t i = 0; i < nd && !repeated; i++) {
                    nx_value s = nx_listp(SLOT(S_DRVS))->v[i];
                    repeated = nx_str_len(s) == nx_str_len(d) && memcmp(nx_str(s)->s, nx_str(d)->s, nx_str_len(d)) == 0;
                }
                if (!repeated) nx_walk_push(f, S_DRVS, S_NDRVS, d);
                if (repeated) {
                    SLOT(S_N) = MKI(n - 1);
                    continue;
                }
            }
            SLOT(S_N) = MKI(n - 1);
            if (!nx_walk_seen_add(f, S_SEEN, S_NSEEN, v)) continue;
            nx_attr **order = nx_attrs_by_name(a);
            for (uint32_t i = a->h.aux; i-- > 0;) nx_walk_push(f, S_STACK, S_N, order[i]->value);
            free(order);
            continue;
        }
        SLOT(S_N) = MKI(n - 1);
        if (nx_is_string(v) && nx_str(v)->ctx) nx_walk_push(f, S_STRS, S_NSTRS, v);
        if (nx_is_list(v) && nx_walk_seen_add(f, S_SEEN, S_NSEEN, v))
            for (uint32_t i = nx_list_len(v); i-- > 0;) nx_walk_push(f, S_STACK, S_N, nx_listp(v)->v[i]);
    }
    /* The text is printed in place for the result string, in a buffer
     * the size of the last call's output: the NixOS manual prints its
     * options.xml (megabytes) once per machine, and growing a fresh
     * buffer by doubling each time was most of a fleet evaluation's page
     * faults (docs/benchmarks.md, session 7).  A buffer kept from call to
     * call and copied into the string held two more copies at the peak. */
    static size_t last_len;
    nx_buf b;
    nx_string_buf_init(&b, last_len + last_len / 8);
    if (!nx_print_xml_doc(&b, ARG(0), false)) {
        free(b.data);
        FAIL("stack overflow (possible infinite recursion)");
    }
    last_len = b.len;
    nx_ctxacc ctx = { 0 };
    uint32_t ns = (uint32_t)I(SLOT(S_NSTRS));
    for (uint32_t i = 0; i < ns; i++) nx_ctx_add_all(&ctx, nx_str(nx_listp(SLOT(S_STRS))->v[i])->ctx);
    RETURN_VALUE(nx_string_buf_finish(&b, nx_ctx_finish(&ctx)));
}

static const nx_builtin table[] = {
    { "toXML", 1, 0, S_NSLOTS, false, step_toXML },
};

const nx_builtin_table nx_builtins_xml = { table, NX_ARRAY_LEN(table) };
