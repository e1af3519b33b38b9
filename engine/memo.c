/*
 * memo.c - the reader's memory of texts it has already read (memo.h):
 * one hash table per kind of field, from the text as written to what
 * reading it gave, the texts a claim keeps interned in the engine's
 * string chunk.  Reading a text twice gives what reading it once
 * does, so remembering changes no result, only how often the work is
 * done: folding, rule lookups and the phrase parser (range.c) each run
 * once per distinct text.
 *
 * Only the thread that checks claims (reader.c) adds to the memo, and
 * the threads that parse claims only look in it (memo_peek()): the entry
 * of a text already read is found there by its hash, on the thread that
 * parsed its claim, and the thread that takes claims in order is handed
 * it and compares the text.  That needs
 * no lock: an entry is filled before a slot points to it and never
 * changes after, and a table that grows keeps its old slots until the
 * memo is freed, for a thread that may still be looking in them.  A
 * thread that looks while a text is being added just does not find it,
 * and the taking thread looks it up as it would have.
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
#include "textmap.h"

/* A slot of a table: the hash of a text and its entry, NULL when free. */
typedef struct {
  guint32 hash;
  char *entry;
} Slot;

typedef struct {
  guint bits;   /* log2 of the number of slots */
  Slot slot[];
} Slots;

/* Texts to values of one size: open addressing, linear probing, at most
 * half full.  An entry is the value (value_size bytes, zeroed when made;
 * first, so it is aligned as g_malloc() aligns) and then the text, in one
 * allocation. */
typedef struct {
  Slots *slots;      /* set with g_atomic_pointer_set(): other threads peek */
  GSList *old;       /* slots replaced as the table grew, kept for them */
  guint n;           /* entries */
  gsize value_size;
} MemoTable;

/* Claim ids the reader has taken, and where each was first seen.  Claims
 * are as many as lines, so the table of ids is the memo's largest: a slot
 * is eight bytes (a GHashTable's twenty) and names its claim by its place
 * in the engine's claims, whose record has the id, file and line; an id
 * is found by reading one slot and one claim.  A claim taken out of the
 * array after reading (a crowded incident's, reckon_engine_run()) leaves
 * its sighting in the memo's @gone, so its id stays taken. */
typedef struct {
  const char *id;   /* interned in the engine's strings */
  const char *file;
  guint line;
} Sighting;

/* IdSlot.sighting of a sighting in @gone: GONE | its index + 1 there. */
#define GONE 0x80000000u

typedef struct {
  guint32 hash;
  guint32 sighting; /* the claim's index + 1, or GONE | index + 1 in gone; 0: free */
} IdSlot;

struct _ReadMemo {
  MemoTable table[MEMO_N_KINDS]; /* MEMO_SOURCES: name -> ClaimSource
                                  * MEMO_METRICS: name -> Made: interned canonical, or ""
                                  * for unknown
                                  * MEMO_WHO: who -> Made: interned folded, or "" for
                                  * nothing left
                                  * MEMO_WORDS: text -> Made: itself interned (incident.what)
                                  * MEMO_VALUES: phrase -> ClaimValue
                                  * MEMO_PLACES: text -> Made: interned key, or "" for no place
                                  * MEMO_DATES: text -> DateSpan
                                  * MEMO_VIAS: the list's strings, length-prefixed ->
                                  * const char ** */
  GHashTable *numbers;  /* NumberKey* -> ClaimValue*, owned: values given as JSON */
  const char *file;     /* the last file name interned */
  GString *scratch;     /* memo_file_line() */
  GArray *gone;         /* of Sighting: ids of claims no longer in the engine's claims */
  IdSlot *ids;          /* claim ids: 1 << id_bits slots, at most half full; NULL
                         * from memo_id_release() until ids are asked for again */
  guint id_bits;
  guint n_ids;
};

/* What lookup_or_make() remembers of a text. */
typedef struct {
  const char *text; /* the text, interned */
  const char *made; /* what was made of it, interned; "" for NULL */
} Made;

/* What cJSON prints a value given as JSON from: a number, or an object
 * of one or two members "low" and "high", each a number or null (all
 * read_value() takes).  cJSON prints a number from its double and its
 * int; @shape is 0 for a number, and for an object tells its members in
 * order, with their count. */
typedef struct {
  double d[2];
  int i[2];
  guint shape;
} NumberKey;

static guint number_hash(gconstpointer key)
{
  const NumberKey *k = key;
  guint64 h = k->shape;
  for (guint n = 0; n < 2; n++) {
    guint64 bits;
    memcpy(&bits, &k->d[n], sizeof bits);
    h = (h ^ bits ^ (guint32)k->i[n]) * G_GUINT64_CONSTANT(0x9E3779B97F4A7C15);
  }
  return (guint)(h ^ h >> 32);
}

static gboolean number_equal(gconstpointer a, gconstpointer b)
{
  return memcmp(a, b, sizeof(NumberKey)) == 0; /* zeroed before filled: no stray padding */
}

guint32 memo_hash(const char *text)
{
  /* Eight bytes at a time, each word mixed in by a multiply: the hash
   * place reading's tables take too. */
  return text_map_hash(text, strlen(text));
}

/* The first slot to look in: the top bits of the hash mixed once more. */
static guint first_slot(guint bits, guint32 hash)
{
  return (hash * 0x9E3779B1u) >> (32 - bits);
}

#define TABLE_MIN_BITS 8

static Slots *slots_new(guint bits)
{
  Slots *s = g_malloc0(sizeof(Slots) + ((gsize)1 << bits) * sizeof(Slot));
  s->bits = bits;
  return s;
}

static void table_init(MemoTable *t, gsize value_size)
{
  t->slots = slots_new(TABLE_MIN_BITS);
  t->old = NULL;
  t->n = 0;
  t->value_size = value_size;
}

/* Frees the entries, calling @clear (may be NULL) on each value first. */
static void table_clear(MemoTable *t, void (*clear)(gpointer value))
{
  for (gsize i = 0; i < (gsize)1 << t->slots->bits; i++)
    if (t->slots->slot[i].entry) {
      if (clear)
        clear(t->slots->slot[i].entry);
      g_free(t->slots->slot[i].entry);
    }
  g_free(t->slots);
  g_slist_free_full(t->old, g_free);
}

/* The value of @text (whose memo_hash() is @hash), or NULL.  Any thread:
 * @slots as it read them, entries as they were published. */
static gpointer slots_find(const Slots *slots, gsize value_size, const char *text, guint32 hash)
{
  guint mask = (1u << slots->bits) - 1;
  for (guint i = first_slot(slots->bits, hash);; i = (i + 1) & mask) {
    const Slot *s = &slots->slot[i];
    char *entry = g_atomic_pointer_get(&s->entry);
    if (!entry)
      return NULL;
    /* The hash was set before the entry was published. */
    if (s->hash == hash && strcmp(entry + value_size, text) == 0)
      return entry;
  }
}

static gpointer table_find(const MemoTable *t, const char *text, guint32 hash)
{
  return slots_find(t->slots, t->value_size, text, hash);
}

/* @found (memo_peek()'s entry of the same hash) when it is @text's,
 * else @text's entry in @t, or NULL. */
static gpointer table_known(const MemoTable *t, gconstpointer found, const char *text,
                            guint32 hash)
{
  if (found && strcmp((const char *)found + t->value_size, text) == 0)
    return (gpointer)found;
  return table_find(t, text, hash);
}

static void slots_place(Slots *slots, guint32 hash, char *entry)
{
  guint mask = (1u << slots->bits) - 1, i = first_slot(slots->bits, hash);
  while (slots->slot[i].entry)
    i = (i + 1) & mask;
  slots->slot[i].hash = hash;
  g_atomic_pointer_set(&slots->slot[i].entry, entry);
}

/* A new entry for @text, its value zeroed, for the caller to fill and
 * then add with table_put(). */
static gpointer table_entry(const MemoTable *t, const char *text)
{
  gsize len = strlen(text) + 1;
  char *entry = g_malloc(t->value_size + len);
  memset(entry, 0, t->value_size);
  memcpy(entry + t->value_size, text, len);
  return entry;
}

/* Adds the entry of a text the table does not hold, filled: from now on
 * other threads may find it. */
static void table_put(MemoTable *t, guint32 hash, gpointer entry)
{
  if (2 * (t->n + 1) > 1u << t->slots->bits) {
    Slots *old = t->slots, *grown = slots_new(old->bits + 1);
    for (gsize i = 0; i < (gsize)1 << old->bits; i++)
      if (old->slot[i].entry)
        slots_place(grown, old->slot[i].hash, old->slot[i].entry);
    g_atomic_pointer_set(&t->slots, grown);
    t->old = g_slist_prepend(t->old, old);
  }
  slots_place(t->slots, hash, entry);
  t->n++;
}

void memo_settle(ReadMemo *memo)
{
  for (MemoKind k = 0; k < MEMO_N_KINDS; k++) {
    g_slist_free_full(memo->table[k].old, g_free);
    memo->table[k].old = NULL;
  }
}

gconstpointer memo_peek(const ReadMemo *memo, MemoKind kind, guint32 hash)
{
  /* The first entry of the hash: the text is compared by the lookup that
   * takes it, on the thread that takes claims, as the threads that parse
   * had the larger share of the work. */
  const Slots *slots = g_atomic_pointer_get(&memo->table[kind].slots);
  guint mask = (1u << slots->bits) - 1;
  for (guint i = first_slot(slots->bits, hash);; i = (i + 1) & mask) {
    const Slot *s = &slots->slot[i];
    char *entry = g_atomic_pointer_get(&s->entry);
    if (!entry || s->hash == hash) /* the hash was set before the entry was published */
      return entry;
  }
}

void memo_prefetch(const ReadMemo *memo, MemoKind kind, guint32 hash, gboolean entry)
{
  const Slots *slots = g_atomic_pointer_get(&memo->table[kind].slots);
  const Slot *s = &slots->slot[first_slot(slots->bits, hash)];
  if (!entry) {
    __builtin_prefetch(s);
    return;
  }
  const char *e = g_atomic_pointer_get(&s->entry);
  if (e && s->hash == hash)
    __builtin_prefetch(e);
}

ReadMemo *memo_new(void)
{
  ReadMemo *m = g_new0(ReadMemo, 1);
  table_init(&m->table[MEMO_SOURCES], sizeof(ClaimSource));
  table_init(&m->table[MEMO_METRICS], sizeof(Made));
  table_init(&m->table[MEMO_WHO], sizeof(Made));
  table_init(&m->table[MEMO_WORDS], sizeof(Made));
  table_init(&m->table[MEMO_VALUES], sizeof(ClaimValue));
  table_init(&m->table[MEMO_PLACES], sizeof(Made));
  table_init(&m->table[MEMO_DATES], sizeof(DateSpan));
  table_init(&m->table[MEMO_VIAS], sizeof(const char **));
  m->numbers = g_hash_table_new_full(number_hash, number_equal, g_free, g_free);
  m->scratch = g_string_new(NULL);
  m->gone = g_array_new(FALSE, FALSE, sizeof(Sighting));
  m->id_bits = TABLE_MIN_BITS;
  m->ids = g_new0(IdSlot, (gsize)1 << m->id_bits);
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
  for (MemoKind k = 0; k < MEMO_N_KINDS; k++)
    table_clear(&m->table[k], k == MEMO_VIAS ? via_clear : NULL);
  g_hash_table_unref(m->numbers);
  g_string_free(m->scratch, TRUE);
  g_array_unref(m->gone);
  g_free(m->ids);
  g_free(m);
}

static const char *intern(ReckonEngine *engine, const char *s)
{
  return g_string_chunk_insert_const(engine->strings, s);
}

const ClaimSource *memo_source(ReckonEngine *engine, const char *name, guint32 hash,
                               gconstpointer found)
{
  MemoTable *t = &engine->memo->table[MEMO_SOURCES];
  const ClaimSource *known = table_known(t, found, name, hash);
  if (known)
    return known;
  ClaimSource *s = table_entry(t, name);
  s->text = intern(engine, name);
  /* Aliases make one source of several spellings (rules/sources). */
  char *key = sources_key(engine->rules->sources, name);
  s->key = intern(engine, key);
  const SourceRule *rule = sources_rule(engine->rules->sources, key);
  s->name = rule ? intern(engine, rule->name) : s->text;
  g_free(key);
  table_put(t, hash, s);
  return s;
}

/* A table from text to an interned string or NULL; @make gives the
 * string to intern (newly allocated) or NULL.  *text_kept (when not NULL)
 * is set to the interned @text. */
static const char *lookup_or_make(ReckonEngine *engine, MemoKind kind, const char *text,
                                  guint32 hash, gconstpointer found,
                                  char *(*make)(ReckonEngine *, const char *),
                                  const char **text_kept)
{
  MemoTable *table = &engine->memo->table[kind];
  const Made *m = table_known(table, found, text, hash);
  if (!m) {
    char *made = make(engine, text);
    Made *new = table_entry(table, text);
    new->made = made && made[0] ? intern(engine, made) : "";
    g_free(made);
    new->text = intern(engine, text);
    table_put(table, hash, new);
    m = new;
  }
  if (text_kept)
    *text_kept = m->text;
  return m->made[0] ? m->made : NULL;
}

static char *make_metric(ReckonEngine *engine, const char *name)
{
  return g_strdup(reckon_rules_metric(engine->rules, name));
}

const char *memo_metric(ReckonEngine *engine, const char *name, guint32 hash, gconstpointer found)
{
  return lookup_or_make(engine, MEMO_METRICS, name, hash, found, make_metric, NULL);
}

static char *make_who(ReckonEngine *engine, const char *who)
{
  (void)engine;
  return fold_words(who);
}

const char *memo_who(ReckonEngine *engine, const char *who, guint32 hash, gconstpointer found)
{
  return lookup_or_make(engine, MEMO_WHO, who, hash, found, make_who, NULL);
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

const char *memo_word(ReckonEngine *engine, const char *text, guint32 hash, gconstpointer found)
{
  const char *kept;
  lookup_or_make(engine, MEMO_WORDS, text, hash, found, make_word, &kept);
  return kept;
}

const char *memo_place_key(ReckonEngine *engine, const char *text, guint32 hash,
                           gconstpointer found, const char **text_kept)
{
  return lookup_or_make(engine, MEMO_PLACES, text, hash, found, make_place_key, text_kept);
}

const ClaimValue *memo_value(ReckonEngine *engine, const char *phrase, guint32 hash,
                             gconstpointer found, GError **error)
{
  MemoTable *t = &engine->memo->table[MEMO_VALUES];
  const ClaimValue *known = table_known(t, found, phrase, hash);
  if (known)
    return known;
  ReckonRange range;
  if (!reckon_range_parse(engine->rules, phrase, &range, error))
    return NULL;
  ClaimValue *v = table_entry(t, phrase);
  v->range = range;
  v->text = intern(engine, phrase);
  table_put(t, hash, v);
  return v;
}

gboolean memo_date(ReckonEngine *engine, const char *text, guint32 hash, gconstpointer found,
                   DateSpan *span, const char **reason)
{
  MemoTable *t = &engine->memo->table[MEMO_DATES];
  const DateSpan *known = table_known(t, found, text, hash);
  if (known) {
    *span = *known;
    return TRUE;
  }
  if (!date_span_parse(text, span, reason))
    return FALSE;
  DateSpan *kept = table_entry(t, text);
  *kept = *span;
  table_put(t, hash, kept);
  return TRUE;
}

const char *memo_file(ReckonEngine *engine, const char *file)
{
  ReadMemo *m = engine->memo;
  if (!m->file || strcmp(m->file, file) != 0)
    m->file = intern(engine, file);
  return m->file;
}

/* Appends @n in decimal: in the reader's per-claim work, printf() cost
 * more than the lookup it built a key for. */
static void append_count(GString *s, guint64 n)
{
  char digits[24], *d = digits + sizeof digits;
  do
    *--d = (char)('0' + n % 10);
  while ((n /= 10) > 0);
  g_string_append_len(s, d, digits + sizeof digits - d);
}

const char *memo_file_line(ReckonEngine *engine, const char *file, guint line)
{
  GString *s = engine->memo->scratch;
  g_string_assign(s, file);
  g_string_append_c(s, ':');
  append_count(s, line);
  return s->str;
}

/* The id, file and line of a sighting (an IdSlot's). */
static Sighting sighting_of(const ReckonEngine *engine, guint32 sighting)
{
  if (sighting & GONE)
    return g_array_index(engine->memo->gone, Sighting, (sighting & ~GONE) - 1);
  const Claim *c = &g_array_index(engine->claims, Claim, sighting - 1);
  return (Sighting){c->id, c->file, c->line};
}

static void id_place(ReadMemo *m, guint32 hash, guint32 sighting);

/* The id table, made again from the claims (and the sightings of claims
 * gone) when memo_id_release() freed it. */
static ReadMemo *ids_ready(const ReckonEngine *engine)
{
  ReadMemo *m = engine->memo;
  if (m->ids)
    return m;
  m->ids = g_new0(IdSlot, (gsize)1 << m->id_bits);
  for (guint i = 0; i < m->gone->len; i++)
    id_place(m, memo_hash(g_array_index(m->gone, Sighting, i).id), GONE | (i + 1));
  for (guint i = 0; i < engine->claims->len; i++)
    id_place(m, memo_hash(g_array_index(engine->claims, Claim, i).id), i + 1);
  m->n_ids = m->gone->len + engine->claims->len;
  return m;
}

/* The slot of @id, or the free slot where it would go. */
static IdSlot *id_slot(const ReckonEngine *engine, const char *id, guint32 hash)
{
  const ReadMemo *m = ids_ready(engine);
  guint mask = (1u << m->id_bits) - 1;
  for (guint i = first_slot(m->id_bits, hash);; i = (i + 1) & mask) {
    IdSlot *s = &m->ids[i];
    if (!s->sighting || (s->hash == hash && strcmp(sighting_of(engine, s->sighting).id, id) == 0))
      return s;
  }
}

guint memo_id_find(const ReckonEngine *engine, const char *id, guint32 hash)
{
  return id_slot(engine, id, hash)->sighting;
}

const char *memo_sighting_text(ReckonEngine *engine, guint sighting)
{
  Sighting seen = sighting_of(engine, sighting);
  return memo_file_line(engine, seen.file, seen.line);
}

/* Puts @sighting of an id hashed @hash in the first free slot from its
 * home: the id is not in the table. */
static void id_place(ReadMemo *m, guint32 hash, guint32 sighting)
{
  guint mask = (1u << m->id_bits) - 1, j = first_slot(m->id_bits, hash);
  while (m->ids[j].sighting)
    j = (j + 1) & mask;
  m->ids[j] = (IdSlot){hash, sighting};
}

void memo_id_add(ReckonEngine *engine, guint32 hash)
{
  ReadMemo *m = engine->memo;
  if (!m->ids) {
    ids_ready(engine); /* made from the claims, this one too */
    return;
  }
  if (2 * (m->n_ids + 1) > 1u << m->id_bits) {
    IdSlot *old = m->ids;
    gsize n_old = (gsize)1 << m->id_bits;
    m->ids = g_new0(IdSlot, n_old * 2);
    m->id_bits++;
    for (gsize i = 0; i < n_old; i++)
      if (old[i].sighting)
        id_place(m, old[i].hash, old[i].sighting);
    g_free(old);
  }
  id_place(m, hash, engine->claims->len);
  m->n_ids++;
}

void memo_id_gone(ReckonEngine *engine, const Claim *claim)
{
  Sighting seen = {claim->id, claim->file, claim->line};
  g_array_append_val(engine->memo->gone, seen);
}

void memo_id_release(ReckonEngine *engine)
{
  g_clear_pointer(&engine->memo->ids, g_free);
}

void memo_id_forget(ReckonEngine *engine, const char *id)
{
  ReadMemo *m = engine->memo;
  IdSlot *s = id_slot(engine, id, memo_hash(id));
  if (!s->sighting)
    return;
  /* Linear probing: the slots after it that would have been found
   * sooner move back into the gap, so every id stays findable. */
  guint mask = (1u << m->id_bits) - 1, gap = (guint)(s - m->ids);
  for (guint j = (gap + 1) & mask; m->ids[j].sighting; j = (j + 1) & mask) {
    guint home = first_slot(m->id_bits, m->ids[j].hash);
    /* The slot at j stays unless its home lies cyclically in (gap, j]. */
    gboolean stays = gap <= j ? (home > gap && home <= j) : (home > gap || home <= j);
    if (!stays) {
      m->ids[gap] = m->ids[j];
      gap = j;
    }
  }
  m->ids[gap].sighting = 0;
  m->n_ids--;
}

void memo_id_prefetch(const ReckonEngine *engine, guint32 hash)
{
  const ReadMemo *m = engine->memo;
  if (m->ids)
    __builtin_prefetch(&m->ids[first_slot(m->id_bits, hash)]);
}

/* The value of @key, as cJSON prints @item, which reads as @range. */
static const ClaimValue *number_value(ReckonEngine *engine, const NumberKey *key,
                                      const cJSON *item, const ReckonRange *range)
{
  ClaimValue *v = g_hash_table_lookup(engine->memo->numbers, key);
  if (!v) {
    char *printed = cJSON_PrintUnformatted(item);
    v = g_new(ClaimValue, 1);
    v->range = *range; /* a function of the number, as its text is */
    v->text = intern(engine, printed);
    cJSON_free(printed);
    g_hash_table_insert(engine->memo->numbers, g_memdup2(key, sizeof *key), v);
  }
  return v;
}

const ClaimValue *memo_number(ReckonEngine *engine, const cJSON *item, const ReckonRange *range)
{
  NumberKey key;
  memset(&key, 0, sizeof key);
  key.d[0] = item->valuedouble;
  key.i[0] = item->valueint;
  return number_value(engine, &key, item, range);
}

const ClaimValue *memo_object(ReckonEngine *engine, const cJSON *item, const ReckonRange *range)
{
  NumberKey key;
  memset(&key, 0, sizeof key);
  guint n = 0;
  for (const cJSON *c = item->child; c; c = c->next, n++) {
    g_return_val_if_fail(n < 2 && c->string, NULL);
    gboolean high = strcmp(c->string, "high") == 0, number = (c->type & 0xFF) == cJSON_Number;
    key.shape |= (guint)(high | number << 1) << 2 * n;
    if (number) {
      key.d[n] = c->valuedouble;
      key.i[n] = c->valueint;
    }
  }
  key.shape |= n << 4;
  return number_value(engine, &key, item, range);
}

const char **memo_via(ReckonEngine *engine, const char *const *names, guint n)
{
  /* Lengths first, so no string can pass for two. */
  GString *key = engine->memo->scratch;
  g_string_truncate(key, 0);
  for (guint i = 0; i < n; i++) {
    append_count(key, strlen(names[i]));
    g_string_append_c(key, ':');
    g_string_append(key, names[i]);
  }
  MemoTable *t = &engine->memo->table[MEMO_VIAS];
  guint32 hash = memo_hash(key->str);
  const char ***found = table_find(t, key->str, hash);
  if (found)
    return *found;
  const char **via = g_new(const char *, n + 1);
  for (guint i = 0; i < n; i++)
    via[i] = intern(engine, names[i]);
  via[n] = NULL;
  const char ***kept = table_entry(t, key->str);
  *kept = via;
  table_put(t, hash, kept);
  return via;
}
