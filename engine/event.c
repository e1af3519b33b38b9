/*
 * event.c - event types from rules/events (loaded by rules.c) and how an
 * incident's `what` text is read against them (see event.h), for grouping
 * in group.c.
 *
 * Texts and synonyms are compared as folded words with a plural -s or -es
 * taken off each word, so "air strikes", "Air-strike" and "air strike"
 * are one; "airstrike" is a synonym in the rules.  Words around a known
 * synonym do not matter ("Russian strike", "airstrike on medical
 * complex"), so a text is read by its longest synonyms.
 */
#include "event.h"

#include <string.h>

#include "fold.h"
#include "reckon/error.h"
#include "table.h"

struct _Events {
  GHashTable *by_slug;  /* slug -> EventType* (owned) */
  GHashTable *by_words; /* singular folded words -> EventType* (events_finish) */
  guint max_words;
};

static void type_free(gpointer data)
{
  EventType *t = data;
  rule_node_clear(&t->node);
  g_strfreev(t->compatible_names);
  g_strfreev(t->synonyms);
  if (t->compatible)
    g_ptr_array_unref(t->compatible);
  g_free(t);
}

Events *events_new(void)
{
  Events *events = g_new0(Events, 1);
  events->by_slug = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, type_free);
  return events;
}

void events_free(Events *events)
{
  if (!events)
    return;
  g_clear_pointer(&events->by_words, g_hash_table_unref);
  g_hash_table_unref(events->by_slug);
  g_free(events);
}

/* "strikes" -> "strike", "clashes" -> "clash", "bombs" -> "bomb"; words of
 * three letters or fewer and -ss, -us, -is words stay. */
static void singular(char *word)
{
  gsize n = strlen(word);
  if (n <= 3 || word[n - 1] != 's' || word[n - 2] == 's' || word[n - 2] == 'u' ||
      word[n - 2] == 'i')
    return;
  if (n > 4 && word[n - 2] == 'e' &&
      (word[n - 3] == 'x' || word[n - 3] == 'z' || word[n - 3] == 's' ||
       (word[n - 3] == 'h' && (word[n - 4] == 's' || word[n - 4] == 'c'))))
    word[n - 2] = '\0';
  else
    word[n - 1] = '\0';
}

/* Folded, singular words of @text. */
static char **event_words(const char *text)
{
  char **words = fold_tokens(text);
  for (char **w = words; *w; w++)
    singular(*w);
  return words;
}

static char *words_key(char **words, guint start, guint end)
{
  GString *s = g_string_new(NULL);
  for (guint i = start; i < end; i++) {
    if (i > start)
      g_string_append_c(s, ' ');
    g_string_append(s, words[i]);
  }
  return g_string_free(s, FALSE);
}

static gboolean type_row(const Table *table, const TableRow *row, gpointer data, GError **error)
{
  Events *events = data;
  EventType *t = g_new0(EventType, 1);
  if (!rule_node_init(&t->node, table, row, 1, "event type", error)) {
    g_free(t);
    return FALSE;
  }
  t->compatible_names = table_split_list(row->fields[2]);
  t->synonyms = table_split_list(row->n_fields == 4 ? row->fields[3] : "");
  g_hash_table_replace(events->by_slug, t->node.slug, t);
  return TRUE;
}

gboolean events_load(Events *events, const char *filename, const char *text, gsize len,
                     GError **error)
{
  return table_read(filename, text, len, 3, 4, "type | broader | compatible | synonyms", type_row,
                    events, error);
}

static EventType *lookup_name(const Events *events, const char *name)
{
  char *slug = fold_slug(name);
  EventType *t = g_hash_table_lookup(events->by_slug, slug);
  g_free(slug);
  return t;
}

static void add_unique(GPtrArray *list, gpointer item)
{
  if (!g_ptr_array_find(list, item, NULL))
    g_ptr_array_add(list, item);
}

static void index_words(Events *events, const char *text, EventType *t)
{
  char **words = event_words(text);
  guint n = g_strv_length(words);
  if (n > 0) {
    g_hash_table_replace(events->by_words, words_key(words, 0, n), t);
    events->max_words = MAX(events->max_words, n);
  }
  g_strfreev(words);
}

gboolean events_finish(Events *events, GError **error)
{
  g_clear_pointer(&events->by_words, g_hash_table_unref);
  events->by_words = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  events->max_words = 1;
  gboolean ok = rule_nodes_resolve(events->by_slug, HIERARCHY_EVENTS, error);
  GPtrArray *all = rule_nodes_sorted(events->by_slug);
  for (guint i = 0; i < all->len; i++) {
    EventType *t = g_ptr_array_index(all, i);
    g_clear_pointer(&t->compatible, g_ptr_array_unref);
    t->compatible = g_ptr_array_new();
  }
  for (guint i = 0; ok && i < all->len; i++) {
    EventType *t = g_ptr_array_index(all, i);
    for (char **name = t->compatible_names; ok && *name; name++) {
      EventType *c = lookup_name(events, *name);
      if (!c) {
        ok = table_error_at(error, t->node.file, t->node.line,
                            "unknown compatible type '%s' of '%s'", *name, t->node.name);
        break;
      }
      add_unique(t->compatible, c);
      add_unique(c->compatible, t);
    }
  }
  /* Names after synonyms, so a synonym cannot hide another type's own name. */
  for (guint i = 0; ok && i < all->len; i++) {
    EventType *t = g_ptr_array_index(all, i);
    for (char **s = t->synonyms; *s; s++)
      index_words(events, *s, t);
  }
  for (guint i = 0; ok && i < all->len; i++) {
    EventType *t = g_ptr_array_index(all, i);
    index_words(events, t->node.name, t);
  }
  g_ptr_array_unref(all);
  return ok;
}

const EventType *events_get(const Events *events, const char *name)
{
  return lookup_name(events, name);
}

static gboolean broader_or_same(const EventType *outer, const EventType *inner)
{
  return rule_node_within(&inner->node, &outer->node);
}

/* The narrowest type broader than or equal to every type in @types. */
static const EventType *common_type(const GPtrArray *types)
{
  const EventType *best = NULL;
  const EventType *first = g_ptr_array_index(types, 0);
  for (guint c = 0; c <= first->node.ancestors->len; c++) {
    const EventType *cand = c == 0 ? first : g_ptr_array_index(first->node.ancestors, c - 1);
    gboolean all = TRUE;
    for (guint i = 1; all && i < types->len; i++)
      all = broader_or_same(cand, g_ptr_array_index(types, i));
    if (all && (!best || broader_or_same(best, cand)))
      best = cand;
  }
  return best;
}

const EventType *events_read(const Events *events, const char *text)
{
  if (!text)
    return NULL;
  char **words = event_words(text);
  guint n = g_strv_length(words);
  GPtrArray *types = g_ptr_array_new();
  guint i = 0;
  while (i < n) {
    guint step = 1;
    for (guint len = MIN(events->max_words, n - i); len > 0; len--) {
      char *key = words_key(words, i, i + len);
      EventType *t = g_hash_table_lookup(events->by_words, key);
      g_free(key);
      if (t) {
        add_unique(types, t);
        step = len;
        break;
      }
    }
    i += step;
  }
  const EventType *result = types->len ? common_type(types) : NULL;
  g_ptr_array_unref(types);
  g_strfreev(words);
  return result;
}

gboolean event_compatible(const EventType *a, const EventType *b)
{
  if (!a || !b)
    return TRUE;
  return broader_or_same(a, b) || broader_or_same(b, a) || g_ptr_array_find(a->compatible, b, NULL);
}

gboolean event_covers(const EventType *outer, const EventType *inner)
{
  if (!outer || !inner)
    return TRUE;
  return broader_or_same(outer, inner) || g_ptr_array_find(outer->compatible, inner, NULL);
}

static int compare_types(gconstpointer a, gconstpointer b)
{
  return strcmp((*(const EventType *const *)a)->node.slug,
                (*(const EventType *const *)b)->node.slug);
}

static guint type_root(guint *root, guint i)
{
  while (root[i] != i)
    i = root[i] = root[root[i]];
  return i;
}

static guint add_group(GPtrArray *names, const char *name)
{
  g_ptr_array_add(names, g_strdup(name));
  return names->len - 1;
}

char **event_split(const EventType *const *types, guint n, guint *group)
{
  /* The distinct types present, by slug, so groups do not depend on order. */
  GPtrArray *present = g_ptr_array_new();
  for (guint i = 0; i < n; i++)
    if (types[i])
      add_unique(present, (gpointer)types[i]);
  g_ptr_array_sort(present, compare_types);
  guint nt = present->len;
  const EventType **t = (const EventType **)present->pdata;
  gboolean *leaf = g_new(gboolean, nt + 1);
  guint *root = g_new(guint, nt + 1);
  int *group_of = g_new(int, nt + 1);
  for (guint a = 0; a < nt; a++) {
    leaf[a] = TRUE;
    for (guint b = 0; b < nt; b++)
      if (b != a && broader_or_same(t[a], t[b]))
        leaf[a] = FALSE;
    root[a] = a;
    group_of[a] = -1;
  }
  for (guint a = 0; a < nt; a++)
    for (guint b = a + 1; b < nt; b++)
      if (leaf[a] && leaf[b] && event_compatible(t[a], t[b]))
        root[type_root(root, b)] = type_root(root, a);

  GPtrArray *names = g_ptr_array_new();
  for (guint a = 0; a < nt; a++) {
    if (!leaf[a])
      continue;
    guint r = type_root(root, a);
    if (group_of[r] < 0)
      group_of[r] = (int)add_group(names, t[a]->node.slug);
    group_of[a] = group_of[r];
  }
  for (guint a = 0; a < nt; a++) {
    if (leaf[a])
      continue;
    int only = -1;
    gboolean several = FALSE;
    for (guint b = 0; b < nt; b++)
      if (leaf[b] && event_compatible(t[a], t[b])) {
        several |= only >= 0 && only != group_of[b];
        only = group_of[b];
      }
    group_of[a] = only >= 0 && !several ? only : (int)add_group(names, t[a]->node.slug);
  }
  int untyped = names->len == 1 ? 0 : -1;
  for (guint i = 0; i < n; i++) {
    guint idx;
    if (types[i] && g_ptr_array_find(present, types[i], &idx))
      group[i] = (guint)group_of[idx];
    else
      group[i] = (guint)(untyped >= 0 ? untyped : (untyped = (int)add_group(names, "other")));
  }
  g_ptr_array_add(names, NULL);
  g_free(leaf);
  g_free(root);
  g_free(group_of);
  g_ptr_array_unref(present);
  return (char **)g_ptr_array_free(names, FALSE);
}
