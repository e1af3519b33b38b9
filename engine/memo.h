/*
 * memo.h - the reader's memory of texts it has already read.  Claims
 * repeat a few thousand sources, places, metrics and value phrases across
 * millions of lines; reader.c asks here first, so each distinct text is
 * folded, looked up or parsed once per engine, and every claim that
 * repeats it shares one interned copy in the engine's string chunk.
 */
#ifndef RECKON_MEMO_H
#define RECKON_MEMO_H

#include "engine-private.h"

typedef struct _ReadMemo ReadMemo;

ReadMemo *memo_new(void);
void memo_free(ReadMemo *memo);

/* The hash of a text that the lookups below take with it.  It depends on
 * the text alone, so the thread that parses a claim computes it
 * (reader_find_fields()) and the thread that takes claims in order only
 * looks it up. */
guint32 memo_hash(const char *text);

/* What a source name reads as: all three interned. */
typedef struct {
  const char *source;      /* as written */
  const char *source_key;  /* sources_key() */
  const char *source_name; /* the rule's spelling, else @source */
} SourceMemo;

const SourceMemo *memo_source(ReckonEngine *engine, const char *name, guint32 hash);

/* reckon_rules_metric() of @name, interned; NULL for an unknown metric. */
const char *memo_metric(ReckonEngine *engine, const char *name, guint32 hash);

/* fold_words() of @who, interned; NULL when nothing is left. */
const char *memo_who(ReckonEngine *engine, const char *who, guint32 hash);

/* A value phrase: its range and its text, interned.  On a phrase that does
 * not parse returns NULL with @error set; failures are not remembered. */
typedef struct {
  ReckonRange range;
  const char *value;
} ValueMemo;

const ValueMemo *memo_value(ReckonEngine *engine, const char *phrase, guint32 hash,
                            GError **error);

/* One place text: its folded key (fold_name()) interned, or NULL when it
 * names no place.  *text_kept (when not NULL) is set to @text interned. */
const char *memo_place_key(ReckonEngine *engine, const char *text, guint32 hash,
                           const char **text_kept);

/* date_span_parse() of @text; FALSE with *reason (static) as it gives. */
gboolean memo_date(ReckonEngine *engine, const char *text, guint32 hash, DateSpan *span,
                   const char **reason);

/* The text cJSON prints for the number @item, interned. */
const char *memo_number_text(ReckonEngine *engine, const cJSON *item);

/* A via list of @n outlet names: a NULL-terminated array of the names
 * interned, owned by the memo and shared by every claim with the same
 * list. */
const char **memo_via(ReckonEngine *engine, const char *const *names, guint n);

/* @text interned, for texts that repeat (incident.what). */
const char *memo_word(ReckonEngine *engine, const char *text, guint32 hash);

/* @file interned; the same pointer for every claim of a file. */
const char *memo_file(ReckonEngine *engine, const char *file);

/* "FILE:LINE" in a buffer of the memo's, valid until the next call. */
const char *memo_file_line(ReckonEngine *engine, const char *file, guint line);

/* Records that a claim id was first seen at @file (interned, as
 * memo_file() gives it) and @line, in eight bytes; returns the non-NULL
 * pointer-sized number the engine's id table keeps for it. */
gpointer memo_sighting(ReckonEngine *engine, const char *file, guint line);

/* "FILE:LINE" of a sighting, as memo_file_line() gives it. */
const char *memo_sighting_text(ReckonEngine *engine, gconstpointer sighting);

#endif /* RECKON_MEMO_H */
