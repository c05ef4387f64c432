/* disasm.h — `nixe --dump-bytecode`: a listing of compiled code. */
#ifndef NX_DISASM_H
#define NX_DISASM_H

#include "vm/code.h"

/* Appends a listing of code and, after it, of every child code object. */
void nx_disassemble(nx_buf *out, const nx_code *code);

#endif
