/*
 * group.c - the grouping stage: claims into incidents, and each incident's
 * claims into one estimate per metric and sub-population.
 *
 * Two claims are about the same incident when they carry the same explicit
 * incident.key, or else when their folded places and their dates are
 * equal.  Grouping is a hash lookup per claim, so it is linear in the
 * number of claims.  Output order is fixed by sorting on content, never on
 * input order, so the same claims in any order give the same estimates.
 */
#include <string.h>

#include "engine-private.h"
#include "fold.h"

typedef struct {
  Incident *incident;
  const char *metric;
  const char *who;
  GPtrArray *claims;    /* of const Claim* */
} Bucket;

void incident_free(gpointer data)
{
  Incident *inc = data;
  g_free(inc->key);
  g_hash_table_unref(inc->wheres);
  g_hash_table_unref(inc->whats);
  g_free(inc);
}

static void bucket_free(gpointer data)
{
  Bucket *b = data;
  g_ptr_array_free(b->claims, TRUE);
  g_free(b);
}

static char *incident_key(const Claim *c)
{
  if (c->key) {
    char *k = fold_words(c->key);
    char *out = g_strconcat("k\x1f", k, NULL);
    g_free(k);
    return out;
  }
  char *when = date_span_format(&c->when);
  char *out = g_strconcat("p\x1f", c->where_key, "\x1f", when, NULL);
  g_free(when);
  return out;
}

static void count(GHashTable *counts, const char *text)
{
  if (text)
    g_hash_table_insert(counts, (gpointer)text,
                        GUINT_TO_POINTER(GPOINTER_TO_UINT(g_hash_table_lookup(counts, text)) + 1));
}

/* The most frequent text, ties to the smallest, so the choice does not
 * depend on input order. */
static const char *most_common(GHashTable *counts)
{
  GHashTableIter it;
  gpointer k, v;
  const char *best = NULL;
  guint best_n = 0;
  g_hash_table_iter_init(&it, counts);
  while (g_hash_table_iter_next(&it, &k, &v)) {
    guint n = GPOINTER_TO_UINT(v);
    if (n > best_n || (n == best_n && strcmp(k, best) < 0)) {
      best = k;
      best_n = n;
    }
  }
  return best;
}

static int compare_incident(gconstpointer a, gconstpointer b)
{
  return strcmp((*(Incident *const *)a)->key, (*(Incident *const *)b)->key);
}

/* Gives each incident a readable id and label. */
static void name_incidents(ReckonEngine *engine, GPtrArray *incidents)
{
  g_ptr_array_sort(incidents, compare_incident);
  GHashTable *taken = g_hash_table_new(g_str_hash, g_str_equal);
  for (guint i = 0; i < incidents->len; i++) {
    Incident *inc = g_ptr_array_index(incidents, i);
    const Claim *c = inc->first;
    char *when = date_span_format(&c->when);
    char *id;
    if (c->key) {
      id = g_strdup(inc->key + 2); /* the folded key, past its "k\x1f" tag */
    } else {
      char *slug = fold_slug(c->where_key);
      id = g_strconcat(slug, "@", when, NULL);
      g_free(slug);
    }
    /* Two keys can name alike ("Homs" as a key and as a place); keep ids unique. */
    char *unique = g_strdup(id);
    for (guint n = 2; g_hash_table_contains(taken, unique); n++) {
      g_free(unique);
      unique = g_strdup_printf("%s~%u", id, n);
    }
    inc->id = g_string_chunk_insert_const(engine->strings, unique);
    g_hash_table_add(taken, (gpointer)inc->id);

    const char *where = most_common(inc->wheres);
    const char *what = most_common(inc->whats);
    GString *label = g_string_new(NULL);
    if (what)
      g_string_append_printf(label, "%s, ", what);
    g_string_append(label, where ? where : inc->id);
    if (when[0])
      g_string_append_printf(label, ", %s", when);
    inc->label = g_string_chunk_insert_const(engine->strings, label->str);
    g_string_free(label, TRUE);
    g_free(unique);
    g_free(id);
    g_free(when);
  }
  g_hash_table_unref(taken);
}

/* Members in a fixed order: by when the count was true, then by content. */
static int compare_claims(gconstpointer pa, gconstpointer pb)
{
  const Claim *a = *(const Claim *const *)pa, *b = *(const Claim *const *)pb;
  int c = date_span_compare(&a->as_of, &b->as_of);
  if (c)
    return c;
  if ((c = strcmp(a->source, b->source)))
    return c;
  if (a->range.low != b->range.low)
    return a->range.low < b->range.low ? -1 : 1;
  if (a->range.high != b->range.high)
    return a->range.high < b->range.high ? -1 : 1;
  if ((c = strcmp(a->id, b->id)))
    return c;
  if ((c = strcmp(a->file, b->file)))
    return c;
  return a->line < b->line ? -1 : a->line > b->line;
}

static int compare_buckets(gconstpointer pa, gconstpointer pb)
{
  const Bucket *a = *(Bucket *const *)pa, *b = *(Bucket *const *)pb;
  int c = strcmp(a->incident->id, b->incident->id);
  if (c)
    return c;
  if ((c = strcmp(a->metric, b->metric)))
    return c;
  if (!a->who || !b->who)
    return (a->who != NULL) - (b->who != NULL);
  return strcmp(a->who, b->who);
}

void group_claims(ReckonEngine *engine)
{
  GHashTable *by_key = g_hash_table_new(g_str_hash, g_str_equal);
  GPtrArray *incidents = engine->incidents;
  GHashTable *by_bucket = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  GPtrArray *buckets = g_ptr_array_new_with_free_func(bucket_free);

  for (guint i = 0; i < engine->claims->len; i++) {
    const Claim *c = &g_array_index(engine->claims, Claim, i);
    char *key = incident_key(c);
    Incident *inc = g_hash_table_lookup(by_key, key);
    if (!inc) {
      inc = g_new0(Incident, 1);
      inc->key = key;
      inc->first = c;
      inc->wheres = g_hash_table_new(g_str_hash, g_str_equal);
      inc->whats = g_hash_table_new(g_str_hash, g_str_equal);
      g_hash_table_insert(by_key, inc->key, inc);
      g_ptr_array_add(incidents, inc);
    } else {
      g_free(key);
    }
    count(inc->wheres, c->where);
    count(inc->whats, c->what);
    inc->n_claims++;

    /* Metric and who are interned, so their addresses identify them. */
    char *bkey = g_strdup_printf("%p\x1f%p\x1f%p", (void *)inc, (void *)c->metric, (void *)c->who);
    Bucket *b = g_hash_table_lookup(by_bucket, bkey);
    if (!b) {
      b = g_new0(Bucket, 1);
      b->incident = inc;
      b->metric = c->metric;
      b->who = c->who;
      b->claims = g_ptr_array_new();
      g_hash_table_insert(by_bucket, bkey, b);
      g_ptr_array_add(buckets, b);
    } else {
      g_free(bkey);
    }
    g_ptr_array_add(b->claims, (gpointer)c);
  }

  name_incidents(engine, incidents);
  g_ptr_array_sort(buckets, compare_buckets);

  for (guint i = 0; i < buckets->len; i++) {
    Bucket *b = g_ptr_array_index(buckets, i);
    g_ptr_array_sort(b->claims, compare_claims);
    ReckonEstimate e = {
      .source_incident = b->incident,
      .incident = b->incident->id,
      .label = b->incident->label,
      .metric = b->metric,
      .who = b->who,
      .level = engine->opts.level,
      .n_members = b->claims->len,
      .members = g_new0(ReckonMember, b->claims->len),
      .claims = g_new(const Claim *, b->claims->len),
    };
    for (guint j = 0; j < b->claims->len; j++) {
      const Claim *c = g_ptr_array_index(b->claims, j);
      e.claims[j] = c;
      e.members[j] = (ReckonMember){
        .id = c->id,
        .source = c->source,
        .value = c->value,
        .range = c->range,
        .role = RECKON_ROLE_USED,
        .file = c->file,
        .line = c->line,
      };
    }
    g_array_append_val(engine->estimates, e);
  }

  g_ptr_array_free(buckets, TRUE);
  g_hash_table_unref(by_bucket);
  g_hash_table_unref(by_key);
}

/* The grouping key in words: an explicit key, or the folded place and date. */
static void describe_key(const Incident *inc, GString *out)
{
  const Claim *c = inc->first;
  if (c->key) {
    g_string_append_printf(out, "the explicit incident key '%s'", inc->key + 2);
    return;
  }
  char *when = date_span_format(&c->when);
  g_string_append_printf(out, "a place that folds to \"%s\" and the date %s", c->where_key, when);
  g_free(when);
}

void group_explain(const ReckonEngine *engine, const Incident *inc, GString *out)
{
  g_string_append_printf(out, "Incident %s: %s\n", inc->id, inc->label);
  g_string_append_printf(out, "  Grouped: %u claim%s with ", inc->n_claims,
                         inc->n_claims == 1 ? "" : "s");
  describe_key(inc, out);
  g_string_append(out, ".\n");
  if (inc->first->key)
    g_string_append(out, "  Equal keys always group together, whatever their places and dates.\n");
  else
    g_string_append(out, "  Places are compared after folding case, accents, punctuation and spacing;\n"
                         "  dates must be equal as written (a day and its month are different).\n");

  /* Near-misses: incidents at the same folded place on another date, and
   * keyed incidents whose claims name this place. */
  gboolean header = FALSE;
  for (guint i = 0; i < engine->incidents->len; i++) {
    const Incident *other = g_ptr_array_index(engine->incidents, i);
    if (other == inc || !other->first->where_key || !inc->first->where_key ||
        strcmp(other->first->where_key, inc->first->where_key) != 0)
      continue;
    if (!header)
      g_string_append(out, "  Kept apart:\n");
    header = TRUE;
    g_string_append_printf(out, "    %s: ", other->id);
    if (other->first->key || inc->first->key) {
      g_string_append(out, "same place, but ");
      g_string_append(out, other->first->key ? "it has its own key" : "this incident has a key");
    } else {
      char *when = date_span_format(&other->first->when);
      g_string_append_printf(out, "same place, different date (%s)", when);
      g_free(when);
    }
    g_string_append_c(out, '\n');
  }
}
