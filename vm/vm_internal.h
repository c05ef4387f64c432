/* vm_internal.h — declarations shared by vm.c, exec.c and the builtins. */
#ifndef NX_VM_INTERNAL_H
#define NX_VM_INTERNAL_H

#include "vm/vm.h"

extern nx_code nx_halt_code, nx_native_code, nx_apply_code;
/* nx_apply_code's instructions (APPLY_THUNK, CALL, RETURN): a THUNK frame
 * whose pc is NX_APPLY_WAIT only waits to return its callee's value
 * (push_force and RETURN in vm/exec.c); a link-time constant, not a load. */
extern uint8_t nx_apply_bc[];
#define NX_APPLY_WAIT (nx_apply_bc + 2)
/* CALL2's trampoline for (f a) b (vm/exec.c): the call site of what it
 * calls is its caller's CALL2 instruction (vm/trace.c). */
extern nx_code nx_call2_code;
extern nx_code nx_functor_code;

bool nx_push_force(nx_vm *vm, nx_value thunk);

#endif
