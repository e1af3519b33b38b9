/*
 * memo.c - the reader's memory of texts it has already read (memo.h):
 * one hash table per kind of field, from the text as written to what
 * reading it gave, the texts a claim keeps interned in the engine's
 * string chunk.  Reading a text twice gives what reading it once
 * does, so remembering changes no result, only how often the work is
 * done: folding, rule lookups and the phrase parser (range.c) each run
 * once per distinct text.
 *
 * Only the thread that checks claims (reader.c) uses the memo, so it
 * needs no lock.
 *
 * A memo lookup is the reader's most frequent step, and at a million
 * claims its tables no longer fit in the cache: a GHashTable keeps hashes,
 * keys and values in three arrays, and the key text and the value each
 * somewhere else again, so a lookup misses the cache four or five times.
 * The memo's own tables keep a text's hash next to its entry, and the
 * entry holds the value and the text in one piece: a lookup that finds
 * its text reads a slot and one entry.
 */
#include "memo.h"

#include <string.h>

#include "fold.h"

/* A slot of a table: the hash of a text and its entry, NULL when free. */
typedef struct {
  guint32 hash;
  char *entry;
} Slot;

/* Texts to values of one size: open addressing, linear probing, at most
 * half full.  An entry is the value (value_size bytes, zeroed when made;
 * first, so it is aligned as g_malloc() aligns) and then the text, in one
 * allocation. */
typedef struct {
  Slot *slots;
  guint bits;        /* log2 of the number of slots */
  guint n;           /* entries */
  gsize value_size;
} MemoTable;

struct _ReadMemo {
  MemoTable sources;    /* name -> SourceMemo */
  MemoTable metrics;    /* name -> Made: interned canonical, or "" for unknown */
  MemoTable who;        /* who -> Made: interned folded, or "" for nothing left */
  MemoTable words;      /* text -> Made: itself interned (incident.what) */
  MemoTable values;     /* phrase -> ValueMemo */
  MemoTable places;     /* text -> Made: interned key, or "" for no place */
  MemoTable dates;      /* text -> DateSpan */
  MemoTable vias;       /* the list's strings, length-prefixed -> const char ** */
  GHashTable *numbers;  /* NumberKey* -> interned text */
  const char *file;     /* the last file name interned */
  GString *scratch;     /* memo_file_line() */
  GPtrArray *files;     /* interned names of the files sightings are in */
  GArray *sightings;    /* of guint64: file index << 32 | line */
};

/* What lookup_or_make() remembers of a text. */
typedef struct {
  const char *text; /* the text, interned */
  const char *made; /* what was made of it, interned; "" for NULL */
} Made;

/* What cJSON prints a number from. */
typedef struct {
  double d;
  int i;
} NumberKey;

static guint number_hash(gconstpointer key)
{
  const NumberKey *k = key;
  guint64 bits;
  memcpy(&bits, &k->d, sizeof bits);
  return (guint)(bits ^ bits >> 32) ^ (guint)k->i;
}

static gboolean number_equal(gconstpointer a, gconstpointer b)
{
  const NumberKey *x = a, *y = b;
  return memcmp(&x->d, &y->d, sizeof x->d) == 0 && x->i == y->i;
}

guint32 memo_hash(const char *text)
{
  /* Eight bytes at a time, each word mixed in by a multiply. */
  const guint64 k = G_GUINT64_CONSTANT(0x9E3779B97F4A7C15);
  gsize n = strlen(text);
  guint64 h = n * k, w;
  for (; n >= 8; n -= 8, text += 8) {
    memcpy(&w, text, sizeof w);
    h = (h ^ w) * k;
    h ^= h >> 29;
  }
  w = 0;
  memcpy(&w, text, n);
  h = (h ^ w) * k;
  return (guint32)(h ^ h >> 32);
}

/* The first slot to look in: the top bits of the hash mixed once more. */
static guint first_slot(const MemoTable *t, guint32 hash)
{
  return (hash * 0x9E3779B1u) >> (32 - t->bits);
}

#define TABLE_MIN_BITS 8

static void table_init(MemoTable *t, gsize value_size)
{
  t->bits = TABLE_MIN_BITS;
  t->slots = g_new0(Slot, (gsize)1 << t->bits);
  t->n = 0;
  t->value_size = value_size;
}

/* Frees the entries, calling @clear (may be NULL) on each value first. */
static void table_clear(MemoTable *t, void (*clear)(gpointer value))
{
  for (gsize i = 0; i < (gsize)1 << t->bits; i++)
    if (t->slots[i].entry) {
      if (clear)
        clear(t->slots[i].entry);
      g_free(t->slots[i].entry);
    }
  g_free(t->slots);
}

/* The value of @text (whose memo_hash() is @hash), or NULL. */
static gpointer table_find(const MemoTable *t, const char *text, guint32 hash)
{
  guint mask = (1u << t->bits) - 1;
  for (guint i = first_slot(t, hash);; i = (i + 1) & mask) {
    const Slot *s = &t->slots[i];
    if (!s->entry)
      return NULL;
    if (s->hash == hash && strcmp(s->entry + t->value_size, text) == 0)
      return s->entry;
  }
}

static void table_place(MemoTable *t, guint32 hash, char *entry)
{
  guint mask = (1u << t->bits) - 1, i = first_slot(t, hash);
  while (t->slots[i].entry)
    i = (i + 1) & mask;
  t->slots[i].hash = hash;
  t->slots[i].entry = entry;
}

/* Adds @text, which the table does not hold, and returns its value,
 * zeroed, for the caller to fill. */
static gpointer table_add(MemoTable *t, const char *text, guint32 hash)
{
  if (2 * (t->n + 1) > 1u << t->bits) {
    Slot *old = t->slots;
    gsize n_old = (gsize)1 << t->bits;
    t->bits++;
    t->slots = g_new0(Slot, (gsize)1 << t->bits);
    for (gsize i = 0; i < n_old; i++)
      if (old[i].entry)
        table_place(t, old[i].hash, old[i].entry);
    g_free(old);
  }
  gsize len = strlen(text) + 1;
  char *entry = g_malloc(t->value_size + len);
  memset(entry, 0, t->value_size);
  memcpy(entry + t->value_size, text, len);
  table_place(t, hash, entry);
  t->n++;
  return entry;
}

ReadMemo *memo_new(void)
{
  ReadMemo *m = g_new0(ReadMemo, 1);
  table_init(&m->sources, sizeof(SourceMemo));
  table_init(&m->metrics, sizeof(Made));
  table_init(&m->who, sizeof(Made));
  table_init(&m->words, sizeof(Made));
  table_init(&m->values, sizeof(ValueMemo));
  table_init(&m->places, sizeof(Made));
  table_init(&m->dates, sizeof(DateSpan));
  table_init(&m->vias, sizeof(const char **));
  m->numbers = g_hash_table_new_full(number_hash, number_equal, g_free, NULL);
  m->scratch = g_string_new(NULL);
  m->files = g_ptr_array_new();
  m->sightings = g_array_new(FALSE, FALSE, sizeof(guint64));
  return m;
}

static void via_clear(gpointer value)
{
  g_free(*(const char ***)value);
}

void memo_free(ReadMemo *m)
{
  if (!m)
    return;
  table_clear(&m->sources, NULL);
  table_clear(&m->metrics, NULL);
  table_clear(&m->who, NULL);
  table_clear(&m->words, NULL);
  table_clear(&m->values, NULL);
  table_clear(&m->places, NULL);
  table_clear(&m->dates, NULL);
  table_clear(&m->vias, via_clear);
  g_hash_table_unref(m->numbers);
  g_string_free(m->scratch, TRUE);
  g_ptr_array_unref(m->files);
  g_array_unref(m->sightings);
  g_free(m);
}

static const char *intern(ReckonEngine *engine, const char *s)
{
  return g_string_chunk_insert_const(engine->strings, s);
}

const SourceMemo *memo_source(ReckonEngine *engine, const char *name, guint32 hash)
{
  MemoTable *t = &engine->memo->sources;
  SourceMemo *s = table_find(t, name, hash);
  if (s)
    return s;
  s = table_add(t, name, hash);
  s->source = intern(engine, name);
  /* Aliases make one source of several spellings (rules/sources). */
  char *key = sources_key(engine->rules->sources, name);
  s->source_key = intern(engine, key);
  const SourceRule *rule = sources_rule(engine->rules->sources, key);
  s->source_name = rule ? intern(engine, rule->name) : s->source;
  g_free(key);
  return s;
}

/* A table from text to an interned string or NULL; @make gives the
 * string to intern (newly allocated) or NULL.  *text_kept (when not NULL)
 * is set to the interned @text. */
static const char *lookup_or_make(ReckonEngine *engine, MemoTable *table, const char *text,
                                  guint32 hash, char *(*make)(ReckonEngine *, const char *),
                                  const char **text_kept)
{
  Made *m = table_find(table, text, hash);
  if (!m) {
    char *made = make(engine, text);
    m = table_add(table, text, hash);
    m->made = made && made[0] ? intern(engine, made) : "";
    g_free(made);
    m->text = intern(engine, text);
  }
  if (text_kept)
    *text_kept = m->text;
  return m->made[0] ? m->made : NULL;
}

static char *make_metric(ReckonEngine *engine, const char *name)
{
  return g_strdup(reckon_rules_metric(engine->rules, name));
}

const char *memo_metric(ReckonEngine *engine, const char *name, guint32 hash)
{
  return lookup_or_make(engine, &engine->memo->metrics, name, hash, make_metric, NULL);
}

static char *make_who(ReckonEngine *engine, const char *who)
{
  (void)engine;
  return fold_words(who);
}

const char *memo_who(ReckonEngine *engine, const char *who, guint32 hash)
{
  return lookup_or_make(engine, &engine->memo->who, who, hash, make_who, NULL);
}

static char *make_place_key(ReckonEngine *engine, const char *text)
{
  (void)engine;
  return fold_name(text);
}

static char *make_word(ReckonEngine *engine, const char *text)
{
  (void)engine;
  return g_strdup(text);
}

const char *memo_word(ReckonEngine *engine, const char *text, guint32 hash)
{
  const char *kept;
  lookup_or_make(engine, &engine->memo->words, text, hash, make_word, &kept);
  return kept;
}

const char *memo_place_key(ReckonEngine *engine, const char *text, guint32 hash,
                           const char **text_kept)
{
  return lookup_or_make(engine, &engine->memo->places, text, hash, make_place_key, text_kept);
}

const ValueMemo *memo_value(ReckonEngine *engine, const char *phrase, guint32 hash,
                            GError **error)
{
  MemoTable *t = &engine->memo->values;
  ValueMemo *v = table_find(t, phrase, hash);
  if (v)
    return v;
  ReckonRange range;
  if (!reckon_range_parse(engine->rules, phrase, &range, error))
    return NULL;
  v = table_add(t, phrase, hash);
  v->range = range;
  v->value = intern(engine, phrase);
  return v;
}

gboolean memo_date(ReckonEngine *engine, const char *text, guint32 hash, DateSpan *span,
                   const char **reason)
{
  MemoTable *t = &engine->memo->dates;
  const DateSpan *found = table_find(t, text, hash);
  if (found) {
    *span = *found;
    return TRUE;
  }
  if (!date_span_parse(text, span, reason))
    return FALSE;
  *(DateSpan *)table_add(t, text, hash) = *span;
  return TRUE;
}

const char *memo_file(ReckonEngine *engine, const char *file)
{
  ReadMemo *m = engine->memo;
  if (!m->file || strcmp(m->file, file) != 0)
    m->file = intern(engine, file);
  return m->file;
}

const char *memo_file_line(ReckonEngine *engine, const char *file, guint line)
{
  GString *s = engine->memo->scratch;
  char digits[16], *d = digits + sizeof digits;
  *--d = '\0';
  do
    *--d = (char)('0' + line % 10);
  while ((line /= 10) > 0);
  g_string_assign(s, file);
  g_string_append_c(s, ':');
  g_string_append(s, d);
  return s->str;
}

gpointer memo_sighting(ReckonEngine *engine, const char *file, guint line)
{
  ReadMemo *m = engine->memo;
  /* Files come one after another: the one asked for is nearly always the
   * last. */
  guint f = m->files->len;
  while (f > 0 && g_ptr_array_index(m->files, f - 1) != file)
    f--;
  if (f == 0) {
    g_ptr_array_add(m->files, (gpointer)file);
    f = m->files->len;
  }
  guint64 s = (guint64)(f - 1) << 32 | line;
  g_array_append_val(m->sightings, s);
  return GUINT_TO_POINTER(m->sightings->len);
}

const char *memo_sighting_text(ReckonEngine *engine, gconstpointer sighting)
{
  ReadMemo *m = engine->memo;
  guint64 s = g_array_index(m->sightings, guint64, GPOINTER_TO_UINT(sighting) - 1);
  return memo_file_line(engine, g_ptr_array_index(m->files, s >> 32), (guint)s);
}

const char *memo_number_text(ReckonEngine *engine, const cJSON *item)
{
  NumberKey key;
  memset(&key, 0, sizeof key);
  key.d = item->valuedouble;
  key.i = item->valueint;
  const char *text = g_hash_table_lookup(engine->memo->numbers, &key);
  if (!text) {
    char *printed = cJSON_PrintUnformatted(item);
    text = intern(engine, printed);
    cJSON_free(printed);
    g_hash_table_insert(engine->memo->numbers, g_memdup2(&key, sizeof key), (gpointer)text);
  }
  return text;
}

const char **memo_via(ReckonEngine *engine, const char *const *names, guint n)
{
  /* Lengths first, so no string can pass for two. */
  GString *key = engine->memo->scratch;
  g_string_truncate(key, 0);
  for (guint i = 0; i < n; i++)
    g_string_append_printf(key, "%" G_GSIZE_FORMAT ":%s", strlen(names[i]), names[i]);
  MemoTable *t = &engine->memo->vias;
  guint32 hash = memo_hash(key->str);
  const char ***found = table_find(t, key->str, hash);
  if (found)
    return *found;
  const char **via = g_new(const char *, n + 1);
  for (guint i = 0; i < n; i++)
    via[i] = intern(engine, names[i]);
  via[n] = NULL;
  *(const char ***)table_add(t, key->str, hash) = via;
  return via;
}
