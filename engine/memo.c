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
 */
#include "memo.h"

#include <string.h>

#include "fold.h"

struct _ReadMemo {
  GStringChunk *keys;  /* the tables' keys */
  GHashTable *sources; /* name -> SourceMemo* */
  GHashTable *metrics; /* name -> Made*: interned canonical, or "" for unknown */
  GHashTable *who;     /* who -> Made*: interned folded, or "" for nothing left */
  GHashTable *words;   /* text -> Made*: itself interned (incident.what) */
  GHashTable *values;  /* phrase -> ValueMemo* */
  GHashTable *places;  /* text -> Made*: interned key, or "" for no place */
  GHashTable *dates;   /* text -> DateSpan* */
  GHashTable *numbers; /* NumberKey* -> interned text */
  GHashTable *vias;    /* the list's strings, length-prefixed -> const char ** */
  const char *file;    /* the last file name interned */
  GString *scratch;    /* memo_file_line() */
  GPtrArray *files;    /* interned names of the files sightings are in */
  GArray *sightings;   /* of guint64: file index << 32 | line */
};

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

ReadMemo *memo_new(void)
{
  ReadMemo *m = g_new0(ReadMemo, 1);
  m->keys = g_string_chunk_new(1 << 14);
  m->sources = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
  m->metrics = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
  m->who = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
  m->words = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
  m->values = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
  m->places = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
  m->dates = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
  m->numbers = g_hash_table_new_full(number_hash, number_equal, g_free, NULL);
  m->vias = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
  m->scratch = g_string_new(NULL);
  m->files = g_ptr_array_new();
  m->sightings = g_array_new(FALSE, FALSE, sizeof(guint64));
  return m;
}

void memo_free(ReadMemo *m)
{
  if (!m)
    return;
  g_hash_table_unref(m->sources);
  g_hash_table_unref(m->metrics);
  g_hash_table_unref(m->who);
  g_hash_table_unref(m->words);
  g_hash_table_unref(m->values);
  g_hash_table_unref(m->places);
  g_hash_table_unref(m->dates);
  g_hash_table_unref(m->numbers);
  g_hash_table_unref(m->vias);
  g_string_free(m->scratch, TRUE);
  g_string_chunk_free(m->keys);
  g_ptr_array_unref(m->files);
  g_array_unref(m->sightings);
  g_free(m);
}

static const char *intern(ReckonEngine *engine, const char *s)
{
  return g_string_chunk_insert_const(engine->strings, s);
}

/* A key of the memo's tables.  Keys live in a chunk of their own rather
 * than the engine's, where they would lie scattered among every claim's
 * id and quote: a lookup that finds its text compares it with the key,
 * and a key read from a small dense chunk is nearly always in the cache. */
static char *key_copy(ReckonEngine *engine, const char *text)
{
  return g_string_chunk_insert(engine->memo->keys, text);
}

const SourceMemo *memo_source(ReckonEngine *engine, const char *name)
{
  SourceMemo *s = g_hash_table_lookup(engine->memo->sources, name);
  if (s)
    return s;
  s = g_new(SourceMemo, 1);
  s->source = intern(engine, name);
  /* Aliases make one source of several spellings (rules/sources). */
  char *key = sources_key(engine->rules->sources, name);
  s->source_key = intern(engine, key);
  const SourceRule *rule = sources_rule(engine->rules->sources, key);
  s->source_name = rule ? intern(engine, rule->name) : s->source;
  g_free(key);
  g_hash_table_insert(engine->memo->sources, key_copy(engine, name), s);
  return s;
}

/* What lookup_or_make() remembers of a text. */
typedef struct {
  const char *text; /* the text, interned */
  const char *made; /* what was made of it, interned; "" for NULL */
} Made;

/* A table from text to an interned string or NULL; @make gives the
 * string to intern (newly allocated) or NULL.  *text_kept (when not NULL)
 * is set to the interned @text. */
static const char *lookup_or_make(ReckonEngine *engine, GHashTable *table, const char *text,
                                  char *(*make)(ReckonEngine *, const char *),
                                  const char **text_kept)
{
  Made *m = g_hash_table_lookup(table, text);
  if (!m) {
    m = g_new(Made, 1);
    char *made = make(engine, text);
    m->made = made && made[0] ? intern(engine, made) : "";
    g_free(made);
    m->text = intern(engine, text);
    g_hash_table_insert(table, key_copy(engine, text), m);
  }
  if (text_kept)
    *text_kept = m->text;
  return m->made[0] ? m->made : NULL;
}

static char *make_metric(ReckonEngine *engine, const char *name)
{
  return g_strdup(reckon_rules_metric(engine->rules, name));
}

const char *memo_metric(ReckonEngine *engine, const char *name)
{
  return lookup_or_make(engine, engine->memo->metrics, name, make_metric, NULL);
}

static char *make_who(ReckonEngine *engine, const char *who)
{
  (void)engine;
  return fold_words(who);
}

const char *memo_who(ReckonEngine *engine, const char *who)
{
  return lookup_or_make(engine, engine->memo->who, who, make_who, NULL);
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

const char *memo_word(ReckonEngine *engine, const char *text)
{
  const char *kept;
  lookup_or_make(engine, engine->memo->words, text, make_word, &kept);
  return kept;
}

const char *memo_place_key(ReckonEngine *engine, const char *text, const char **text_kept)
{
  return lookup_or_make(engine, engine->memo->places, text, make_place_key, text_kept);
}

const ValueMemo *memo_value(ReckonEngine *engine, const char *phrase, GError **error)
{
  ValueMemo *v = g_hash_table_lookup(engine->memo->values, phrase);
  if (v)
    return v;
  ReckonRange range;
  if (!reckon_range_parse(engine->rules, phrase, &range, error))
    return NULL;
  v = g_new(ValueMemo, 1);
  v->range = range;
  v->value = intern(engine, phrase);
  g_hash_table_insert(engine->memo->values, key_copy(engine, phrase), v);
  return v;
}

gboolean memo_date(ReckonEngine *engine, const char *text, DateSpan *span, const char **reason)
{
  const DateSpan *found = g_hash_table_lookup(engine->memo->dates, text);
  if (found) {
    *span = *found;
    return TRUE;
  }
  if (!date_span_parse(text, span, reason))
    return FALSE;
  g_hash_table_insert(engine->memo->dates, key_copy(engine, text), g_memdup2(span, sizeof *span));
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
  const char **via = g_hash_table_lookup(engine->memo->vias, key->str);
  if (!via) {
    via = g_new(const char *, n + 1);
    for (guint i = 0; i < n; i++)
      via[i] = intern(engine, names[i]);
    via[n] = NULL;
    g_hash_table_insert(engine->memo->vias, key_copy(engine, key->str), via);
  }
  return via;
}
