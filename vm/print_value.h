/* print_value.h — printing values as `nix-instantiate --eval` does
 * (CppNix's printAmbiguous): <CODE> for unevaluated thunks, <LAMBDA>,
 * <PRIMOP>, <PRIMOP-APP>, «repeated» for a set or list seen before. */
#ifndef NX_PRINT_VALUE_H
#define NX_PRINT_VALUE_H

#include "vm/vm.h"

/* Forces v and everything inside it (cycles terminate); false on error,
 * with forceValueDeep's trace entries (the path to the failing value)
 * when trace is set (`--strict`; CppNix's XML printer adds none). */
bool nx_force_deep(nx_vm *vm, nx_value *v, bool trace);
void nx_print_value(nx_buf *out, nx_value v);
/* The strings that sets with __toString print as in JSON (CppNix's
 * printValueAsJSON calls tryAttrsToString before it looks at outPath or
 * the attributes), made by a JSON forcing walk (nx_json_walk,
 * vm/builtins/walk.c) before printing: the printer and the context
 * collection cannot call back into the evaluator.  By the set's address
 * (open addressing, nx_ptr_slot), in C memory; the sets and strings are
 * kept alive by the walk's slots while the table is used. */
typedef struct nx_json_strs {
    nx_value *key, *str;
    size_t cap;
} nx_json_strs;
/* From the walk's list of n values, (set, string) pairs in turn; a set
 * met twice keeps its last string (both calls gave the same).
 * Allocates (C memory); free with nx_json_strs_free. */
void nx_json_strs_init(nx_json_strs *t, const nx_value *pairs, size_t n);
/* The string of set, or NX_NOVALUE (also for t NULL). */
nx_value nx_json_strs_get(const nx_json_strs *t, nx_value set);
void nx_json_strs_free(nx_json_strs *t);
/* builtins.toJSON's and structured derivations' printer: v and its parts
 * must be forced already (a thunk is an error, as in CppNix without
 * strict); a set in t prints as its string.  Never runs the evaluator;
 * false with vm->err set on error. */
bool nx_print_json(nx_vm *vm, nx_buf *out, nx_value v, const nx_json_strs *t);
/* `--json` (the driver, without --strict): the same, except that a set
 * with __toString is called and its result coerced here (as CppNix does
 * even without --strict).  Runs the VM (driver only); false with vm->err
 * set on error. */
bool nx_print_json_driver(nx_vm *vm, nx_buf *out, nx_value *v);
/* The printer's error for v, a function (closure, builtin, partial
 * application): "cannot convert a function to JSON", at a lambda's
 * position.  For the forcing walk, which reports it where CppNix's
 * printer meets it, before anything after it is forced. */
void nx_json_unconvertible(nx_vm *vm, nx_value v);
/* `--xml`: CppNix's printValueAsXML layout (unevaluated parts print as
 * <unevaluated />). */
void nx_print_xml(nx_buf *out, nx_value v);
/* `--json --strict`: forces *v's parts as they are printed, in CppNix's
 * printValueAsJSON order (a set's __toString first, else a set with
 * outPath only through it), with its trace entries; false with vm->err
 * set on error.  Runs the VM (driver only); *v must be a GC root. */
bool nx_print_json_strict(nx_vm *vm, nx_buf *out, nx_value *v);
/* The same document with or without positions (builtins.toXML: without);
 * a derivation (type = "derivation") prints as <derivation drvPath outPath>
 * with its attributes the first time its drvPath is seen, <repeated />
 * after.  Returns false if the nesting goes deeper than NX_XML_MAX_DEPTH
 * (a cyclic value: CppNix overflows its stack); the output then stops
 * there. */
#define NX_XML_MAX_DEPTH 10000
bool nx_print_xml_doc(nx_buf *out, nx_value v, bool location);

#endif
