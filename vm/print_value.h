/* print_value.h — printing values as `nix-instantiate --eval` does
 * (CppNix's printAmbiguous): <CODE> for unevaluated thunks, <LAMBDA>,
 * <PRIMOP>, <PRIMOP-APP>, «repeated» for a set or list seen before. */
#ifndef NX_PRINT_VALUE_H
#define NX_PRINT_VALUE_H

#include "vm/vm.h"

/* Forces v and everything inside it (cycles terminate); false on error. */
bool nx_force_deep(nx_vm *vm, nx_value *v);
void nx_print_value(nx_buf *out, nx_value v);
/* `--json`: v must be forced already (thunks are an error, as in CppNix
 * without --strict); false with vm->err set on error. */
bool nx_print_json(nx_vm *vm, nx_buf *out, nx_value v);
/* `--xml`: CppNix's printValueAsXML layout (unevaluated parts print as
 * <unevaluated />). */
void nx_print_xml(nx_buf *out, nx_value v);

#endif
