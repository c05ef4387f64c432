/* toml.h — the C interface of vm/builtins/toml11.cc, which parses TOML with
 * toml11 (the library CppNix uses) and hands back a plain tree. */
#ifndef NX_TOML_H
#define NX_TOML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
    NX_TOML_TABLE,    /* children with keys */
    NX_TOML_ARRAY,    /* children */
    NX_TOML_BOOL,
    NX_TOML_INT,
    NX_TOML_FLOAT,
    NX_TOML_STRING,   /* s, len */
    NX_TOML_DATETIME, /* s, len: the timestamp as toml11 prints it */
    NX_TOML_EMPTY,
};

typedef struct nx_toml_node {
    int kind;
    bool b;
    int64_t i;
    double d;
    char *s;                      /* string or timestamp text (malloc'd) */
    size_t len;
    char *key;                    /* member of a table: its key (malloc'd) */
    size_t keylen;
    size_t n;                     /* table / array: number of children */
    struct nx_toml_node *children;
} nx_toml_node;

/* Parses text as TOML.  Returns a malloc'd tree (free with nx_toml_free),
 * or NULL with *err a malloc'd message (toml11's, as CppNix shows it). */
nx_toml_node *nx_toml_parse(const char *text, size_t len, char **err);
void nx_toml_free(nx_toml_node *root);

#ifdef __cplusplus
}
#endif

#endif
