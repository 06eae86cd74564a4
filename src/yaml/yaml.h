/* yaml.h - a YAML 1.2 reader and a writer in the style of yq v4 (go-yaml
 * v3's emitter), over jv values (jv.h), plus yq's other output formats.
 *
 * Reading: block and flow collections, plain/quoted/block scalars, core
 * schema resolution, anchors and aliases (expanded), merge keys (<<),
 * tags !!str !!int !!float !!bool !!null, multiple documents. Comments and
 * styles (flow collections, quoted scalars) are kept in a side table keyed
 * by the node's path, so that a document written back looks as it was read.
 * Mapping keys become strings. */
#ifndef WASMSH_YAML_H
#define WASMSH_YAML_H

#include "common.h"
#include "jv.h"

typedef struct YamlDoc {
    Jv value;
    Jv meta;     /* object: path key -> {"h": head comment, "l": line comment, "s": style} */
    Jv foot;     /* comment after the last node (string) or invalid */
    bool empty;  /* the stream had no document (empty, or comments only) */
    bool explicit_start; /* began with "---" */
} YamlDoc;

typedef struct YamlDocs {
    YamlDoc *v;
    size_t n, cap;
} YamlDocs;

/* Parses every document of text. Returns true, or false with *err (owned)
 * set to a message in yq's words ("yaml: line N: ..."). */
bool yaml_parse(const char *text, size_t len, YamlDocs *out, char **err);
void yaml_docs_free(YamlDocs *d);

/* The key of a path (an array of strings and numbers) in a meta table. */
void yaml_path_key(StrBuf *b, Jv path);

typedef struct YamlOut {
    int indent;        /* spaces per level (yq -I), default 2 */
    bool pretty;       /* -P: block style everywhere, no kept styles */
    bool keep;         /* use meta for comments and styles */
    const YamlDoc *src; /* the document the value came from (for comments) */
    bool root_is_doc;  /* the value stands for the source document (paths from its root) */
} YamlOut;

/* Writes v as a YAML document (without a trailing "---"), newline-terminated. */
void yaml_emit(StrBuf *b, Jv v, const YamlOut *o);

/* yq's other output formats: props, csv, tsv. false with *err on a value
 * the format cannot hold. */
void yaml_emit_props(StrBuf *b, Jv v);
bool yaml_emit_csv(StrBuf *b, Jv v, char sep, char **err);
/* A scalar as yq prints it unwrapped (strings raw). */
void yaml_scalar_text(StrBuf *b, Jv v);

#endif
