/*
 * gazetteer.c - the gazetteer: rules/places loaded row by row (rules.c
 * calls places_load() per file, then places_finish()), its places and
 * their containment, and the indexes of their aliases by folded text,
 * spelling key and spelling key less one letter that place.c reads where
 * texts against.
 */
#include "gazetteer.h"

#include <string.h>

#include "fold.h"
#include "table.h"

static const char *const kind_names[PLACE_N_KINDS + 1] = { /* NULL-terminated for g_strjoinv */
  "country", "region", "governorate", "district", "city", "town", "village", "area", "site", NULL,
};

static void place_free(gpointer data)
{
  Place *p = data;
  rule_node_clear(&p->node);
  g_strfreev(p->aliases);
  g_free(p);
}

static void alias_free(gpointer data)
{
  Alias *a = data;
  g_free(a->text);
  g_free(a->key);
  g_free(a);
}

static TextMap *index_new(void)
{
  return text_map_new((GDestroyNotify)g_ptr_array_unref);
}

static void index_add(TextMap *index, const char *key, Alias *alias)
{
  gsize len = strlen(key);
  guint32 hash = text_map_hash(key, len);
  GPtrArray *list = text_map_lookup(index, key, len, hash);
  if (!list) {
    list = g_ptr_array_new();
    text_map_insert(index, key, len, hash, list);
  }
  g_ptr_array_add(list, alias);
}

static void indexes_clear(Places *places)
{
  g_clear_pointer(&places->by_text, text_map_free);
  g_clear_pointer(&places->by_key, text_map_free);
  g_clear_pointer(&places->by_delete, text_map_free);
  g_clear_pointer(&places->prefixes, g_hash_table_unref);
  g_clear_pointer(&places->aliases, g_ptr_array_unref);
}

Places *places_new(void)
{
  Places *places = g_new0(Places, 1);
  places->by_slug = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, place_free);
  return places;
}

void places_free(Places *places)
{
  if (!places)
    return;
  indexes_clear(places);
  g_hash_table_unref(places->by_slug);
  g_free(places);
}

const char *place_kind_name(PlaceKind kind)
{
  return (guint)kind < PLACE_N_KINDS ? kind_names[kind] : NULL;
}

gboolean place_kind_wide(PlaceKind kind)
{
  return kind <= PLACE_DISTRICT;
}

static gboolean place_row(const Table *table, const TableRow *row, gpointer data, GError **error)
{
  Places *places = data;
  int kind = -1;
  for (int k = 0; k < PLACE_N_KINDS; k++)
    if (strcmp(row->fields[1], kind_names[k]) == 0)
      kind = k;
  if (kind < 0) {
    char *known = g_strjoinv(", ", (char **)kind_names);
    table_error(error, table, row, "unknown place kind '%s' (%s)", row->fields[1], known);
    g_free(known);
    return FALSE;
  }
  Place *p = g_new0(Place, 1);
  if (!rule_node_init(&p->node, table, row, 2, "place name", error)) {
    g_free(p);
    return FALSE;
  }
  p->kind = (PlaceKind)kind;
  char **aliases = table_split_list(row->n_fields == 4 ? row->fields[3] : "");
  GStrvBuilder *b = g_strv_builder_new();
  g_strv_builder_add(b, p->node.name);
  g_strv_builder_addv(b, (const char **)aliases);
  p->aliases = g_strv_builder_end(b);
  g_strv_builder_unref(b);
  g_strfreev(aliases);
  g_hash_table_replace(places->by_slug, p->node.slug, p);
  return TRUE;
}

gboolean places_load(Places *places, const char *filename, const char *text, gsize len,
                     GError **error)
{
  return table_read(filename, text, len, 3, 4, "place | kind | parents | aliases", place_row,
                    places, error);
}

gboolean places_finish(Places *places, GError **error)
{
  indexes_clear(places);
  gboolean ok = rule_nodes_resolve(places->by_slug, HIERARCHY_PLACES, error);
  GPtrArray *all = rule_nodes_sorted(places->by_slug);
  places->aliases = g_ptr_array_new_with_free_func(alias_free);
  places->by_text = index_new();
  places->by_key = index_new();
  places->by_delete = index_new();
  places->prefixes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  places->max_words = 1;
  for (guint i = 0; ok && i < all->len; i++) {
    const Place *p = g_ptr_array_index(all, i);
    for (char **a = p->aliases; *a; a++) {
      char **words = fold_tokens(*a);
      guint n = g_strv_length(words);
      Alias *alias = g_new0(Alias, 1);
      alias->place = p;
      alias->alias = *a;
      alias->text = fold_join(words, n);
      alias->key = fold_key_tokens(words, n);
      g_strfreev(words);
      if (!alias->text[0]) {
        alias_free(alias);
        continue;
      }
      places->max_words = MAX(places->max_words, n);
      g_ptr_array_add(places->aliases, alias);
      index_add(places->by_text, alias->text, alias);
      index_add(places->by_key, alias->key, alias);
      for (gsize k = 1; k <= strlen(alias->text); k++)
        g_hash_table_add(places->prefixes, g_strndup(alias->text, k));
      for (gsize k = 1; k <= strlen(alias->key); k++)
        g_hash_table_add(places->prefixes, g_strndup(alias->key, k));
      gsize klen = strlen(alias->key);
      if (klen < CLOSE_MIN_KEY)
        continue;
      for (gsize k = 0; k < klen; k++) {
        char *less = g_strdup(alias->key);
        memmove(less + k, less + k + 1, klen - k);
        index_add(places->by_delete, less, alias);
        g_free(less);
      }
    }
  }
  g_ptr_array_unref(all);
  return ok;
}

const Place *places_get(const Places *places, const char *name)
{
  char *slug = fold_slug(name);
  const Place *p = g_hash_table_lookup(places->by_slug, slug);
  g_free(slug);
  return p;
}

gboolean place_within(const Place *inner, const Place *outer)
{
  return rule_node_within(&inner->node, &outer->node);
}

gboolean place_part_within(const PlacePart *inner, const PlacePart *outer)
{
  if (outer->site && (inner->place != outer->place || g_strcmp0(inner->key, outer->key) != 0 ||
                      g_strcmp0(inner->site, outer->site) != 0))
    return FALSE;
  if (inner->place && outer->place)
    return place_within(inner->place, outer->place);
  return !inner->place && !outer->place && strcmp(inner->key, outer->key) == 0;
}

void place_part_clear(PlacePart *part)
{
  g_free(part->name);
  g_free(part->key);
  g_free(part->site);
  g_free(part->ref);
  memset(part, 0, sizeof *part);
}
