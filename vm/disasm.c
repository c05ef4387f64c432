/* disasm.c — bytecode listings, driven by the info tables generated from
 * opcodes.def (names and operand formats). */
#include "vm/disasm.h"

#include <stdlib.h>
#include <string.h>

#include "vm/heap.h"
#include "vm/opcodes.h"
#include "vm/ops.h"
#include "vm/scope.h"
#include "vm/source.h"

static uint32_t rd32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static void pos_text(nx_buf *b, nx_pos p)
{
    nx_source *s = nx_source_get(p.src);
    if (!s) {
        nx_buf_adds(b, "?");
        return;
    }
    uint32_t line, col;
    nx_source_linecol(s, p.off, &line, &col);
    nx_buf_printf(b, "%u:%u", line, col);
}

static const char *kind_name(int k)
{
    return k == NX_CODE_TOP ? "top" : k == NX_CODE_LAMBDA ? "lambda" : "thunk";
}

/* Lists one code object; children get ids in the order they are listed. */
static void list_one(nx_buf *b, const nx_code *c, uint32_t id, uint32_t *next_id, const nx_code ***queue,
                     uint32_t *nqueue, uint32_t *capqueue)
{
    nx_buf_printf(b, "code #%u (%s", id, kind_name(c->kind));
    if (nx_code_name(c)) nx_buf_printf(b, " %s", nx_sym_str(nx_code_name(c)));
    nx_source *s = nx_source_get(c->pos.src);
    nx_buf_printf(b, ") at %s:", s ? s->name : "?");
    pos_text(b, c->pos);
    nx_buf_printf(b, ", max stack %u", c->max_stack);
    if (c->kind == NX_CODE_LAMBDA) {
        const nx_lambda_code *lc = nx_code_lambda(c);
        nx_buf_printf(b, ", %u slots", lc->nslots);
        if (lc->arg) nx_buf_printf(b, ", arg %s", nx_sym_str(lc->arg));
        if (lc->has_formals) {
            nx_buf_adds(b, ", formals {");
            for (uint32_t i = 0; i < lc->nformals; i++)
                nx_buf_printf(b, "%s%s%s", i ? ", " : " ", nx_sym_str(lc->formals[i].name),
                              lc->formals[i].def >= 0 || lc->formals[i].constant || lc->formals[i].alias_level >= 0 ? " ?" : "");
            nx_buf_adds(b, lc->ellipsis ? ", ... }" : " }");
        }
    }
    nx_buf_addc(b, '\n');
    uint32_t first_child = *next_id;
    for (uint32_t i = 0; i < c->nchildren; i++) {
        if (*nqueue == *capqueue) {
            *capqueue = *capqueue ? *capqueue * 2 : 16;
            *queue = nx_xrealloc(*queue, *capqueue * sizeof **queue);
        }
        (*queue)[(*nqueue)++] = c->children[i];
    }
    *next_id += c->nchildren;
    uint32_t pc = 0;
    nx_pos last = NX_NOPOS;
    while (pc < c->len) {
        uint8_t op = c->bc[pc];
        if (op >= NX_OP__COUNT) {
            nx_buf_printf(b, "  %5u  <bad opcode %u>\n", pc, op);
            break;
        }
        const nx_opinfo *info = &nx_opinfo_table[op];
        nx_pos p = nx_code_pos_at(c, pc);
        nx_buf_printf(b, "  %5u  ", pc);
        if (p.src != last.src || p.off != last.off) {
            nx_buf t = { 0 };
            pos_text(&t, p);
            nx_buf_printf(b, "%-9s", t.data ? t.data : "");
            nx_buf_free(&t);
            last = p;
        } else {
            nx_buf_adds(b, "         ");
        }
        nx_buf_printf(b, "%-14s", info->name);
        const uint8_t *o = c->bc + pc + 1;
        switch (info->fmt) {
        case NX_FMT_U32: {
            uint32_t k = rd32(o);
            nx_buf_printf(b, "%u", k & 0x7fffffffu);
            if (op == NX_OP_CONST) {
                nx_buf_adds(b, "    ; ");
                nx_show_value_short(b, nx_code_consts(c)[k]);
            } else if (op == NX_OP_THUNK || op == NX_OP_CLOSURE) {
                nx_buf_printf(b, "    ; code #%u%s", first_child + (k & 0x7fffffffu), (k >> 31) ? " (lazy)" : "");
            } else if (op == NX_OP_GLOBAL) {
                nx_buf_printf(b, "    ; %s", nx_sym_str(nx_global_name(k)));
            } else if (op == NX_OP_ATTRS || op == NX_OP_ATTRS_REC) {
                nx_buf_adds(b, "    ;");
                const nx_keyset *ks = &nx_code_keysets(c)[k];
                for (uint32_t i = 0; i < ks->n; i++) nx_buf_printf(b, " %s", nx_sym_str(ks->names[i]));
            }
            break;
        }
        case NX_FMT_I32:
            nx_buf_printf(b, "%+d    ; -> %u", (int32_t)rd32(o), pc + 5 + (int32_t)rd32(o));
            break;
        case NX_FMT_LVL_IDX:
            nx_buf_printf(b, "%u %u", rd32(o), rd32(o + 4));
            break;
        /* Lookup caches are not shown: they change as the code runs. */
        case NX_FMT_SYM_LVL_IC:
            nx_buf_printf(b, "%s %u", nx_sym_str(rd32(o)), rd32(o + 4));
            break;
        case NX_FMT_SYM_IC:
            nx_buf_printf(b, "%u    ; %s", rd32(o), nx_sym_str(rd32(o)));
            break;
        case NX_FMT_SYM_IC_I32:
            nx_buf_printf(b, "%s %+d    ; -> %u", nx_sym_str(rd32(o)), (int32_t)rd32(o + 8),
                          pc + 13 + (int32_t)rd32(o + 8));
            break;
        case NX_FMT_SPEC:
            nx_buf_printf(b, "%u %u %+d    ; else code #%u", rd32(o), rd32(o + 4), (int32_t)rd32(o + 8), first_child + rd32(o + 12));
            break;
        case NX_FMT_U32_U32:
            nx_buf_printf(b, "%u %u", rd32(o), rd32(o + 4));
            break;
        }
        nx_buf_addc(b, '\n');
        pc += 1 + nx_fmtinfo_table[info->fmt].bytes;
    }
}

void nx_disassemble(nx_buf *out, const nx_code *code)
{
    const nx_code **queue = NULL;
    uint32_t nqueue = 0, capqueue = 0, next_id = 1, head = 0;
    list_one(out, code, 0, &next_id, &queue, &nqueue, &capqueue);
    while (head < nqueue) {
        nx_buf_addc(out, '\n');
        list_one(out, queue[head], head + 1, &next_id, &queue, &nqueue, &capqueue);
        head++;
    }
    free(queue);
}
