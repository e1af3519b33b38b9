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

/* The memo's tables, one per kind of text. */
typedef enum {
  MEMO_SOURCES,
  MEMO_METRICS,
  MEMO_WHO,
  MEMO_WORDS,
  MEMO_VALUES,
  MEMO_PLACES,
  MEMO_DATES,
  MEMO_VIAS,
  MEMO_N_KINDS
} MemoKind;

/* The first entry in the table of @kind whose text hashes to @hash (that
 * of the text sought, nearly always), or NULL.  Safe on any thread while
 * the reader adds to the memo.  The lookups below take what it found as
 * @found, compare its text with theirs and look the text up when it
 * differs (or @found is NULL): they give what they would give without
 * it. */
gconstpointer memo_peek(const ReadMemo *memo, MemoKind kind, guint32 hash);

/* Frees what the memo kept for threads that may be peeking: call when no
 * other thread peeks any more. */
void memo_settle(ReadMemo *memo);

/* Asks the processor to fetch the slot where memo_peek() of a text hashed
 * @hash will look first, or (@entry, once that slot is fetched) the entry
 * it points to: a few peeks in flight at once wait for memory together,
 * not one after the other.  Any thread. */
void memo_prefetch(const ReadMemo *memo, MemoKind kind, guint32 hash, gboolean entry);

/* What a source name reads as: its text, sources_key() of it and the
 * rule's spelling (else the text), all three interned. */
const ClaimSource *memo_source(ReckonEngine *engine, const char *name, guint32 hash,
                              gconstpointer found);

/* reckon_rules_metric() of @name, interned; NULL for an unknown metric. */
const char *memo_metric(ReckonEngine *engine, const char *name, guint32 hash, gconstpointer found);

/* fold_words() of @who, interned; NULL when nothing is left. */
const char *memo_who(ReckonEngine *engine, const char *who, guint32 hash, gconstpointer found);

/* A value phrase: its range and its text, interned.  On a phrase that does
 * not parse returns NULL with @error set; failures are not remembered. */
const ClaimValue *memo_value(ReckonEngine *engine, const char *phrase, guint32 hash,
                            gconstpointer found, GError **error);

/* One place text: its folded key (fold_name()) interned, or NULL when it
 * names no place.  *text_kept (when not NULL) is set to @text interned. */
const char *memo_place_key(ReckonEngine *engine, const char *text, guint32 hash,
                           gconstpointer found, const char **text_kept);

/* date_span_parse() of @text; FALSE with *reason (static) as it gives. */
gboolean memo_date(ReckonEngine *engine, const char *text, guint32 hash, gconstpointer found,
                   DateSpan *span, const char **reason);

/* The value of the JSON number @item, which reads as @range: its text as
 * cJSON prints it, interned. */
const ClaimValue *memo_number(ReckonEngine *engine, const cJSON *item, const ReckonRange *range);

/* The value of the JSON object @item, one or two members "low" and
 * "high" each a number or null, which reads as @range: its text as cJSON
 * prints it, interned.  Printed once per distinct object: printing it
 * for every claim was 4% of the instructions of a load. */
const ClaimValue *memo_object(ReckonEngine *engine, const cJSON *item, const ReckonRange *range);

/* A via list of @n outlet names: a NULL-terminated array of the names
 * interned, owned by the memo and shared by every claim with the same
 * list. */
const char **memo_via(ReckonEngine *engine, const char *const *names, guint n);

/* @text interned, for texts that repeat (incident.what). */
const char *memo_word(ReckonEngine *engine, const char *text, guint32 hash, gconstpointer found);

/* @file interned; the same pointer for every claim of a file. */
const char *memo_file(ReckonEngine *engine, const char *file);

/* "FILE:LINE" in a buffer of the memo's, valid until the next call. */
const char *memo_file_line(ReckonEngine *engine, const char *file, guint line);

/* Where the claim id @id (memo_hash() @hash) was first seen: a sighting
 * for memo_sighting_text(), or 0 when no claim taken had it. */
guint memo_id_find(const ReckonEngine *engine, const char *id, guint32 hash);

/* "FILE:LINE" of a sighting, as memo_file_line() gives it. */
const char *memo_sighting_text(ReckonEngine *engine, guint sighting);

/* Records that the claim last put in the engine's claims, whose id is
 * interned and hashed @hash, is the first with its id. */
void memo_id_add(ReckonEngine *engine, guint32 hash);

/* Before @claim is taken out of the engine's claims: its id stays taken,
 * first seen where the claim was.  memo_id_release() once the claims
 * have moved. */
void memo_id_gone(ReckonEngine *engine, const Claim *claim);

/* Frees the id table (8 bytes a claim, 16 MB for a million) until ids are
 * asked for again, when it is made again from the claims: call when no
 * claims will be read for a while (a run), or after claims moved in the
 * array. */
void memo_id_release(ReckonEngine *engine);

/* Forgets the claim id @id (stream.c takes back a claim it read). */
void memo_id_forget(ReckonEngine *engine, const char *id);

/* Asks the processor for the slot memo_id_seen() will read first. */
void memo_id_prefetch(const ReckonEngine *engine, guint32 hash);

#endif /* RECKON_MEMO_H */
