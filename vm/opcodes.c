/* opcodes.c — the info tables, generated from opcodes.def. */
#include "vm/opcodes.h"

const nx_fmtinfo nx_fmtinfo_table[NX_FMT__COUNT] = {
#define FMT(name, bytes, desc) [NX_FMT_##name] = { #name, bytes, desc },
#include "opcodes.def"
};

const nx_opinfo nx_opinfo_table[NX_OP__COUNT] = {
#define OP(name, fmt, pop, push, flags) [NX_OP_##name] = { #name, NX_FMT_##fmt, pop, push, flags },
#include "opcodes.def"
};
