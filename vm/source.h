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
    const char *text;      /* NUL-terminated copy of the contents, or NULL
                              once released (nx_source_release_text) */
    size_t len;
    uint32_t *line_starts; /* byte offset of each line, built on first use */
    uint32_t nlines;
    uint32_t base;         /* position ids base..base+len name offsets 0..len
                              (nx_pos_id); 0 when they did not fit */
    bool is_file;          /* lines as getline sees them (no empty last line) */
    bool released;         /* text freed after compiling; re-read on demand */
} nx_source;

/* Registers a source; the text is copied.  Returns its id (never 0). */
uint32_t nx_source_add(const char *name, const char *dir, const char *text, size_t len);
/* Reads a file; on failure returns 0 and sets errno. */
uint32_t nx_source_load_file(const char *path);
nx_source *nx_source_get(uint32_t id);
/* The text of a source (NUL-terminated at s->len).  A released file's text
 * is read again from disk (and kept); if that fails, an empty text.
 * Allocates; never NULL. */
const char *nx_source_text(nx_source *s);
/* Frees the text of a file source once it is compiled: code objects copy
 * what they use, and only error excerpts and line numbers need the text
 * again (they re-read the file).  No-op for non-file sources. */
void nx_source_release_text(uint32_t id);
/* Position ids without a table: each source owns the id range
 * [base, base + len], so an id is its source's base plus the offset.
 * 0 = no position (src 0, or a source whose range did not fit 32 bits). */
uint32_t nx_source_pos_id(uint32_t src, uint32_t off);
/* The source and offset of a position id; false for 0 or an unknown id. */
bool nx_source_pos_get(uint32_t id, uint32_t *src, uint32_t *off);
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
