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
/* `--json`: v must be forced already (thunks are an error, as in CppNix
 * without --strict); false with vm->err set on error. */
bool nx_print_json(nx_vm *vm, nx_buf *out, nx_value v);
/* `--xml`: CppNix's printValueAsXML layout (unevaluated parts print as
 * <unevaluated />). */
void nx_print_xml(nx_buf *out, nx_value v);
/* `--json --strict`: forces *v's parts as they are printed, in CppNix's
 * printValueAsJSON order (a set with outPath only through it), with its
 * trace entries; false with vm->err set on error.  Runs the VM (driver
 * only); *v must be a GC root. */
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
