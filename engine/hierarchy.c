/*
 * hierarchy.c - resolving rule rows that name their parents (see
 * hierarchy.h), for the gazetteer (place.c) and event types (event.c).
 */
#include "hierarchy.h"

#include <string.h>

#include "fold.h"

gboolean rule_node_init(RuleNode *node, const Table *table, const TableRow *row, guint parents,
                        const char *what, GError **error)
{
  memset(node, 0, sizeof *node);
  char *slug = fold_slug(row->fields[0]);
  if (slug[0] == '\0') {
    g_free(slug);
    return table_error(error, table, row, "empty %s", what);
  }
  node->name = g_strdup(row->fields[0]);
  node->slug = slug;
  node->parent_names = table_split_list(row->fields[parents]);
  node->file = g_strdup(table->filename);
  node->line = row->line;
  return TRUE;
}

void rule_node_clear(RuleNode *node)
{
  g_free(node->name);
  g_free(node->slug);
  g_strfreev(node->parent_names);
  g_free(node->file);
  if (node->ancestors)
    g_ptr_array_unref(node->ancestors);
  memset(node, 0, sizeof *node);
}

static int compare_slugs(gconstpointer a, gconstpointer b)
{
  return strcmp((*(RuleNode *const *)a)->slug, (*(RuleNode *const *)b)->slug);
}

GPtrArray *rule_nodes_sorted(GHashTable *by_slug)
{
  GPtrArray *all = g_ptr_array_new();
  GHashTableIter it;
  gpointer value;
  g_hash_table_iter_init(&it, by_slug);
  while (g_hash_table_iter_next(&it, NULL, &value))
    g_ptr_array_add(all, value);
  g_ptr_array_sort(all, compare_slugs);
  return all;
}

static void add_unique(GPtrArray *list, gpointer item)
{
  if (!g_ptr_array_find(list, item, NULL))
    g_ptr_array_add(list, item);
}

static gboolean resolve(GHashTable *by_slug, RuleNode *node, HierarchyKind kind,
                        GHashTable *visiting, GError **error)
{
  if (node->ancestors)
    return TRUE;
  if (g_hash_table_contains(visiting, node))
    return kind == HIERARCHY_PLACES
               ? table_error_at(error, node->file, node->line,
                                "place '%s' lies inside itself through its parents", node->name)
               : table_error_at(error, node->file, node->line,
                                "event type '%s' is broader than itself", node->name);
  g_hash_table_add(visiting, node);
  GPtrArray *ancestors = g_ptr_array_new();
  guint depth = 0;
  gboolean ok = TRUE;
  for (char **name = node->parent_names; ok && *name; name++) {
    char *slug = fold_slug(*name);
    RuleNode *parent = g_hash_table_lookup(by_slug, slug);
    g_free(slug);
    if (!parent)
      ok = kind == HIERARCHY_PLACES
               ? table_error_at(error, node->file, node->line,
                                "unknown parent '%s' of '%s' (list it as a place first)", *name,
                                node->name)
               : table_error_at(error, node->file, node->line, "unknown broader type '%s' of '%s'",
                                *name, node->name);
    else if ((ok = resolve(by_slug, parent, kind, visiting, error))) {
      depth = MAX(depth, parent->depth + 1);
      add_unique(ancestors, parent);
      for (guint i = 0; i < parent->ancestors->len; i++)
        add_unique(ancestors, g_ptr_array_index(parent->ancestors, i));
    }
  }
  g_hash_table_remove(visiting, node);
  if (!ok) {
    g_ptr_array_unref(ancestors);
    return FALSE;
  }
  node->ancestors = ancestors;
  node->depth = depth;
  return TRUE;
}

gboolean rule_nodes_resolve(GHashTable *by_slug, HierarchyKind kind, GError **error)
{
  /* In slug order, so the first error reported does not depend on hashing. */
  GPtrArray *all = rule_nodes_sorted(by_slug);
  for (guint i = 0; i < all->len; i++)
    g_clear_pointer(&((RuleNode *)g_ptr_array_index(all, i))->ancestors, g_ptr_array_unref);
  GHashTable *visiting = g_hash_table_new(NULL, NULL);
  gboolean ok = TRUE;
  for (guint i = 0; ok && i < all->len; i++)
    ok = resolve(by_slug, g_ptr_array_index(all, i), kind, visiting, error);
  g_hash_table_unref(visiting);
  g_ptr_array_unref(all);
  return ok;
}

gboolean rule_node_within(const RuleNode *node, const RuleNode *outer)
{
  return node == outer || g_ptr_array_find(node->ancestors, outer, NULL);
}
