/* source.h — loaded source texts (files, -E strings, stdin) and their line
 * indexes.  A source lives for the whole process and is named by a small
 * integer id, which AST nodes, code objects and error positions carry. */
#ifndef NX_SOURCE_H
#define NX_SOURCE_H

#include "vm/common.h"

typedef struct nx_source {
    uint32_t id;
    const char *name;      /* shown in errors: a path, «string» or «stdin» */
    const char *dir;       /* base directory for relative path literals */
    const char *text;      /* NUL-terminated copy of the contents */
    size_t len;
    uint32_t *line_starts; /* byte offset of each line, built on first use */
    uint32_t nlines;
    bool is_file;          /* lines as getline sees them (no empty last line) */
} nx_source;

/* Registers a source; the text is copied.  Returns its id (never 0). */
uint32_t nx_source_add(const char *name, const char *dir, const char *text, size_t len);
/* Reads a file; on failure returns 0 and sets errno. */
uint32_t nx_source_load_file(const char *path);
nx_source *nx_source_get(uint32_t id);
/* The next id nx_source_add will return (1 before the first source). */
uint32_t nx_source_count(void);
/* Frees the sources with ids `from` and above, so their ids are reused:
 * nothing may refer to them any more.  For the fuzzers (tests/fuzz), which
 * load one source per input. */
void nx_source_drop_from(uint32_t from);

/* Maps a byte offset to a 1-based line and column (columns count bytes;
 * "\n", "\r\n" and a lone "\r" end a line, as in CppNix's lexer). */
void nx_source_linecol(nx_source *src, uint32_t offset, uint32_t *line, uint32_t *col);
/* The text of a 1-based line without its terminator. */
const char *nx_source_line(nx_source *src, uint32_t line, size_t *len);

#endif
