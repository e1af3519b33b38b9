/*
 * hierarchy.h - rule rows that lie under other rows by name: places under
 * the places that contain them (place.c), event types under broader types
 * (event.c).  Both are read from tables (table.c) and resolved once every
 * rule file is in, so a row may name one defined later or in another file.
 */
#ifndef RECKON_HIERARCHY_H
#define RECKON_HIERARCHY_H

#include "table.h"

/* The first member of a Place or an EventType. */
typedef struct {
  char *name;          /* canonical, as the rules write it */
  char *slug;          /* fold_slug(name): its id, and its key in the rule set */
  char **parent_names; /* as written */
  char *file;          /* where the row was read, for messages */
  guint line;
  GPtrArray *ancestors; /* of RuleNode*: every node above it (rule_nodes_resolve()) */
  guint depth;          /* the longest chain of parents above it */
} RuleNode;

/* Fills @node from @row: the name from field 0, parents from the
 * comma-separated field @parents.  FALSE with "FILE:LINE: empty WHAT"
 * when the name folds to nothing. */
gboolean rule_node_init(RuleNode *node, const Table *table, const TableRow *row, guint parents,
                        const char *what, GError **error);
void rule_node_clear(RuleNode *node);

/* The values of @by_slug (slug -> RuleNode*), ordered by slug. */
GPtrArray *rule_nodes_sorted(GHashTable *by_slug);

/* How messages name a node's parents. */
typedef enum {
  HIERARCHY_PLACES, /* "parent", "lies inside itself" */
  HIERARCHY_EVENTS, /* "broader type", "is broader than itself" */
} HierarchyKind;

/* Resolves every node's parents (looked up in @by_slug by folded name)
 * and fills ancestors and depth.  FALSE with RECKON_ERROR_RULES
 * "FILE:LINE: reason" on an unknown name or a node above itself. */
gboolean rule_nodes_resolve(GHashTable *by_slug, HierarchyKind kind, GError **error);

/* TRUE when @outer is @node or above it. */
gboolean rule_node_within(const RuleNode *node, const RuleNode *outer);

#endif /* RECKON_HIERARCHY_H */
