/* ast.h — the abstract syntax tree produced by the parser.
 *
 * Every node starts with an nx_node header: its kind, the source it came
 * from and the byte span [start, end) it covers.  Nodes of a parse live in
 * one arena and are freed together.  The shape follows CppNix's Expr
 * classes where that matters for behaviour: operators that CppNix desugars
 * into calls of builtins (a - b → __sub a b, a < b → __lessThan a b, ...)
 * are CALL nodes with the NX_NF_DESUGARED flag, so `nixe --parse` prints
 * them as nix-instantiate does while the compiler can still emit a direct
 * opcode when the name resolves to the builtin. */
#ifndef NX_AST_H
#define NX_AST_H

#include "vm/arena.h"
#include "vm/common.h"
#include "vm/symbol.h"

typedef enum nx_node_kind {
    NX_N_INT,          /* 42 */
    NX_N_FLOAT,        /* 1.5 */
    NX_N_STR,          /* "text" (no interpolation), URIs */
    NX_N_PATH,         /* ./a resolved to an absolute path */
    NX_N_VAR,          /* x */
    NX_N_SELECT,       /* e.a.b or def */
    NX_N_HASATTR,      /* e ? a.b */
    NX_N_ATTRS,        /* { ... } and rec { ... } */
    NX_N_LIST,         /* [ ... ] */
    NX_N_LAMBDA,       /* x: e, { a, b ? d, ... } @ x: e */
    NX_N_CALL,         /* f a b */
    NX_N_LET,          /* let ... in e */
    NX_N_WITH,         /* with e; e */
    NX_N_IF,           /* if c then a else b */
    NX_N_ASSERT,       /* assert c; e */
    NX_N_NOT,          /* ! e */
    NX_N_EQ,           /* a == b */
    NX_N_NEQ,          /* a != b */
    NX_N_AND,          /* a && b */
    NX_N_OR,           /* a || b */
    NX_N_IMPL,         /* a -> b */
    NX_N_UPDATE,       /* a // b */
    NX_N_CONCATLISTS,  /* a ++ b */
    NX_N_CONCATSTRINGS,/* a + b, "a${b}", ./a/${b} */
    NX_N_CURPOS,       /* __curPos */
    NX_N__COUNT
} nx_node_kind;

enum {
    NX_NF_DESUGARED = 1,   /* CALL made from an operator (-, *, /, <, ...) */
    NX_NF_FORCE_STRING = 2 /* CONCATSTRINGS from string interpolation */
};

typedef struct nx_node {
    uint8_t kind;
    uint8_t flags;
    uint16_t reserved;
    uint32_t src;          /* source id (vm/source.h) */
    uint32_t start, end;   /* byte span in the source */
    uint32_t pos;          /* where errors point (CppNix's pos): the operator
                              of a binary expression, else start */
} nx_node;

typedef struct { nx_node h; int64_t v; } nx_n_int;
typedef struct { nx_node h; double v; } nx_n_float;
/* Strings may contain NUL bytes; len is authoritative. */
typedef struct { nx_node h; const char *s; size_t len; } nx_n_str;
typedef nx_n_str nx_n_path;

/* How a variable was resolved (filled in by vm/scope.c). */
enum { NX_VAR_UNRESOLVED, NX_VAR_LOCAL, NX_VAR_WITH, NX_VAR_GLOBAL };

typedef struct {
    nx_node h;
    nx_sym name;
    uint8_t how;           /* NX_VAR_* */
    uint32_t level;        /* environments to walk up (LOCAL, WITH) */
    uint32_t index;        /* slot in that environment (LOCAL) or global id */
} nx_n_var;

/* One component of an attribute path: a static name or an expression. */
typedef struct nx_attrname {
    nx_sym sym;            /* NX_SYM_NONE when dynamic */
    nx_node *expr;         /* the ${...} or "..${}.." expression, or NULL */
    uint32_t pos;          /* byte offset of the component */
} nx_attrname;

typedef struct {
    nx_node h;
    nx_node *e;
    nx_attrname *path;
    uint32_t npath;
    nx_node *def;          /* `or` default, or NULL */
} nx_n_select;

typedef struct {
    nx_node h;
    nx_node *e;
    nx_attrname *path;
    uint32_t npath;
} nx_n_hasattr;

enum {
    NX_ATTR_PLAIN,         /* name = value; */
    NX_ATTR_INHERIT,       /* inherit name;  (value is a VAR node) */
    NX_ATTR_INHERIT_FROM   /* inherit (e) name;  (value is a SELECT of e) */
};

typedef struct nx_attrdef {
    nx_sym name;
    uint8_t kind;          /* NX_ATTR_* */
    uint32_t pos;          /* byte offset of the name */
    uint32_t from;         /* INHERIT_FROM: index into inherit_from */
    nx_node *value;
} nx_attrdef;

typedef struct nx_dynattr {
    nx_node *name;         /* expression giving the name */
    nx_node *value;
    uint32_t pos;
} nx_dynattr;

typedef struct {
    nx_node h;
    bool rec;
    nx_attrdef *attrs;     /* in source order */
    uint32_t nattrs, capattrs;
    nx_dynattr *dyn;
    uint32_t ndyn, capdyn;
    nx_node **inherit_from;/* the e of each `inherit (e)`, evaluated once */
    uint32_t nfrom, capfrom;
    uint32_t *index;       /* hash index sym → attrs slot+1 while parsing */
    uint32_t nindex;
} nx_n_attrs;

typedef struct {
    nx_node h;
    nx_node **elems;
    uint32_t n;
} nx_n_list;

typedef struct nx_formal {
    nx_sym name;
    uint32_t pos;
    nx_node *def;          /* default, or NULL */
} nx_formal;

typedef struct {
    nx_node h;
    nx_sym arg;            /* x in x: or args@{..}; NX_SYM_NONE if none */
    bool has_formals;
    bool ellipsis;
    nx_formal *formals;    /* in source order */
    uint32_t nformals;
    nx_node *body;
    nx_sym name;           /* binding it was defined under, for traces */
} nx_n_lambda;

typedef struct {
    nx_node h;
    nx_node *fn;
    nx_node **args;
    uint32_t nargs, capargs;
} nx_n_call;

typedef struct {
    nx_node h;
    nx_n_attrs *attrs;
    nx_node *body;
} nx_n_let;

typedef struct { nx_node h; nx_node *attrs, *body; } nx_n_with;
typedef struct { nx_node h; nx_node *cond, *then, *els; } nx_n_if;
/* The condition's text is [h.start + 6, cond_end): from after the keyword
 * to the `;` (the compiler keeps only this span, vm/compile.c). */
typedef struct { nx_node h; nx_node *cond, *body; uint32_t cond_end; } nx_n_assert;
typedef struct { nx_node h; nx_node *e; } nx_n_not;
typedef struct { nx_node h; nx_node *a, *b; } nx_n_binop;

typedef struct {
    nx_node h;
    nx_node **parts;
    uint32_t *ppos;        /* where errors about each part point */
    uint32_t n;
} nx_n_concat;

typedef nx_node nx_n_curpos;


#endif
