/*
 * quantifiers.c - reads, merges and looks up the vague-word table
 * (rules/quantifiers, a profile's overlay, --rules DIR/quantifiers).
 *
 * Row format:   words | low | high | typical
 *   words    one or more comma-separated spellings ("a few, few")
 *   low      the smallest count the word allows
 *   high     the largest, or "inf" for open-ended words ("many")
 *   typical  the count a reader would quote for it, low <= typical <= high
 *
 * rules.c hands every quantifiers file here in load order; a later file's
 * row replaces the earlier row for the same word, which is how a profile
 * such as "acled" or a user's directory changes the defaults.  The phrase
 * parser (range.c) only reads the merged table.
 */
#include "quantifiers.h"

#include <string.h>

#include "fold.h"
#include "table.h"

struct _Quantifiers {
  GHashTable *words; /* folded key -> QuantifierValue* (both owned) */
  guint max_words;   /* the longest key, in words, bounds quantifiers_match() */
};

Quantifiers *quantifiers_new(void)
{
  Quantifiers *q = g_new0(Quantifiers, 1);
  q->words = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  return q;
}

void quantifiers_free(Quantifiers *q)
{
  if (!q)
    return;
  g_hash_table_unref(q->words);
  g_free(q);
}

static guint count_words(const char *key)
{
  guint n = 1;
  for (const char *p = key; *p; p++)
    n += *p == ' ';
  return n;
}

/* A row's spellings, folded, or NULL with @error set. */
static char **row_keys(const Table *table, const TableRow *row, GError **error)
{
  char **raw = g_strsplit(row->fields[0], ",", -1);
  GPtrArray *keys = g_ptr_array_new_with_free_func(g_free);
  gboolean ok = TRUE;
  for (char **r = raw; ok && *r; r++) {
    char *key = fold_name(*r);
    if (key[0] == '\0') {
      ok = table_error(error, table, row, "empty word in '%s'", row->fields[0]);
    } else if (strpbrk(key, "0123456789")) {
      /* Digits are tokenised as numbers before the table is consulted, so
       * such a row could never match: refuse it rather than ignore it. */
      ok = table_error(error, table, row, "'%s' has digits; numbers are read by the grammar",
                       key);
    }
    if (ok)
      g_ptr_array_add(keys, key);
    else
      g_free(key);
  }
  g_strfreev(raw);
  if (!ok) {
    g_ptr_array_unref(keys);
    return NULL;
  }
  g_ptr_array_add(keys, NULL);
  return (char **)g_ptr_array_free(keys, FALSE);
}

/* Parses the three counts of @row into @value. */
static gboolean row_value(const Table *table, const TableRow *row, QuantifierValue *value,
                          GError **error)
{
  if (!table_field_count(row->fields[1], FALSE, &value->low))
    return table_error(error, table, row, "low '%s' is not a count", row->fields[1]);
  if (!table_field_count(row->fields[2], TRUE, &value->high))
    return table_error(error, table, row, "high '%s' is not a count or 'inf'", row->fields[2]);
  if (!table_field_count(row->fields[3], FALSE, &value->typical))
    return table_error(error, table, row, "typical '%s' is not a count", row->fields[3]);
  if (value->low > value->high)
    return table_error(error, table, row, "low %" G_GUINT64_FORMAT " is above high %s",
                       value->low, row->fields[2]);
  if (value->typical < value->low || value->typical > value->high)
    return table_error(error, table, row,
                       "typical %" G_GUINT64_FORMAT " is outside low..high (%" G_GUINT64_FORMAT
                       "..%s)",
                       value->typical, value->low, row->fields[2]);
  return TRUE;
}

gboolean quantifiers_load(Quantifiers *q, const char *filename, const char *text, gsize len,
                          GError **error)
{
  g_return_val_if_fail(q != NULL, FALSE);
  Table *table = table_parse(filename, text, len, error);
  if (!table)
    return FALSE;

  /* Rows go to a staging table first so a bad line leaves @q as it was. */
  GHashTable *staged = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  GHashTable *line_of = g_hash_table_new(g_str_hash, g_str_equal); /* key -> line */
  gboolean ok = TRUE;
  for (guint i = 0; ok && i < table->rows->len; i++) {
    const TableRow *row = g_ptr_array_index(table->rows, i);
    if (row->n_fields != 4) {
      ok = table_error(error, table, row, "expected 'words | low | high | typical', got %u %s",
                       row->n_fields, row->n_fields == 1 ? "field" : "fields");
      break;
    }
    QuantifierValue value;
    if (!row_value(table, row, &value, error)) {
      ok = FALSE;
      break;
    }
    char **keys = row_keys(table, row, error);
    if (!keys) {
      ok = FALSE;
      break;
    }
    for (char **k = keys; ok && *k; k++) {
      gpointer first = g_hash_table_lookup(line_of, *k);
      if (first) {
        /* Within one file a second row for a word is a slip, not an
         * override: say where the first one is. */
        ok = table_error(error, table, row, "'%s' is listed twice (first on line %u)", *k,
                         GPOINTER_TO_UINT(first));
        break;
      }
      char *key = g_strdup(*k);
      g_hash_table_insert(line_of, key, GUINT_TO_POINTER(row->line));
      g_hash_table_insert(staged, key, g_memdup2(&value, sizeof value));
    }
    g_strfreev(keys);
  }

  if (ok) {
    GHashTableIter iter;
    gpointer key, value;
    g_hash_table_iter_init(&iter, staged);
    while (g_hash_table_iter_next(&iter, &key, &value)) {
      q->max_words = MAX(q->max_words, count_words(key));
      g_hash_table_iter_steal(&iter);
      g_hash_table_replace(q->words, key, value);
    }
  }
  g_hash_table_unref(line_of);
  g_hash_table_unref(staged);
  table_free(table);
  return ok;
}

gboolean quantifiers_lookup(const Quantifiers *q, const char *key, QuantifierValue *value)
{
  g_return_val_if_fail(q != NULL && key != NULL, FALSE);
  char *folded = fold_name(key);
  const QuantifierValue *found = g_hash_table_lookup(q->words, folded);
  g_free(folded);
  if (found && value)
    *value = *found;
  return found != NULL;
}

guint quantifiers_match(const Quantifiers *q, const char *const *words, guint n_words,
                        QuantifierValue *value)
{
  g_return_val_if_fail(q != NULL, 0);
  GString *key = g_string_new(NULL);
  guint matched = 0;
  /* Longest first, so "a few" wins over a user's "a" and "hundreds of
   * thousands" (if someone adds it) over "hundreds". */
  for (guint n = MIN(n_words, q->max_words); n > 0 && !matched; n--) {
    g_string_truncate(key, 0);
    for (guint i = 0; i < n; i++) {
      if (i)
        g_string_append_c(key, ' ');
      g_string_append(key, words[i]);
    }
    const QuantifierValue *found = g_hash_table_lookup(q->words, key->str);
    if (found) {
      *value = *found;
      matched = n;
    }
  }
  g_string_free(key, TRUE);
  return matched;
}
