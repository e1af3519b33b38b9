/*
 * sources.c - the source table of rules/sources (see sources.h): kinds
 * with their prior reliability, and sources with their kind and aliases.
 * Read by rules.c through table.c; used by the reader (aliasing) and by
 * reliability.c (priors).
 */
#include "sources.h"

#include <string.h>

#include "fold.h"
#include "table.h"

struct _Sources {
  GHashTable *kinds;   /* folded kind name -> SourceKind* (owned) */
  GHashTable *rules;   /* key (folded canonical name) -> SourceRule* (owned) */
  GHashTable *aliases; /* folded alias -> key (owned) */
};

static void kind_free(gpointer data)
{
  SourceKind *k = data;
  g_free(k->name);
  g_free(k);
}

static void rule_free(gpointer data)
{
  SourceRule *r = data;
  g_free(r->name);
  g_free(r);
}

/* Kinds are updated in place, never replaced, because source rules point
 * at them. */
static void set_kind(Sources *s, const char *name, double reliability, double weight, double spread)
{
  char *key = fold_name(name);
  SourceKind *k = g_hash_table_lookup(s->kinds, key);
  if (!k) {
    k = g_new0(SourceKind, 1);
    g_hash_table_insert(s->kinds, g_strdup(key), k);
  }
  g_free(k->name);
  k->name = g_strdup(name);
  k->reliability = reliability;
  k->weight = weight;
  k->spread = spread;
  g_free(key);
}

Sources *sources_new(void)
{
  Sources *s = g_new0(Sources, 1);
  s->kinds = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, kind_free);
  s->rules = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, rule_free);
  s->aliases = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  /* Present even without a rule file, so every source has a prior. */
  set_kind(s, "unknown", 0.65, 4, 0);
  return s;
}

void sources_free(Sources *s)
{
  if (!s)
    return;
  g_hash_table_unref(s->aliases);
  g_hash_table_unref(s->rules);
  g_hash_table_unref(s->kinds);
  g_free(s);
}

static gboolean parse_number(const char *field, double min, double max, double *out)
{
  char *end;
  double v = g_ascii_strtod(field, &end);
  if (end == field || *end != '\0' || !(v >= min && v <= max))
    return FALSE;
  *out = v;
  return TRUE;
}

static gboolean load_kind(Sources *s, const Table *t, const TableRow *row, GError **error)
{
  double reliability, weight, spread = 0;
  if (row->n_fields < 4 || row->n_fields > 5)
    return table_error(error, t, row,
                       "expected 'kind | name | reliability | weight | spread', got %u fields",
                       row->n_fields);
  if (row->fields[1][0] == '\0')
    return table_error(error, t, row, "empty kind name");
  /* 0 and 1 would make a kind's claims certainly false or certainly true,
   * which no evidence could then change. */
  if (!parse_number(row->fields[2], 0.01, 0.99, &reliability))
    return table_error(error, t, row, "reliability must be a number from 0.01 to 0.99, not '%s'",
                       row->fields[2]);
  if (!parse_number(row->fields[3], 0, 1000, &weight))
    return table_error(error, t, row, "weight must be a number from 0 to 1000, not '%s'",
                       row->fields[3]);
  if (row->n_fields == 5 && !parse_number(row->fields[4], 0, 5, &spread))
    return table_error(error, t, row, "spread must be a number from 0 to 5, not '%s'", row->fields[4]);
  set_kind(s, row->fields[1], reliability, weight, spread);
  return TRUE;
}

static gboolean load_source(Sources *s, const Table *t, const TableRow *row, GError **error)
{
  if (row->n_fields < 3 || row->n_fields > 4)
    return table_error(error, t, row, "expected 'source | name | kind | aliases', got %u fields",
                       row->n_fields);
  char *key = fold_name(row->fields[1]);
  if (key[0] == '\0') {
    g_free(key);
    return table_error(error, t, row, "empty source name");
  }
  char *kind_key = fold_name(row->fields[2]);
  const SourceKind *kind = g_hash_table_lookup(s->kinds, kind_key);
  g_free(kind_key);
  if (!kind) {
    g_free(key);
    return table_error(error, t, row, "unknown kind '%s' (define it with a 'kind' row first)",
                       row->fields[2]);
  }
  SourceRule *rule = g_new0(SourceRule, 1);
  rule->name = g_strdup(row->fields[1]);
  rule->kind = kind;
  g_hash_table_replace(s->rules, g_strdup(key), rule);
  g_hash_table_replace(s->aliases, g_strdup(key), g_strdup(key));
  char **aliases = row->n_fields == 4 ? g_strsplit(row->fields[3], ",", -1) : g_new0(char *, 1);
  for (char **a = aliases; *a; a++) {
    char *folded = fold_name(*a);
    if (folded[0])
      g_hash_table_replace(s->aliases, folded, g_strdup(key));
    else
      g_free(folded);
  }
  g_strfreev(aliases);
  g_free(key);
  return TRUE;
}

gboolean sources_load(Sources *s, const char *filename, const char *text, gsize len,
                      GError **error)
{
  Table *t = table_parse(filename, text, len, error);
  if (!t)
    return FALSE;
  gboolean ok = TRUE;
  for (guint i = 0; ok && i < t->rows->len; i++) {
    const TableRow *row = g_ptr_array_index(t->rows, i);
    if (strcmp(row->fields[0], "kind") == 0)
      ok = load_kind(s, t, row, error);
    else if (strcmp(row->fields[0], "source") == 0)
      ok = load_source(s, t, row, error);
    else
      ok = table_error(error, t, row, "a row starts with 'kind' or 'source', not '%s'",
                       row->fields[0]);
  }
  table_free(t);
  return ok;
}

char *sources_key(const Sources *s, const char *name)
{
  char *folded = fold_name(name);
  const char *key = g_hash_table_lookup(s->aliases, folded);
  if (!key)
    return folded;
  g_free(folded);
  return g_strdup(key);
}

const SourceRule *sources_rule(const Sources *s, const char *key)
{
  return g_hash_table_lookup(s->rules, key);
}

const SourceKind *sources_kind(const Sources *s, const char *name)
{
  char *key = fold_name(name);
  const SourceKind *k = g_hash_table_lookup(s->kinds, key);
  g_free(key);
  return k;
}
