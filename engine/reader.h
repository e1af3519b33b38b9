/*
 * reader.h - what the three parts of the reading stage share.  input.c
 * finds the claims in a file's text (JSON Lines, a JSON array) and holds
 * each to the limits; csv.c does the same for CSV, turning each record into
 * the JSON object a JSON claim would be; reader.c checks a claim object
 * field by field and records it, or its rejection.
 */
#ifndef RECKON_READER_H
#define RECKON_READER_H

#include "engine-private.h"
#include "jsonpack.h"
#include "reckon/error.h"

/* Keep at most this much of a rejected claim's text: enough to find and
 * fix it, never a copy of a runaway line. */
#define REJECT_TEXT_MAX 65536

/* Records a reject: "FILE:LINE: reason", the claim's id when known, and
 * (when @text is not NULL) a bounded, valid UTF-8 copy of its text.
 * Returns FALSE with @error set (@code, "FILE:LINE: reason") when the
 * engine is strict, TRUE otherwise. */
gboolean reader_reject(ReckonEngine *engine, ReckonError code, const char *file, guint line,
                       const char *id, const char *reason, const char *text, gsize text_len,
                       GError **error);

/* Checks @obj as a claim and records it, or its rejection with @text. */
gboolean reader_take_claim(ReckonEngine *engine, const char *file, guint line, const cJSON *obj,
                           const char *text, gsize text_len, GError **error);

/* The fields of claims format v1 and of its incident object. */
#define READER_N_FIELDS 11
#define READER_N_INCIDENT_FIELDS 4

/* The members of a claim object that reader.c reads, found in one walk
 * over its names.  They depend on the object alone, so a parsing thread
 * finds them (reader_find_fields()) and the thread that takes claims in
 * order only reads them. */
typedef struct {
  gboolean object;     /* the claim is a JSON object; nothing else is set when not */
  char *reason;        /* a name that appears twice, or NULL */
  const cJSON *field[READER_N_FIELDS];
  guint32 hash[READER_N_FIELDS]; /* memo_hash() of the fields the memo looks up, when strings */
  gconstpointer found[READER_N_FIELDS]; /* reader_peek_fields(): memo entries of their hashes */
  gboolean extra;      /* members of other names, passed through */
  char *incident_reason; /* the same for "incident", when it is an object */
  const cJSON *incident[READER_N_INCIDENT_FIELDS];
  guint32 incident_hash[READER_N_INCIDENT_FIELDS];
  gconstpointer incident_found[READER_N_INCIDENT_FIELDS];
} ClaimFields;

void reader_find_fields(const cJSON *obj, ClaimFields *fields);

/* The reader's own string for a member name it reads (a field of a claim
 * or of its incident) equal to the @len bytes at @text, or NULL: parsed
 * with it (jsonpack_parse()), a claim's fields are told apart by address. */
const char *reader_shared_name(const char *text, gsize len);
void reader_fields_clear(ClaimFields *fields);

/* Finds the memo's entries for the texts of @fields by their hashes
 * (memo_peek()), on a thread that parses claims while the reader adds to
 * the memo: the reader compares each with its text and uses it.  The
 * steps before READER_PEEK_FIND only ask for the memory it will read;
 * taken a claim apart, they wait for it together. */
typedef enum {
  READER_PEEK_SLOTS,
  READER_PEEK_ENTRIES,
  READER_PEEK_FIND,
} ReaderPeekStep;

void reader_peek_fields(const ReckonEngine *engine, ClaimFields *fields, ReaderPeekStep step);

/* On the thread that takes claims, a few claims ahead: asks for the
 * memory taking the claim of @fields will read (its id's slot in the id
 * table, the memo entries found for it). */
void reader_prefetch_fields(const ReckonEngine *engine, const ClaimFields *fields);

/* reader_take_claim() of @obj with its @fields found. */
gboolean reader_take_fields(ReckonEngine *engine, const char *file, guint line, const cJSON *obj,
                            const ClaimFields *fields, const char *text, gsize text_len,
                            GError **error);

/* input.c: checks, parses and takes the JSON text of one claim, as a line
 * of JSON Lines at @file:@line is taken (stream.c feeds it line by line). */
gboolean reader_take_text(ReckonEngine *engine, const char *file, guint line, const char *text,
                          gsize len, GError **error);

/* Checks the raw text of one claim before it is parsed: not longer than
 * max_claim_bytes (*code RECKON_ERROR_LIMIT), valid UTF-8 without NUL
 * bytes (*code RECKON_ERROR_INPUT).  FALSE with a newly allocated *reason. */
gboolean reader_check_text(const ReckonEngine *engine, const char *text, gsize len,
                           char **reason, ReckonError *code);

/* @text cut to at most @max_chars characters, "…" marking a cut; newly
 * allocated.  Messages quote input through it. */
char *reader_excerpt(const char *text, guint max_chars);

/* TRUE when [@p, @end) holds only ASCII blanks: a line with no claim. */
gboolean reader_blank(const char *p, const char *end);

/* One claim's text on its way from the input to reader_take_claim(). */
typedef struct {
  const char *text; /* the claim's text (a line without its end) */
  gsize len;
  gsize full_len;   /* its length in the input: more than @len when only the
                     * head of a line too long to read was kept */
  guint line;
  cJSON *obj;       /* input_parse(): the claim parsed, or NULL with @reason */
  gboolean packed;  /* @obj is a copy that lines.c packed: not cJSON's to free */
  gboolean found;   /* @fields are found (lines.c, on the thread that parsed @obj) */
  ClaimFields fields;
  char *reason;
  ReckonError code;
} ParsedText;

/* input.c: checks @t's text against the limits and parses it: sets @obj,
 * or @reason and @code.  Reads nothing of @engine but its options, so
 * threads may call it at once. */
void input_parse(const ReckonEngine *engine, ParsedText *t);

/* input.c: input_parse() with @obj in @slab, as jsonpack.c builds it
 * (or copies it when cJSON parsed it). */
void input_parse_packed(const ReckonEngine *engine, ParsedText *t, Slab *slab);

/* input.c: takes a parsed text as a claim, or records its reject.  The
 * engine keeps nothing of @t: input_clear() may free it on any thread. */
gboolean input_take(ReckonEngine *engine, const char *file, const ParsedText *t, GError **error);

/* input.c: frees what input_parse() set. */
void input_clear(ParsedText *t);

/* input.c: TRUE when text that starts with @data (@len bytes) can be read
 * a block of lines at a time: JSON Lines, as reader_load_text() would
 * read it.  *skip is set to the bytes of a byte-order mark to skip. */
gboolean input_is_lines(const char *name, const char *data, gsize len, gsize *skip);

/* lines.c: reads JSON Lines text already in memory, its blocks of lines
 * parsed on the engine's threads and taken in input order. */
gboolean lines_load_text(ReckonEngine *engine, const char *name, const char *data, gsize len,
                         GError **error);

/* lines.c: reads claims from the open file @fd a block at a time (JSON
 * Lines), or whole (other formats, through reader_load_text()). */
gboolean lines_load_fd(ReckonEngine *engine, const char *name, int fd, GError **error);

/* csv.c: reads @data (after any byte-order mark) as CSV claims. */
gboolean csv_load(ReckonEngine *engine, const char *name, const char *data, gsize len,
                  GError **error);

/* csv.c: TRUE when the first line of @data is a CSV header with a
 * "source" column, the sign that text of unknown name is CSV. */
gboolean csv_names_source(const char *data, gsize len);

#endif /* RECKON_READER_H */
