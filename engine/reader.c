/*
 * reader.c - the first stage's checks: one claim object of claims format
 * v1 (from input.c's JSON or csv.c's CSV) into a Claim record, field by
 * field.  A claim that fails becomes a reject with "FILE:LINE: reason" and
 * the others go on.  The value phrase goes to range.c, the metric through
 * rules/metrics.
 */
#include <string.h>

#include "memo.h"
#include "reader.h"
#include "reckon/error.h"

/* Fields of claims format v1; anything else is passed through.  Both
 * lists are in the order claims usually write them (members()). */
enum { F_ID, F_SOURCE, F_VIA, F_DOC, F_PUBLISHED, F_AS_OF, F_INCIDENT, F_METRIC, F_WHO, F_VALUE,
       F_QUOTE, N_FIELDS };
static const char *const known_fields[N_FIELDS + 1] = {
  "id", "source", "via", "doc", "published", "as_of", "incident",
  "metric", "who", "value", "quote", NULL,
};

/* The fields of an incident object. */
enum { I_WHAT, I_WHERE, I_WHEN, I_KEY, N_INCIDENT_FIELDS };
static const char *const incident_fields[N_INCIDENT_FIELDS + 1] = {
  "what", "where", "when", "key", NULL,
};
G_STATIC_ASSERT(N_FIELDS == READER_N_FIELDS && N_INCIDENT_FIELDS == READER_N_INCIDENT_FIELDS);

/* The most characters of a claim's text a reason quotes, and the most a
 * reason holds: it names what it refuses, but never a runaway field whole. */
#define QUOTE_MAX 60
#define REASON_MAX 400

char *reader_excerpt(const char *text, guint max_chars)
{
  const char *p = text;
  for (guint n = 0; *p && n < max_chars; n++)
    p = g_utf8_next_char(p);
  if (!*p)
    return g_strdup(text);
  return g_strdup_printf("%.*s\xE2\x80\xA6", (int)(p - text), text); /* U+2026 … */
}

static const char *intern(ReckonEngine *engine, const char *s)
{
  return s ? g_string_chunk_insert_const(engine->strings, s) : NULL;
}

/* A reject's text as the rejects file shows it: at most REJECT_TEXT_MAX
 * bytes, cut at a character boundary, bytes that are not UTF-8 (and NUL)
 * replaced by U+FFFD, so the record is always valid JSON text. */
static const char *reject_text(ReckonEngine *engine, const char *text, gsize len)
{
  if (!text)
    return NULL;
  if (len > REJECT_TEXT_MAX) {
    len = REJECT_TEXT_MAX;
    for (int back = 0; back < 3 && len > 0 && ((guchar)text[len] & 0xC0) == 0x80; back++)
      len--;
  }
  char *valid = g_utf8_make_valid(text, (gssize)len);
  const char *kept = g_string_chunk_insert(engine->strings, valid);
  g_free(valid);
  return kept;
}

gboolean reader_reject(ReckonEngine *engine, ReckonError code, const char *file, guint line,
                       const char *id, const char *reason, const char *text, gsize text_len,
                       GError **error)
{
  char *brief = reader_excerpt(reason, REASON_MAX);
  ReckonReject r = {
    .file = intern(engine, file),
    .line = line,
    .id = id ? g_string_chunk_insert(engine->strings, id) : NULL,
    /* Reasons repeat (a file of bad lines says the same thing often). */
    .reason = intern(engine, brief),
    .text = reject_text(engine, text, text_len),
  };
  g_free(brief);
  g_array_append_val(engine->rejects, r);
  if (engine->opts.strict) {
    g_set_error(error, RECKON_ERROR, code, "%s:%u: %s", file, line, r.reason);
    return FALSE;
  }
  return TRUE;
}

static gboolean blank(const char *s)
{
  for (; *s; s++)
    if (!g_ascii_isspace(*s))
      return FALSE;
  return TRUE;
}

/* Reads an optional string field from its member @item (NULL when
 * absent); FALSE (with *reason) when present but not a string.  JSON null
 * counts as absent.  @label names the field in messages ("source",
 * "incident.when"). */
static gboolean opt_string(const cJSON *item, const char *label, const char **out, char **reason)
{
  *out = NULL;
  if (!item || json_is_null(item))
    return TRUE;
  if (!json_is_string(item)) {
    *reason = g_strdup_printf("field '%s' must be a string", label);
    return FALSE;
  }
  *out = item->valuestring;
  return TRUE;
}

static gboolean req_string(const cJSON *item, const char *field, const char **out, char **reason)
{
  if (!opt_string(item, field, out, reason))
    return FALSE;
  if (!*out || blank(*out)) {
    *reason = g_strdup_printf("missing required field '%s'", field);
    return FALSE;
  }
  return TRUE;
}

static gboolean opt_date(ReckonEngine *engine, const cJSON *item, guint32 hash,
                         gconstpointer found, const char *label, DateSpan *out, char **reason)
{
  const char *text;
  memset(out, 0, sizeof *out);
  if (!opt_string(item, label, &text, reason))
    return FALSE;
  if (!text)
    return TRUE;
  const char *why;
  if (!memo_date(engine, text, hash, found, out, &why)) {
    char *quoted = reader_excerpt(text, QUOTE_MAX);
    *reason = g_strdup_printf("field '%s': %s: '%s'", label, why, quoted);
    g_free(quoted);
    return FALSE;
  }
  return TRUE;
}

/* A JSON number that is a whole count in [0, RECKON_COUNT_MAX]. */
static gboolean json_count(const cJSON *item, const char *what, guint64 *out, char **reason)
{
  double v = item->valuedouble;
  if (!(v >= 0)) {
    *reason = g_strdup_printf("%s must not be negative", what);
    return FALSE;
  }
  if (v > (double)RECKON_COUNT_MAX) {
    *reason = g_strdup_printf("%s is larger than %" G_GUINT64_FORMAT, what, RECKON_COUNT_MAX);
    return FALSE;
  }
  if (v != (double)(guint64)v) {
    *reason = g_strdup_printf("%s must be a whole number", what);
    return FALSE;
  }
  *out = (guint64)v;
  return TRUE;
}

/* FALSE (with *reason) when a member name of @obj appears twice: JSON
 * leaves the meaning of {"source": "A", "source": "B"} open, and taking
 * either one would be a guess.  @label names the object in the message. */
static gboolean names_unique(const cJSON *obj, const char *label, char **reason)
{
  const char *twice = NULL;
  guint n = 0;
  for (const cJSON *c = obj->child; c; c = c->next)
    n++;
  if (n <= 16) {
    /* Claims have a dozen fields: comparing pairs beats building a table. */
    for (const cJSON *a = obj->child; a && !twice; a = a->next)
      for (const cJSON *b = a->next; b && !twice; b = b->next)
        if (a->string && b->string && strcmp(a->string, b->string) == 0)
          twice = a->string;
  } else {
    GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
    for (const cJSON *c = obj->child; c && !twice; c = c->next)
      if (c->string && !g_hash_table_add(seen, c->string))
        twice = c->string;
    g_hash_table_unref(seen);
  }
  if (twice)
    *reason = g_strdup_printf("field '%s%s%s' appears twice", label, label[0] ? "." : "", twice);
  return twice == NULL;
}

/* @a and @b are the same text: member names are a few letters long, and
 * inline this costs less than a call of strcmp(). */
static inline gboolean same_name(const char *a, const char *b)
{
  while (*a && *a == *b)
    a++, b++;
  return *a == *b;
}

/* The members of @obj named in @names (@n of them), found in one walk
 * over its children: @found[i] is the first member named names[i], or
 * NULL.  *extra tells whether it has members of other names.  Names that
 * repeat are judged by names_unique(), so the message names the same
 * field whichever way it is found; FALSE with *reason then.
 *
 * Claims write their members in much the same order, and @names is in
 * that order: the search for a name starts after the name found last,
 * so that it is nearly always the first one compared. */
static gboolean members(const cJSON *obj, const char *const *names, guint n, const char *label,
                        const cJSON **found, gboolean *extra, char **reason)
{
  gboolean repeated = FALSE;
  memset(found, 0, n * sizeof *found);
  *extra = FALSE;
  guint next = 0;
  for (const cJSON *c = obj->child; c; c = c->next) {
    const char *name = c->string;
    guint tried = 0, i = next;
    for (; name && tried < n; tried++, i = i + 1 == n ? 0 : i + 1)
      if (names[i] == name || same_name(names[i], name))
        break;
    if (!name || tried == n)
      *extra = TRUE;
    else if (found[i])
      repeated = TRUE;
    else
      found[i] = c;
    if (name && tried < n)
      next = i + 1 == n ? 0 : i + 1;
  }
  return !(repeated || *extra) || names_unique(obj, label, reason);
}

/* @name when the @n bytes at @text are its letters, else NULL; @n a
 * constant, so that the compare is a load or two. */
#define SHARED_IF_SAME(name, n) (memcmp(text, (name), (n)) == 0 ? (name) : NULL)

const char *reader_shared_name(const char *text, gsize len)
{
  /* By length, then by a letter that tells the names of that length
   * apart; the compare then rules out any other text. */
  switch (len) {
  case 2: return SHARED_IF_SAME(known_fields[F_ID], 2);
  case 3:
    return SHARED_IF_SAME(text[0] == 'v'   ? known_fields[F_VIA]
                          : text[0] == 'd' ? known_fields[F_DOC]
                          : text[0] == 'w' ? known_fields[F_WHO]
                                           : incident_fields[I_KEY],
                          3);
  case 4: return SHARED_IF_SAME(text[2] == 'a' ? incident_fields[I_WHAT] : incident_fields[I_WHEN], 4);
  case 5:
    return SHARED_IF_SAME(text[0] == 'a'   ? known_fields[F_AS_OF]
                          : text[0] == 'v' ? known_fields[F_VALUE]
                          : text[0] == 'q' ? known_fields[F_QUOTE]
                                           : incident_fields[I_WHERE],
                          5);
  case 6: return SHARED_IF_SAME(text[0] == 's' ? known_fields[F_SOURCE] : known_fields[F_METRIC], 6);
  case 8: return SHARED_IF_SAME(known_fields[F_INCIDENT], 8);
  case 9: return SHARED_IF_SAME(known_fields[F_PUBLISHED], 9);
  default: return NULL;
  }
}

/* The fields whose texts the memo looks up, and in which of its tables. */
static const struct {
  guint field;
  MemoKind kind;
} looked_up[] = {
  {F_SOURCE, MEMO_SOURCES}, {F_METRIC, MEMO_METRICS}, {F_WHO, MEMO_WHO},
  {F_VALUE, MEMO_VALUES},   {F_PUBLISHED, MEMO_DATES}, {F_AS_OF, MEMO_DATES},
};
static const MemoKind incident_kind[N_INCIDENT_FIELDS] = {
  [I_WHAT] = MEMO_WORDS, [I_KEY] = MEMO_N_KINDS /* none */, [I_WHEN] = MEMO_DATES,
  [I_WHERE] = MEMO_PLACES,
};

/* memo_hash() of @item's text when it is a string, else 0. */
static guint32 string_hash(const cJSON *item)
{
  return json_is_string(item) ? memo_hash(item->valuestring) : 0;
}

void reader_find_fields(const cJSON *obj, ClaimFields *fields)
{
  memset(fields, 0, sizeof *fields);
  fields->object = json_is_object(obj);
  if (!fields->object ||
      !members(obj, known_fields, N_FIELDS, "", fields->field, &fields->extra, &fields->reason))
    return;
  for (guint i = 0; i < G_N_ELEMENTS(looked_up); i++)
    fields->hash[looked_up[i].field] = string_hash(fields->field[looked_up[i].field]);
  fields->hash[F_ID] = string_hash(fields->field[F_ID]); /* for the id table */
  const cJSON *inc = fields->field[F_INCIDENT];
  gboolean extra;
  if (!json_is_object(inc) || !members(inc, incident_fields, N_INCIDENT_FIELDS, "incident",
                                       fields->incident, &extra, &fields->incident_reason))
    return;
  for (guint i = 0; i < N_INCIDENT_FIELDS; i++)
    if (incident_kind[i] != MEMO_N_KINDS)
      fields->incident_hash[i] = string_hash(fields->incident[i]);
}

/* One step of reader_peek_fields() for the text of @item. */
static gconstpointer peek(const ReckonEngine *engine, MemoKind kind, const cJSON *item,
                          guint32 hash, ReaderPeekStep step)
{
  if (!json_is_string(item))
    return NULL;
  if (step == READER_PEEK_FIND)
    return memo_peek(engine->memo, kind, hash);
  memo_prefetch(engine->memo, kind, hash, step == READER_PEEK_ENTRIES);
  return NULL;
}

void reader_peek_fields(const ReckonEngine *engine, ClaimFields *fields, ReaderPeekStep step)
{
  for (guint i = 0; i < G_N_ELEMENTS(looked_up); i++) {
    guint f = looked_up[i].field;
    fields->found[f] = peek(engine, looked_up[i].kind, fields->field[f], fields->hash[f], step);
  }
  for (guint i = 0; i < N_INCIDENT_FIELDS; i++)
    if (incident_kind[i] != MEMO_N_KINDS)
      fields->incident_found[i] = peek(engine, incident_kind[i], fields->incident[i],
                                       fields->incident_hash[i], step);
}

void reader_prefetch_fields(const ReckonEngine *engine, const ClaimFields *fields)
{
  if (json_is_string(fields->field[F_ID]))
    memo_id_prefetch(engine, fields->hash[F_ID]);
  for (guint i = 0; i < N_FIELDS; i++)
    if (fields->found[i])
      __builtin_prefetch(fields->found[i]);
  for (guint i = 0; i < N_INCIDENT_FIELDS; i++)
    if (fields->incident_found[i])
      __builtin_prefetch(fields->incident_found[i]);
}

void reader_fields_clear(ClaimFields *fields)
{
  g_clear_pointer(&fields->reason, g_free);
  g_clear_pointer(&fields->incident_reason, g_free);
}


/* "value": a phrase, a number, or {"low": N|null, "high": N|null}. */
static gboolean read_value(ReckonEngine *engine, const cJSON *item, guint32 hash,
                           gconstpointer found, Claim *claim, char **reason)
{
  if (!item || json_is_null(item)) {
    *reason = g_strdup("missing required field 'value'");
    return FALSE;
  }
  if (json_is_string(item)) {
    GError *err = NULL;
    const ClaimValue *v = memo_value(engine, item->valuestring, hash, found, &err);
    if (!v) {
      char *quoted = reader_excerpt(item->valuestring, QUOTE_MAX);
      *reason = g_strdup_printf("value '%s': %s", quoted, err->message);
      g_free(quoted);
      g_error_free(err);
      return FALSE;
    }
    claim->value = v;
    return TRUE;
  }
  ReckonRange r = {0};
  if (json_is_number(item)) {
    if (!json_count(item, "value", &r.low, reason))
      return FALSE;
    r.high = r.figure = r.low;
    r.kind = RECKON_KIND_EXACT;
  } else if (json_is_object(item)) {
    if (!names_unique(item, "value", reason))
      return FALSE;
    const cJSON *lo = cJSON_GetObjectItemCaseSensitive(item, "low");
    const cJSON *hi = cJSON_GetObjectItemCaseSensitive(item, "high");
    gboolean has_lo = lo && !json_is_null(lo), has_hi = hi && !json_is_null(hi);
    if ((has_lo && !json_is_number(lo)) || (has_hi && !json_is_number(hi))) {
      *reason = g_strdup("value.low and value.high must be numbers or null");
      return FALSE;
    }
    if (!has_lo && !has_hi) {
      *reason = g_strdup("value object needs 'low' or 'high'");
      return FALSE;
    }
    for (const cJSON *c = item->child; c; c = c->next)
      if (!c->string || (strcmp(c->string, "low") != 0 && strcmp(c->string, "high") != 0)) {
        *reason = g_strdup_printf("value object has unknown field '%s'", c->string ? c->string : "");
        return FALSE;
      }
    r.low = 0;
    r.high = RECKON_UNBOUNDED;
    if (has_lo && !json_count(lo, "value.low", &r.low, reason))
      return FALSE;
    if (has_hi && !json_count(hi, "value.high", &r.high, reason))
      return FALSE;
    if (r.low > r.high) {
      *reason = g_strdup("value.low is larger than value.high");
      return FALSE;
    }
    if (r.low == r.high)
      r.kind = RECKON_KIND_EXACT;
    else if (r.high == RECKON_UNBOUNDED)
      r.kind = RECKON_KIND_AT_LEAST;
    else if (r.low == 0)
      r.kind = RECKON_KIND_AT_MOST;
    else
      r.kind = RECKON_KIND_BETWEEN;
    r.figure = r.kind == RECKON_KIND_AT_LEAST  ? r.low
               : r.kind == RECKON_KIND_AT_MOST ? r.high
                                               : r.low + (r.high - r.low) / 2;
  } else {
    *reason = g_strdup("field 'value' must be a phrase, a number or {\"low\", \"high\"}");
    return FALSE;
  }
  claim->value = json_is_number(item) ? memo_number(engine, item, &r) : memo_object(engine, item, &r);
  return TRUE;
}

static int compare_strings(gconstpointer a, gconstpointer b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "where": a string or an array of strings.  Several places are joined in
 * a stable order, so ["Idlib", "northern Aleppo"] and the reverse meet. */
static gboolean read_where(ReckonEngine *engine, const cJSON *item, guint32 hash,
                           gconstpointer found, Claim *claim, char **reason)
{
  if (json_is_string(item)) {
    /* One place, the common case: the memo's text, if it names a place. */
    if (!memo_place_key(engine, item->valuestring, hash, found, &claim->where)) {
      *reason = g_strdup("incident.where names no place");
      return FALSE;
    }
    return TRUE;
  }
  GPtrArray *texts = g_ptr_array_new();
  gboolean ok = json_is_array(item);
  for (const cJSON *c = ok ? item->child : NULL; c && ok; c = c->next) {
    ok = json_is_string(c);
    if (ok)
      g_ptr_array_add(texts, c->valuestring);
  }
  if (!ok) {
    *reason = g_strdup("incident.where must be a string or an array of strings");
    g_ptr_array_free(texts, TRUE);
    return FALSE;
  }
  gboolean named = FALSE;
  for (guint i = 0; i < texts->len && !named; i++) {
    const char *text = g_ptr_array_index(texts, i);
    named = memo_place_key(engine, text, memo_hash(text), NULL, NULL) != NULL;
  }
  if (!named) {
    *reason = g_strdup("incident.where names no place");
    ok = FALSE;
  } else {
    g_ptr_array_sort(texts, compare_strings);
    g_ptr_array_add(texts, NULL);
    char *text = g_strjoinv(" + ", (char **)texts->pdata);
    claim->where = intern(engine, text);
    g_free(text);
  }
  g_ptr_array_free(texts, TRUE);
  return ok;
}

/* The one record equal to @record (@size bytes) in *@table, which is
 * made on first need and owns its records: claims share records of what
 * few of them differ in. */
static gconstpointer shared_record(GHashTable **table, GHashFunc hash, GEqualFunc equal,
                                   gconstpointer record, gsize size)
{
  if (!*table)
    *table = g_hash_table_new_full(hash, equal, g_free, NULL);
  gpointer kept = g_hash_table_lookup(*table, record);
  if (!kept) {
    kept = g_memdup2(record, size);
    g_hash_table_add(*table, kept);
  }
  return kept;
}

/* Records named by two interned addresses. */
static guint two_hash(gconstpointer a, gconstpointer b)
{
  return g_direct_hash(a) ^ (g_direct_hash(b) * 31);
}

static guint rare_hash(gconstpointer p)
{
  return two_hash(((const ClaimRare *)p)->key, ((const ClaimRare *)p)->via);
}

static gboolean rare_equal(gconstpointer a, gconstpointer b)
{
  const ClaimRare *x = a, *y = b;
  return x->key == y->key && x->via == y->via;
}

/* A claim's record of @key and @via (interned, or NULL) and @extra
 * (taken, or NULL): its own with @extra, else the one shared by the
 * claims that give the same, NULL for none. */
static const ClaimRare *rare_of(ReckonEngine *engine, const char *key, const char **via,
                                cJSON *extra)
{
  if (extra)
    return g_memdup2(&(ClaimRare){key, via, extra}, sizeof(ClaimRare));
  if (!key && !via)
    return NULL;
  return shared_record(&engine->shared_rares, rare_hash, rare_equal,
                       &(ClaimRare){key, via, NULL}, sizeof(ClaimRare));
}

static guint measure_hash(gconstpointer p)
{
  return two_hash(((const ClaimMeasure *)p)->metric, ((const ClaimMeasure *)p)->who);
}

static gboolean measure_equal(gconstpointer a, gconstpointer b)
{
  const ClaimMeasure *x = a, *y = b;
  return x->metric == y->metric && x->who == y->who;
}

/* The engine's record of @metric and @who, both interned (the memo's). */
static const ClaimMeasure *measure_of(ReckonEngine *engine, const char *metric, const char *who)
{
  return shared_record(&engine->measures, measure_hash, measure_equal,
                       &(ClaimMeasure){metric, who}, sizeof(ClaimMeasure));
}

static gboolean read_incident(ReckonEngine *engine, const ClaimFields *fields, Claim *claim,
                              const char **key_out, char **reason)
{
  const cJSON *inc = fields->field[F_INCIDENT];
  if (!inc || json_is_null(inc)) {
    *reason = g_strdup("missing required field 'incident'");
    return FALSE;
  }
  if (!json_is_object(inc)) {
    *reason = g_strdup("field 'incident' must be an object");
    return FALSE;
  }
  if (fields->incident_reason) {
    *reason = g_strdup(fields->incident_reason);
    return FALSE;
  }
  const cJSON *const *f = fields->incident;
  const char *what, *key;
  if (!opt_string(f[I_WHAT], "incident.what", &what, reason) ||
      !opt_string(f[I_KEY], "incident.key", &key, reason) ||
      !opt_date(engine, f[I_WHEN], fields->incident_hash[I_WHEN], fields->incident_found[I_WHEN],
                "incident.when", &claim->when, reason))
    return FALSE;
  const cJSON *where = f[I_WHERE];
  gboolean has_where = where && !json_is_null(where);
  if (has_where && !read_where(engine, where, fields->incident_hash[I_WHERE],
                               fields->incident_found[I_WHERE], claim, reason))
    return FALSE;
  if (key && blank(key))
    key = NULL;
  if (!key && !has_where) {
    *reason = g_strdup("incident needs 'where' (or an explicit 'key')");
    return FALSE;
  }
  if (!key && !date_span_is_set(&claim->when)) {
    *reason = g_strdup("incident needs 'when' (or an explicit 'key')");
    return FALSE;
  }
  claim->what =
      what ? memo_word(engine, what, fields->incident_hash[I_WHAT], fields->incident_found[I_WHAT])
           : NULL;
  *key_out = intern(engine, key);
  return TRUE;
}

/* The outlets a via list names at most before it is gathered on the heap:
 * a relay is a few outlets, and a list per claim was two allocations. */
#define VIA_ON_STACK 16

static gboolean read_via(ReckonEngine *engine, const cJSON *item, const char ***via,
                         char **reason)
{
  if (!item || json_is_null(item))
    return TRUE;
  gboolean ok = json_is_string(item) || json_is_array(item);
  const char *stack[VIA_ON_STACK], **names = stack;
  guint n = 0;
  if (json_is_string(item))
    names[n++] = item->valuestring;
  else if (ok && cJSON_GetArraySize(item) > VIA_ON_STACK)
    names = g_new(const char *, cJSON_GetArraySize(item));
  for (const cJSON *c = json_is_array(item) ? item->child : NULL; c && ok; c = c->next) {
    ok = json_is_string(c);
    names[n++] = c->valuestring;
  }
  if (ok)
    *via = memo_via(engine, names, n);
  else
    *reason = g_strdup("field 'via' must be an array of strings");
  if (names != stack)
    g_free(names);
  return ok;
}

/* Checks one claim object and fills @claim; on failure returns a reason.
 * The claim's id is left where it was read (in @obj, or the memo's
 * scratch for a "FILE:LINE" id): reader_take_claim() keeps a copy only of
 * the ids of claims it takes. */
static char *read_claim(ReckonEngine *engine, const char *file, guint line, const cJSON *obj,
                        const ClaimFields *fields, Claim *claim)
{
  char *reason = NULL;
  memset(claim, 0, sizeof *claim);
  claim->file = memo_file(engine, file);
  claim->line = line;
  if (!fields->object)
    return g_strdup("claim is not a JSON object");
  if (fields->reason)
    return g_strdup(fields->reason);
  const cJSON *const *f = fields->field;

  const cJSON *id = f[F_ID];
  if (id && !json_is_null(id)) {
    if (!json_is_string(id) || !id->valuestring[0])
      return g_strdup("field 'id' must be a non-empty string");
    claim->id = id->valuestring;
  } else {
    claim->id = memo_file_line(engine, claim->file, line);
  }

  const char *source, *metric, *who, *doc, *quote, *key = NULL, **via = NULL;
  if (!req_string(f[F_SOURCE], "source", &source, &reason) ||
      !req_string(f[F_METRIC], "metric", &metric, &reason))
    return reason;
  const char *canonical = memo_metric(engine, metric, fields->hash[F_METRIC], fields->found[F_METRIC]);
  if (!canonical) {
    char *quoted = reader_excerpt(metric, QUOTE_MAX);
    reason = g_strdup_printf("unknown metric '%s' (add it to rules/metrics)", quoted);
    g_free(quoted);
    return reason;
  }
  if (!opt_string(f[F_WHO], "who", &who, &reason) ||
      !opt_string(f[F_QUOTE], "quote", &quote, &reason))
    return reason;
  /* "doc" is a string or a number; nothing after reading reads it. */
  const cJSON *docj = f[F_DOC];
  if (!(docj && json_is_number(docj)) && !opt_string(docj, "doc", &doc, &reason))
    return reason;
  DateSpan published;
  if (!opt_date(engine, f[F_PUBLISHED], fields->hash[F_PUBLISHED], fields->found[F_PUBLISHED],
                "published", &published, &reason) ||
      !opt_date(engine, f[F_AS_OF], fields->hash[F_AS_OF], fields->found[F_AS_OF], "as_of",
                &claim->as_of, &reason) ||
      !read_incident(engine, fields, claim, &key, &reason) ||
      !read_via(engine, f[F_VIA], &via, &reason) ||
      !read_value(engine, f[F_VALUE], fields->hash[F_VALUE], fields->found[F_VALUE], claim,
                  &reason))
    return reason;

  claim->source = memo_source(engine, source, fields->hash[F_SOURCE], fields->found[F_SOURCE]);
  claim->measure = measure_of(engine, canonical,
                              who ? memo_who(engine, who, fields->hash[F_WHO], fields->found[F_WHO])
                                  : NULL);
  claim->dated = date_span_is_set(&claim->as_of) || date_span_is_set(&published);
  if (!date_span_is_set(&claim->as_of)) {
    if (date_span_is_set(&published)) {
      claim->as_of = published;
    } else if (date_span_is_set(&claim->when)) {
      claim->as_of = claim->when;
      claim->as_of.start = claim->as_of.end;
      claim->as_of.start_prec = claim->as_of.end_prec;
      claim->as_of.interval = FALSE;
    }
  }

  cJSON *extra = NULL;
  for (const cJSON *c = fields->extra ? obj->child : NULL; c; c = c->next) {
    if (c->string && g_strv_contains(known_fields, c->string))
      continue;
    if (!extra)
      extra = cJSON_CreateObject();
    cJSON_AddItemToObject(extra, c->string ? c->string : "", cJSON_Duplicate(c, TRUE));
  }
  claim->rare = rare_of(engine, key, via, extra);
  return NULL;
}

/* Claims between two reports of progress while reading. */
#define PROGRESS_EVERY 8192

gboolean reader_take_claim(ReckonEngine *engine, const char *file, guint line, const cJSON *obj,
                           const char *text, gsize text_len, GError **error)
{
  ClaimFields fields;
  reader_find_fields(obj, &fields);
  gboolean ok = reader_take_fields(engine, file, line, obj, &fields, text, text_len, error);
  reader_fields_clear(&fields);
  return ok;
}

gboolean reader_take_fields(ReckonEngine *engine, const char *file, guint line, const cJSON *obj,
                            const ClaimFields *fields, const char *text, gsize text_len,
                            GError **error)
{
  guint read = engine->claims->len + engine->rejects->len;
  if (read && read % PROGRESS_EVERY == 0)
    engine_progress(engine, RECKON_STAGE_READ);
  Claim claim;
  char *reason = read_claim(engine, file, line, obj, fields, &claim);
  if (!reason) {
    const cJSON *given = fields->field[F_ID];
    guint32 hash = json_is_string(given) && claim.id == given->valuestring
                       ? fields->hash[F_ID]
                       : memo_hash(claim.id);
    guint first = memo_id_find(engine, claim.id, hash);
    if (first) {
      char *quoted = reader_excerpt(claim.id, QUOTE_MAX);
      reason = g_strdup_printf("duplicate claim id '%s' (first at %s)", quoted,
                               memo_sighting_text(engine, first));
      g_free(quoted);
    } else {
      claim.id = g_string_chunk_insert(engine->strings, claim.id);
      g_array_append_val(engine->claims, claim);
      memo_id_add(engine, hash); /* after memo_id_find(): the table is ready */
      return TRUE;
    }
  }
  const char *id = claim.id;
  claim_clear(&claim);
  gboolean ok = reader_reject(engine, RECKON_ERROR_INPUT, file, line, id, reason, text, text_len,
                              error);
  g_free(reason);
  return ok;
}
