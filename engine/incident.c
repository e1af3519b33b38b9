/*
 * incident.c - the incidents grouping found (group.c), made readable and
 * related: each gets a stable id, a label, its canonical place and date,
 * and a link to the smallest incident it lies inside (its parent: an
 * aggregate such as a weekly regional total, or a whole day at a city
 * for a strike on one site there).
 *
 * Ids come from content only: an explicit key as written (folded), else
 * the canonical place ("homs-military-academy") with its site, '@' and
 * the date.  Incidents that would share an id are told apart by their
 * event type ("ariha@2024-12-03~shelling").
 */
#include <string.h>

#include "fold.h"
#include "group.h"
#include "parallel.h"

/* Appends folded words with '-' for spaces: they are folded already, so
 * this is fold_slug() without folding again. */
static void append_dashed(GString *out, const char *words)
{
  for (const char *p = words; *p; p++)
    g_string_append_c(out, *p == ' ' ? '-' : *p);
}

/* The place part of a derived id: "idlib-governorate+northern-aleppo". */
static void append_places_slug(GString *out, const PlaceSet *set)
{
  for (guint i = 0; i < set->parts->len; i++) {
    const PlacePart *part = &g_array_index(set->parts, PlacePart, i);
    if (i)
      g_string_append_c(out, '+');
    append_dashed(out, part->place ? part->place->node.slug : part->name);
    if (part->site) {
      g_string_append_c(out, '-');
      append_dashed(out, part->site);
    }
  }
}

static int compare_keys(gconstpointer a, gconstpointer b)
{
  return strcmp((*(Incident *const *)a)->key, (*(Incident *const *)b)->key);
}

static int compare_ids(gconstpointer a, gconstpointer b)
{
  return strcmp((*(Incident *const *)a)->id, (*(Incident *const *)b)->id);
}

static const char *intern(ReckonEngine *engine, const char *s)
{
  return g_string_chunk_insert_const(engine->strings, s);
}

void incidents_name(ReckonEngine *engine)
{
  GPtrArray *incidents = engine->incidents;
  g_ptr_array_sort(incidents, compare_keys);
  /* Ids before uniqueness: keys first, as written; then the derived ones. */
  char **base = g_new0(char *, incidents->len + 1);
  GHashTable *uses = g_hash_table_new(g_str_hash, g_str_equal);
  GHashTable *taken = g_hash_table_new(g_str_hash, g_str_equal);
  GString *text = g_string_new(NULL); /* scratch for places, ids and labels */
  for (guint i = 0; i < incidents->len; i++) {
    Incident *inc = g_ptr_array_index(incidents, i);
    char when[DATE_SPAN_TEXT_MAX];
    date_span_format_to(&inc->when, when);
    inc->when_text = intern(engine, when);
    if (inc->places) {
      g_string_truncate(text, 0);
      for (guint p = 0; p < inc->places->parts->len; p++) {
        char *name = place_part_name(&g_array_index(inc->places->parts, PlacePart, p));
        if (p)
          g_string_append(text, " + ");
        g_string_append(text, name);
        g_free(name);
      }
      inc->place = intern(engine, text->str);
    }
    if (inc->keyed) {
      base[i] = g_strdup(inc->key + 2); /* the folded key, past its "k\x1f" tag */
      g_hash_table_add(taken, base[i]);
    } else {
      g_string_truncate(text, 0);
      append_places_slug(text, inc->places);
      g_string_append_c(text, '@');
      g_string_append(text, when);
      base[i] = g_strndup(text->str, text->len);
      g_hash_table_insert(
          uses, base[i],
          GUINT_TO_POINTER(GPOINTER_TO_UINT(g_hash_table_lookup(uses, base[i])) + 1));
    }
  }
  for (guint i = 0; i < incidents->len; i++) {
    Incident *inc = g_ptr_array_index(incidents, i);
    char *id = g_strdup(base[i]);
    if (!inc->keyed && (GPOINTER_TO_UINT(g_hash_table_lookup(uses, base[i])) > 1 ||
                        g_hash_table_contains(taken, id))) {
      /* Several incidents at one place and date: say which by event type. */
      char *slug = fold_slug(inc->event_name);
      g_free(id);
      id = g_strdup_printf("%s~%s", base[i], slug);
      g_free(slug);
    }
    char *unique = g_strdup(id);
    for (guint n = 2; !inc->keyed && g_hash_table_contains(taken, unique); n++) {
      g_free(unique);
      unique = g_strdup_printf("%s~%u", id, n);
    }
    inc->id = intern(engine, unique);
    g_hash_table_add(taken, (gpointer)inc->id);
    g_free(unique);
    g_free(id);

    g_string_truncate(text, 0);
    if (inc->what) {
      g_string_append(text, inc->what);
      g_string_append(text, ", ");
    }
    g_string_append(text, inc->where ? inc->where : inc->id);
    if (inc->when_text[0]) {
      g_string_append(text, ", ");
      g_string_append(text, inc->when_text);
    }
    inc->label = intern(engine, text->str);
  }
  g_string_free(text, TRUE);
  g_ptr_array_sort(incidents, compare_ids);
  g_hash_table_unref(taken);
  g_hash_table_unref(uses);
  for (guint i = 0; i < incidents->len; i++)
    g_free(base[i]);
  g_free(base);
}

/* TRUE when some type of @outer covers some type of @inner (event.h). */
static gboolean types_cover(const Incident *outer, const Incident *inner)
{
  if (outer->types->len == 0 || inner->types->len == 0)
    return TRUE;
  for (guint i = 0; i < outer->types->len; i++)
    for (guint j = 0; j < inner->types->len; j++)
      if (event_covers(g_ptr_array_index(outer->types, i), g_ptr_array_index(inner->types, j)))
        return TRUE;
  return FALSE;
}

/* A vague date ("2024-12") is one day not known exactly, not a period:
 * nothing lies inside it. */
static gboolean can_contain(const Incident *inc)
{
  return inc->places && date_span_is_set(&inc->when) &&
         date_span_shape(&inc->when) != DATE_SHAPE_VAGUE;
}

gboolean incident_contains(const Incident *outer, const Incident *inner)
{
  if (outer == inner || !can_contain(outer) || !inner->places || !date_span_is_set(&inner->when))
    return FALSE;
  if (outer->when.start > inner->when.start || outer->when.end < inner->when.end)
    return FALSE;
  if (!place_set_within(inner->places, outer->places))
    return FALSE;
  /* Equal extents are different incidents side by side, not one inside the other. */
  if (outer->when.start == inner->when.start && outer->when.end == inner->when.end &&
      place_set_within(outer->places, inner->places))
    return FALSE;
  return types_cover(outer, inner);
}

/* Depth of the smallest part: deeper places are smaller. */
static guint places_depth(const PlaceSet *set)
{
  guint depth = 0;
  for (guint i = 0; i < set->parts->len; i++) {
    const PlacePart *part = &g_array_index(set->parts, PlacePart, i);
    depth = MAX(depth, (part->place ? part->place->node.depth : 0) + (part->site ? 1 : 0));
  }
  return depth;
}

/* Of two containers, the smaller: the shorter period, then the smaller
 * places, then fewer of them, then by key. */
static gboolean smaller(const Incident *a, const Incident *b)
{
  guint32 la = a->when.end - a->when.start, lb = b->when.end - b->when.start;
  if (la != lb)
    return la < lb;
  guint da = places_depth(a->places), db = places_depth(b->places);
  if (da != db)
    return da > db;
  if (a->places->parts->len != b->places->parts->len)
    return a->places->parts->len < b->places->parts->len;
  return strcmp(a->key, b->key) < 0;
}

/* Incidents that may contain others, filed under each place they name
 * (without its site), sorted by start, with the longest span of the list
 * so a lookup scans only starts that can still cover a date. */
typedef struct {
  GPtrArray *incidents;
  guint32 max_span;
} Shelf;

static void shelf_free(gpointer data)
{
  Shelf *s = data;
  g_ptr_array_unref(s->incidents);
  g_free(s);
}

/* The shelf of @place, or of @part outside the gazetteer, in @key. */
static const char *shelf_key(GString *key, const Place *place, const PlacePart *part)
{
  g_string_assign(key, place ? "g:" : "u:");
  g_string_append(key, place ? place->node.slug : part->key);
  return key->str;
}

static int compare_start(gconstpointer a, gconstpointer b)
{
  const Incident *x = *(Incident *const *)a, *y = *(Incident *const *)b;
  if (x->when.start != y->when.start)
    return x->when.start < y->when.start ? -1 : 1;
  return strcmp(x->key, y->key);
}

static void scan_shelf(const Shelf *shelf, const Incident *inner, const Incident **best)
{
  /* The first incident starting after @inner, then back while a start can still cover it. */
  guint lo = 0, hi = shelf->incidents->len;
  while (lo < hi) {
    guint mid = lo + (hi - lo) / 2;
    if (((Incident *)g_ptr_array_index(shelf->incidents, mid))->when.start <= inner->when.start)
      lo = mid + 1;
    else
      hi = mid;
  }
  for (guint k = lo; k-- > 0;) {
    const Incident *outer = g_ptr_array_index(shelf->incidents, k);
    if ((guint64)outer->when.start + shelf->max_span < inner->when.end)
      break;
    if (incident_contains(outer, inner) && (!*best || smaller(outer, *best)))
      *best = outer;
  }
}

typedef struct {
  GPtrArray *incidents;
  GHashTable *shelves; /* read only while linking */
} LinkJob;

/* Incidents linked at a time. */
#define LINK_BLOCK 512

/* Sets the parent of incidents [from, to): each looks only at the
 * shelves, so incidents are linked on the threads. */
static void link_incidents(guint from, guint to, gpointer worker, gpointer data)
{
  (void)worker;
  const LinkJob *job = data;
  GString *key = g_string_new(NULL);
  for (guint i = from; i < to; i++) {
    Incident *inc = g_ptr_array_index(job->incidents, i);
    if (!inc->places || !date_span_is_set(&inc->when))
      continue;
    /* Containers name the incident's first place or a place it lies in. */
    const PlacePart *part = &g_array_index(inc->places->parts, PlacePart, 0);
    const Incident *best = NULL;
    guint n_around = part->place ? part->place->node.ancestors->len + 1 : 1;
    for (guint a = 0; a < n_around; a++) {
      const Place *around = !part->place ? NULL
                            : a == 0     ? part->place
                                         : g_ptr_array_index(part->place->node.ancestors, a - 1);
      const Shelf *shelf = g_hash_table_lookup(job->shelves, shelf_key(key, around, part));
      if (shelf)
        scan_shelf(shelf, inc, &best);
    }
    inc->parent = best;
  }
  g_string_free(key, TRUE);
}

void incidents_link(ReckonEngine *engine)
{
  GHashTable *shelves = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, shelf_free);
  GString *key = g_string_new(NULL);
  for (guint i = 0; i < engine->incidents->len; i++) {
    Incident *inc = g_ptr_array_index(engine->incidents, i);
    if (!can_contain(inc))
      continue;
    for (guint p = 0; p < inc->places->parts->len; p++) {
      const PlacePart *part = &g_array_index(inc->places->parts, PlacePart, p);
      Shelf *shelf = g_hash_table_lookup(shelves, shelf_key(key, part->place, part));
      if (!shelf) {
        shelf = g_new0(Shelf, 1);
        shelf->incidents = g_ptr_array_new();
        g_hash_table_insert(shelves, g_strdup(key->str), shelf);
      }
      g_ptr_array_add(shelf->incidents, inc);
      shelf->max_span = MAX(shelf->max_span, inc->when.end - inc->when.start);
    }
  }
  GHashTableIter it;
  gpointer value;
  g_hash_table_iter_init(&it, shelves);
  while (g_hash_table_iter_next(&it, NULL, &value))
    g_ptr_array_sort(((Shelf *)value)->incidents, compare_start);
  g_string_free(key, TRUE);

  LinkJob job = {engine->incidents, shelves};
  guint n_threads = parallel_threads(&engine->opts);
  parallel_run(engine->incidents->len, CLAMP(engine->incidents->len / (8 * n_threads), 1, LINK_BLOCK),
               n_threads, NULL, link_incidents, &job);
  g_hash_table_unref(shelves);
}
