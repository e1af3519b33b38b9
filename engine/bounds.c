/*
 * bounds.c - the last estimating step: parts within totals.  After every
 * estimate has its low, best and high, the estimates of one incident and
 * metric are arranged as a tree by who (rules/who: children and women are
 * parts of civilians, civilians of all).  Counting up the tree, a total's
 * low rises to at least the sum of its disjoint parts' lows (the largest
 * overlapping part's, for parts that may overlap), and a total whose high
 * is below that is flagged exceeds_total together with the parts.
 *
 * The tree walk knows nothing of who: a node is an estimate (or a gap no
 * claim speaks of) with parts below it.  Aggregate incidents bound the
 * incidents inside them the same way (bound_aggregates()): for one metric
 * and who, the incidents whose parent is an aggregate are parts of it, and
 * different incidents are different people, so their floors add up.
 * The groups of one incident and metric are independent, so they are
 * shared out among threads; the aggregates, rare and nested, stay on one.
 */
#include "bounds.h"

#include <string.h>

#include "engine-private.h"
#include "fold.h"
#include "parallel.h"
#include "table.h"

typedef struct {
  char *name;     /* canonical, folded */
  char *parent;   /* canonical, folded; "all" for the whole count */
  gboolean disjoint;
} WhoEntry;

struct _WhoTable {
  GHashTable *entries; /* canonical -> WhoEntry* (owned) */
  GHashTable *names;   /* folded name or synonym -> canonical (owned) */
};

#define WHO_ALL "all"

static void entry_free(gpointer data)
{
  WhoEntry *e = data;
  g_free(e->name);
  g_free(e->parent);
  g_free(e);
}

WhoTable *who_new(void)
{
  WhoTable *w = g_new0(WhoTable, 1);
  w->entries = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, entry_free);
  w->names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  return w;
}

void who_free(WhoTable *w)
{
  if (!w)
    return;
  g_hash_table_unref(w->names);
  g_hash_table_unref(w->entries);
  g_free(w);
}

/* TRUE when following parents from @name comes back to it. */
static gboolean has_cycle(const WhoTable *w, const char *name)
{
  const WhoEntry *e = g_hash_table_lookup(w->entries, name);
  for (guint steps = 0; e && steps <= g_hash_table_size(w->entries); steps++) {
    if (strcmp(e->parent, name) == 0)
      return TRUE;
    e = g_hash_table_lookup(w->entries, e->parent);
  }
  return FALSE;
}

gboolean who_load(WhoTable *w, const char *filename, const char *text, gsize len, GError **error)
{
  Table *t = table_parse(filename, text, len, error);
  if (!t)
    return FALSE;
  gboolean ok = TRUE;
  for (guint i = 0; ok && i < t->rows->len; i++) {
    const TableRow *row = g_ptr_array_index(t->rows, i);
    if (row->n_fields < 3 || row->n_fields > 4) {
      ok = table_error(error, t, row, "expected 'who | part of | disjoint | synonyms', got %u fields",
                       row->n_fields);
      break;
    }
    const char *disjoint = row->fields[2];
    if (strcmp(disjoint, "yes") != 0 && strcmp(disjoint, "no") != 0) {
      ok = table_error(error, t, row, "disjoint must be 'yes' or 'no', not '%s'", disjoint);
      break;
    }
    WhoEntry *e = g_new0(WhoEntry, 1);
    e->name = fold_words(row->fields[0]);
    e->parent = fold_words(row->fields[1]);
    e->disjoint = disjoint[0] == 'y';
    if (!e->name[0] || !e->parent[0] || strcmp(e->name, WHO_ALL) == 0) {
      ok = table_error(error, t, row, "a group needs a name other than 'all' and a larger group");
      entry_free(e);
      break;
    }
    g_hash_table_replace(w->entries, e->name, e);
    g_hash_table_replace(w->names, g_strdup(e->name), g_strdup(e->name));
    char **syns = row->n_fields == 4 ? g_strsplit(row->fields[3], ",", -1) : g_new0(char *, 1);
    for (char **s = syns; *s; s++) {
      char *folded = fold_words(*s);
      if (folded[0])
        g_hash_table_replace(w->names, folded, g_strdup(e->name));
      else
        g_free(folded);
    }
    g_strfreev(syns);
    if (has_cycle(w, e->name))
      ok = table_error(error, t, row, "'%s' would be a part of itself", row->fields[0]);
  }
  table_free(t);
  return ok;
}

/* One node of a parts tree: an estimate, or a gap between a part and its
 * total that no claim speaks of (civilians, when only children and the
 * whole count were reported). */
typedef struct Node {
  ReckonEstimate *estimate; /* may be NULL */
  const char *name;         /* for explanations */
  gboolean disjoint;        /* does not overlap its disjoint siblings */
  GPtrArray *parts;         /* of Node* */
  guint64 floor;            /* the least its count can be, from itself and its parts */
} Node;

static Node *node_new(const char *name, ReckonEstimate *e, gboolean disjoint)
{
  Node *n = g_new0(Node, 1);
  n->name = name;
  n->estimate = e;
  n->disjoint = disjoint;
  n->parts = g_ptr_array_new();
  return n;
}

static void node_free(gpointer data)
{
  Node *n = data;
  g_ptr_array_unref(n->parts);
  g_free(n);
}

/* Marks the members of @e that were used exceeds_total (in its marks:
 * the members' records take them from there). */
static void mark_used(ReckonEstimate *e)
{
  for (guint i = 0; i < e->n_members; i++)
    if (estimate_member_role(e, i) == RECKON_ROLE_USED)
      e->marks[i] |= RECKON_FLAG_EXCEEDS_TOTAL;
}

/* Marks every estimate at or below @n that gives it a floor above 0. */
static void flag_parts(Node *n)
{
  if (n->floor == 0)
    return;
  if (n->estimate) {
    ReckonEstimate *e = n->estimate;
    e->flags |= RECKON_FLAG_EXCEEDS_TOTAL;
    mark_used(e);
    return;
  }
  for (guint i = 0; i < n->parts->len; i++)
    flag_parts(g_ptr_array_index(n->parts, i));
}

/* @e's record of what parts and totals did, made on first need: no move
 * comes before it, so low, high and best are still the method's. */
static Bounded *bounded(ReckonEstimate *e)
{
  if (!e->bounded)
    e->bounded = g_memdup2(&(Bounded){{e->low, e->high, e->best}, NULL}, sizeof(Bounded));
  return e->bounded;
}

static void add_note(ReckonEstimate *e, const char *text)
{
  Bounded *b = bounded(e);
  char *old = b->note;
  b->note = g_strconcat(old ? old : "", text, NULL);
  g_free(old);
}

/* The largest count a range allows, taking an open claim at its figure. */
static guint64 reach(const ReckonRange *r)
{
  return r->high == RECKON_UNBOUNDED ? r->figure : r->high;
}

/* Appends @v in decimal: the texts below are built for every group with
 * parts, and printf was most of their cost. */
static void append_count(GString *out, guint64 v)
{
  char buf[24], *p = buf + sizeof buf;
  do
    *--p = (char)('0' + v % 10);
  while (v /= 10);
  g_string_append_len(out, p, buf + sizeof buf - p);
}

/* Raises @e's low (and best) to @parts, the floor its parts give it, and
 * notes why (@why lists the parts; @whole names them in a sentence,
 * @title starts the note).  When the parts exceed its high, flags @e and
 * the claims that fall short of them exceeds_total, raises the high too,
 * and returns TRUE so the caller flags the parts. */
static gboolean raise_to_parts(ReckonEstimate *e, guint64 parts, const char *why, const char *whole,
                               const char *title)
{
  gboolean exceeds = FALSE;
  char *text = NULL;
  if (parts > e->low) {
    bounded(e); /* what the method gave, for explain */
    if (e->high != RECKON_UNBOUNDED && parts > e->high) {
      exceeds = TRUE;
      e->flags |= RECKON_FLAG_EXCEEDS_TOTAL;
      gboolean marked = FALSE;
      for (guint i = 0; i < e->n_members; i++)
        if (estimate_member_role(e, i) == RECKON_ROLE_USED && reach(member_range(e, i)) < parts) {
          e->marks[i] |= RECKON_FLAG_EXCEEDS_TOTAL;
          marked = TRUE;
        }
      if (!marked)
        mark_used(e);
      text = g_strdup_printf("  exceeds_total: %s (%s) add up to %" G_GUINT64_FORMAT
                             ", more than its high of %" G_GUINT64_FORMAT
                             "; low and high rise to %" G_GUINT64_FORMAT ".\n",
                             whole, why, parts, e->high, parts);
      e->high = parts;
    } else {
      text = g_strdup_printf("  %s: %s add up to %" G_GUINT64_FORMAT ", so low rises from %" G_GUINT64_FORMAT
                             " to %" G_GUINT64_FORMAT ".\n",
                             title, why, parts, e->low, parts);
    }
    e->low = parts;
    if (e->best < (double)parts)
      e->best = (double)parts;
  } else if (why[0]) {
    GString *fit = g_string_new("  ");
    g_string_append(fit, title);
    g_string_append(fit, ": ");
    g_string_append(fit, why);
    g_string_append(fit, " fit within low ");
    append_count(fit, e->low);
    g_string_append(fit, ".\n");
    text = g_string_free(fit, FALSE);
  }
  if (text)
    add_note(e, text);
  g_free(text);
  return exceeds;
}

/* Applies @n's parts to its estimate and returns its floor; appends to
 * @desc what the floor rests on ("children at least 5"). */
static guint64 apply(Node *n, GString *desc)
{
  guint64 sum = 0, widest = 0;
  GString *why = g_string_new(NULL);
  for (guint i = 0; i < n->parts->len; i++) {
    Node *p = g_ptr_array_index(n->parts, i);
    GString *part = g_string_new(NULL);
    guint64 f = apply(p, part);
    if (f > 0) {
      if (p->disjoint)
        sum += f;
      else
        widest = MAX(widest, f);
      if (why->len)
        g_string_append(why, ", ");
      g_string_append_len(why, part->str, (gssize)part->len);
      if (!p->disjoint)
        g_string_append(why, " (may overlap the others)");
    }
    g_string_free(part, TRUE);
  }
  guint64 parts = MAX(sum, widest);
  ReckonEstimate *e = n->estimate;
  n->floor = parts;
  if (e) {
    if (raise_to_parts(e, parts, why->str, "its parts", "Parts"))
      for (guint i = 0; i < n->parts->len; i++)
        flag_parts(g_ptr_array_index(n->parts, i));
    n->floor = e->low;
  }
  g_string_append(desc, n->name);
  g_string_append(desc, " at least ");
  append_count(desc, n->floor);
  if (!e && why->len) {
    g_string_append(desc, " (");
    g_string_append_len(desc, why->str, (gssize)why->len);
    g_string_append_c(desc, ')');
  }
  g_string_free(why, TRUE);
  return n->floor;
}

/* A note on each part that was found too large for its total. */
static void note_parts(Node *n, const char *total)
{
  for (guint i = 0; i < n->parts->len; i++) {
    Node *p = g_ptr_array_index(n->parts, i);
    if (p->estimate && (p->estimate->flags & RECKON_FLAG_EXCEEDS_TOTAL)) {
      char *text = g_strdup_printf("  exceeds_total: this part, with the other parts of %s, is "
                                   "larger than the count of %s.\n", total, total);
      if (!estimate_note(p->estimate) || !strstr(estimate_note(p->estimate), text))
        add_note(p->estimate, text);
      g_free(text);
    }
    note_parts(p, total);
  }
}

static void note_exceeding(Node *n)
{
  if (n->estimate && (n->estimate->flags & RECKON_FLAG_EXCEEDS_TOTAL))
    note_parts(n, n->name);
  for (guint i = 0; i < n->parts->len; i++)
    note_exceeding(g_ptr_array_index(n->parts, i));
}

/* The node for a group, created with its chain of larger groups up to all. */
static Node *node_for(const WhoTable *who, GHashTable *nodes, GPtrArray *owned, const char *name)
{
  Node *n = g_hash_table_lookup(nodes, name);
  if (n)
    return n;
  const WhoEntry *entry = g_hash_table_lookup(who->entries, name);
  n = node_new(entry ? entry->name : WHO_ALL, NULL, entry ? entry->disjoint : TRUE);
  g_ptr_array_add(owned, n);
  g_hash_table_insert(nodes, (gpointer)n->name, n);
  if (entry) {
    Node *parent = node_for(who, nodes, owned, entry->parent);
    g_ptr_array_add(parent->parts, n);
  }
  return n;
}

/* The estimates [first, last) share an incident and a metric. */
static void bound_group(const WhoTable *who, ReckonEstimate *first, ReckonEstimate *last)
{
  GHashTable *nodes = g_hash_table_new(g_str_hash, g_str_equal);
  GPtrArray *owned = g_ptr_array_new_with_free_func(node_free);
  for (ReckonEstimate *e = first; e < last; e++) {
    const char *canonical = WHO_ALL;
    const char *e_who = estimate_who(e);
    if (e_who) {
      canonical = g_hash_table_lookup(who->names, e_who);
      if (!canonical)
        continue; /* a group the table does not place */
    }
    Node *n = node_for(who, nodes, owned, canonical);
    if (!n->estimate) {
      n->estimate = e;
      n->name = e_who ? e_who : estimate_metric(e);
    }
  }
  Node *root = g_hash_table_lookup(nodes, WHO_ALL);
  if (root) {
    GString *desc = g_string_new(NULL);
    apply(root, desc);
    g_string_free(desc, TRUE);
    note_exceeding(root);
  }
  g_ptr_array_unref(owned);
  g_hash_table_unref(nodes);
}

/* Aggregates and the incidents inside them, for one metric and who. */
typedef struct {
  GHashTable *estimates; /* AggregateKey -> ReckonEstimate*, of the incidents in an aggregate tree */
  GHashTable *children;  /* Incident* -> GPtrArray of Incident* directly inside it */
  GHashTable *floors;    /* AggregateKey -> floor + 1, once computed */
} Aggregates;

/* An incident, metric and who: the strings are interned, so their
 * addresses tell them apart. */
typedef struct {
  const Incident *inc;
  const char *metric, *who;
} AggregateKey;

static guint aggregate_hash(gconstpointer p)
{
  const AggregateKey *k = p;
  return g_direct_hash(k->inc) ^ (g_direct_hash(k->metric) * 31) ^ (g_direct_hash(k->who) * 961);
}

static gboolean aggregate_equal(gconstpointer pa, gconstpointer pb)
{
  const AggregateKey *a = pa, *b = pb;
  return a->inc == b->inc && a->metric == b->metric && a->who == b->who;
}

static AggregateKey *aggregate_key(const Incident *inc, const char *metric, const char *who)
{
  AggregateKey *k = g_new(AggregateKey, 1);
  *k = (AggregateKey){inc, metric, who};
  return k;
}

static guint64 incident_floor(Aggregates *a, const Incident *inc, const char *metric,
                              const char *who, GString *why);

/* The floors of the incidents directly inside @inc, added up; lists them in @why. */
static guint64 children_floor(Aggregates *a, const Incident *inc, const char *metric,
                              const char *who, GString *why)
{
  GPtrArray *kids = g_hash_table_lookup(a->children, inc);
  guint64 sum = 0;
  for (guint i = 0; kids && i < kids->len; i++) {
    const Incident *kid = g_ptr_array_index(kids, i);
    guint64 f = incident_floor(a, kid, metric, who, NULL);
    if (f == 0)
      continue;
    sum += f;
    if (why)
      g_string_append_printf(why, "%s%s at least %" G_GUINT64_FORMAT, why->len ? ", " : "",
                             kid->id, f);
  }
  return sum;
}

/* Marks the estimates inside @inc (the nearest ones on each path) whose
 * floors made its total too small. */
static void flag_inside(Aggregates *a, const Incident *inc, const char *metric, const char *who)
{
  GPtrArray *kids = g_hash_table_lookup(a->children, inc);
  for (guint i = 0; kids && i < kids->len; i++) {
    const Incident *kid = g_ptr_array_index(kids, i);
    AggregateKey key = {kid, metric, who};
    ReckonEstimate *e = g_hash_table_lookup(a->estimates, &key);
    if (!e) {
      flag_inside(a, kid, metric, who);
      continue;
    }
    if (e->low == 0)
      continue;
    e->flags |= RECKON_FLAG_EXCEEDS_TOTAL;
    mark_used(e);
    char *text = g_strdup_printf("  exceeds_total: this incident, with the others inside %s, "
                                 "counts more than %s does.\n", inc->id, inc->id);
    add_note(e, text);
    g_free(text);
  }
}

/* The least count of @metric/@who at @inc: its estimate's low once raised
 * to the incidents inside it, or, with no estimate, theirs added up. */
static guint64 incident_floor(Aggregates *a, const Incident *inc, const char *metric,
                              const char *who, GString *why)
{
  AggregateKey key = {inc, metric, who};
  gpointer memo = g_hash_table_lookup(a->floors, &key);
  if (memo)
    return (guint64)GPOINTER_TO_SIZE(memo) - 1;
  ReckonEstimate *e = g_hash_table_lookup(a->estimates, &key);
  GString *parts_why = g_string_new(NULL);
  guint64 parts = children_floor(a, inc, metric, who, parts_why);
  guint64 floor = parts;
  if (e) {
    if (raise_to_parts(e, parts, parts_why->str, "the incidents inside it", "Incidents inside it"))
      flag_inside(a, inc, metric, who);
    floor = e->low;
  }
  if (why)
    g_string_append(why, parts_why->str);
  g_string_free(parts_why, TRUE);
  /* Floors are at most RECKON_COUNT_MAX times the incidents: they fit a pointer. */
  g_hash_table_insert(a->floors, aggregate_key(inc, metric, who), GSIZE_TO_POINTER((gsize)floor + 1));
  return floor;
}

static void bound_aggregates(ReckonEngine *engine)
{
  Aggregates a = {
    .estimates = g_hash_table_new_full(aggregate_hash, aggregate_equal, g_free, NULL),
    .children = g_hash_table_new_full(NULL, NULL, NULL, (GDestroyNotify)g_ptr_array_unref),
    .floors = g_hash_table_new_full(aggregate_hash, aggregate_equal, g_free, NULL),
  };
  for (guint i = 0; i < engine->incidents->len; i++) {
    const Incident *inc = g_ptr_array_index(engine->incidents, i);
    if (!inc->parent)
      continue;
    GPtrArray *kids = g_hash_table_lookup(a.children, inc->parent);
    if (!kids) {
      kids = g_ptr_array_new();
      g_hash_table_insert(a.children, (gpointer)inc->parent, kids);
    }
    g_ptr_array_add(kids, (gpointer)inc);
  }
  if (g_hash_table_size(a.children) > 0) {
    GArray *all = engine->estimates;
    /* Only an aggregate's estimates and those of the incidents inside one
     * are looked up: most incidents are in neither. */
    for (guint i = 0; i < all->len; i++) {
      ReckonEstimate *e = &g_array_index(all, ReckonEstimate, i);
      if (e->source_incident->parent || g_hash_table_contains(a.children, e->source_incident))
        g_hash_table_insert(a.estimates,
                            aggregate_key(e->source_incident, estimate_metric(e), estimate_who(e)), e);
    }
    /* In output order, which is fixed: the memo makes each floor computed once,
     * from the innermost incidents out. */
    for (guint i = 0; i < all->len; i++) {
      ReckonEstimate *e = &g_array_index(all, ReckonEstimate, i);
      if (g_hash_table_contains(a.children, e->source_incident))
        incident_floor(&a, e->source_incident, estimate_metric(e), estimate_who(e), NULL);
    }
  }
  g_hash_table_unref(a.floors);
  g_hash_table_unref(a.children);
  g_hash_table_unref(a.estimates);
}

/* The groups of estimates of one incident and metric, [starts[g], ends[g]),
 * that have parts to apply: independent of each other, so shared out among
 * threads. */
typedef struct {
  const WhoTable *who;
  ReckonEstimate *estimates;
  const guint *starts, *ends;
} Groups;

static void bound_block(guint from, guint to, gpointer worker, gpointer data)
{
  (void)worker;
  const Groups *g = data;
  for (guint k = from; k < to; k++)
    bound_group(g->who, g->estimates + g->starts[k], g->estimates + g->ends[k]);
}

/* Groups taken at a time by a thread, and below how many it stays on one. */
#define BOUND_BLOCK 256
#define BOUND_SHARE_MIN 1024

void bounds_apply(ReckonEngine *engine)
{
  GArray *all = engine->estimates;
  GArray *starts = g_array_new(FALSE, FALSE, sizeof(guint));
  GArray *ends = g_array_new(FALSE, FALSE, sizeof(guint));
  guint start = 0;
  for (guint i = 1; i <= all->len; i++) {
    const ReckonEstimate *a = &g_array_index(all, ReckonEstimate, start);
    if (i < all->len) {
      const ReckonEstimate *b = &g_array_index(all, ReckonEstimate, i);
      if (b->source_incident == a->source_incident && estimate_metric(b) == estimate_metric(a))
        continue;
    }
    if (i - start > 1) {
      g_array_append_val(starts, start);
      g_array_append_val(ends, i);
    }
    start = i;
  }
  Groups groups = {engine->rules->who, (ReckonEstimate *)all->data, (guint *)starts->data,
                   (guint *)ends->data};
  guint n = starts->len;
  guint n_threads = parallel_threads_for(&engine->opts, n, BOUND_SHARE_MIN);
  parallel_run(n, parallel_block(n, n_threads, BOUND_BLOCK), n_threads, NULL, bound_block, &groups);
  g_array_unref(starts);
  g_array_unref(ends);
  /* Parts within totals inside each incident first, then incidents within
   * the aggregates that contain them. */
  bound_aggregates(engine);
}
