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
 *
 * Before naming, each incident is described from its claims (its where
 * and what texts, its places: describe.c); naming and linking run on the
 * threads, each piece for its own incident, except what must see every
 * incident: making ids unique and cutting the sorted filings of
 * containers into shelves.
 */
#include <stdlib.h>
#include <string.h>

#include "fold.h"
#include "group.h"
#include "parallel.h"
#include "textsort.h"

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

static const char *key_of(gconstpointer inc)
{
  return ((const Incident *)inc)->key;
}

static const char *id_of(gconstpointer inc)
{
  return ((const Incident *)inc)->id;
}

/* Incidents (or place sets) named at a time. */
#define NAME_BLOCK 512

/* A thread's part of naming: its scratch text and slab (ids before
 * uniqueness), and the slab its place names, date texts and labels live
 * in (the run's, kept until the next run). */
typedef struct {
  GString *text;
  Slab *scratch;
  Slab *slab;
  GHashTable *dates; /* date texts in @slab: few, and many incidents share each */
} Namer;

typedef struct {
  GPtrArray *items;  /* incidents, or for set_names() place sets */
  const char **base; /* each incident's id before uniqueness */
  const guint *uses; /* how many derived incidents share each one's base */
  const char **typed; /* each one's base with its event type, when shared */
} NameJob;

/* The canonical names of place sets [from, to), " + "-joined. */
static void set_names(guint from, guint to, gpointer worker, gpointer data)
{
  const NameJob *job = data;
  Namer *namer = worker;
  GString *text = namer->text;
  for (guint k = from; k < to; k++) {
    PlaceSet *set = g_ptr_array_index(job->items, k);
    g_string_truncate(text, 0);
    for (guint p = 0; p < set->parts->len; p++) {
      char *name = place_part_name(&g_array_index(set->parts, PlacePart, p));
      if (p)
        g_string_append(text, " + ");
      g_string_append(text, name);
      g_free(name);
    }
    set->name = slab_strndup(namer->slab, text->str, text->len);
  }
}

/* Date texts, place names and ids before uniqueness of incidents [from,
 * to): keys as written; else the places' slugs, '@' and the date. */
static void base_names(guint from, guint to, gpointer worker, gpointer data)
{
  const NameJob *job = data;
  Namer *namer = worker;
  GString *text = namer->text;
  for (guint i = from; i < to; i++) {
    Incident *inc = g_ptr_array_index(job->items, i);
    char when[DATE_SPAN_TEXT_MAX];
    date_span_format_to(&inc->when, when);
    inc->when_text = g_hash_table_lookup(namer->dates, when);
    if (!inc->when_text) {
      inc->when_text = slab_strdup(namer->slab, when);
      g_hash_table_add(namer->dates, (gpointer)inc->when_text);
    }
    if (inc->places)
      inc->place = inc->places->name;
    if (inc->keyed) {
      job->base[i] = inc->key + 2; /* the folded key, past its "k\x1f" tag */
      continue;
    }
    g_string_truncate(text, 0);
    append_places_slug(text, inc->places);
    g_string_append_c(text, '@');
    g_string_append(text, when);
    job->base[i] = slab_strndup(namer->scratch, text->str, text->len);
  }
}

/* The bases with event types of incidents [from, to) whose base other
 * derived incidents share: most of the ids unique_ids() gives them. */
static void typed_names(guint from, guint to, gpointer worker, gpointer data)
{
  const NameJob *job = data;
  Namer *namer = worker;
  GString *text = namer->text;
  for (guint i = from; i < to; i++) {
    const Incident *inc = g_ptr_array_index(job->items, i);
    if (inc->keyed || job->uses[i] < 2)
      continue;
    char *slug = fold_slug(inc->event_name);
    g_string_assign(text, job->base[i]);
    g_string_append_c(text, '~');
    g_string_append(text, slug);
    job->typed[i] = slab_strndup(namer->scratch, text->str, text->len);
    g_free(slug);
  }
}

/* TRUE when [p, end) folds to a word: a piece of a where that
 * places_read() reads as a place (it reads a piece without words as
 * none). */
static gboolean has_word(const char *p, const char *end)
{
  char *piece = g_strndup(p, (gsize)(end - p));
  char **words = fold_tokens(piece);
  gboolean any = words[0] != NULL;
  g_strfreev(words);
  g_free(piece);
  return any;
}

/* Appends @where to @text without the empty pieces of a " + " list
 * ("Ariha + " reads as Ariha: places_read()). */
static void append_where(GString *text, const char *where)
{
  if (!strstr(where, " + ")) {
    g_string_append(text, where);
    return;
  }
  gsize start = text->len;
  for (const char *p = where;;) {
    const char *end = strstr(p, " + ");
    if (!end)
      end = p + strlen(p);
    if (has_word(p, end)) {
      if (text->len > start)
        g_string_append(text, " + ");
      g_string_append_len(text, p, end - p);
    }
    if (!*end)
      break;
    p = end + 3;
  }
}

/* Labels of incidents [from, to): what, where (else the id) and date;
 * first the ids unique_ids() left to copy, their bases. */
static void labels(guint from, guint to, gpointer worker, gpointer data)
{
  const NameJob *job = data;
  Namer *namer = worker;
  GString *text = namer->text;
  for (guint i = from; i < to; i++) {
    Incident *inc = g_ptr_array_index(job->items, i);
    if (!inc->id)
      inc->id = slab_strdup(namer->slab, job->base[i]);
    g_string_truncate(text, 0);
    if (inc->what) {
      g_string_append(text, inc->what);
      g_string_append(text, ", ");
    }
    if (inc->where)
      append_where(text, inc->where);
    else
      g_string_append(text, inc->id);
    if (inc->when_text[0]) {
      g_string_append(text, ", ");
      g_string_append(text, inc->when_text);
    }
    inc->label = slab_strndup(namer->slab, text->str, text->len);
  }
}

static const char *base_of(gconstpointer slot)
{
  return *(const char *const *)slot;
}

typedef struct {
  const char ***sorted; /* the derived incidents' bases (their slots), sorted */
  const char **base;
  guint8 *starts;       /* parallel to @sorted: a run of equal bases starts there */
  guint *run;           /* parallel to @sorted: then the run's length */
  guint *uses;          /* parallel to @base: how many derived incidents share it */
} UsesJob;

/* Runs pieces at a time. */
#define USES_BLOCK 4096

static void mark_starts(guint from, guint to, gpointer worker, gpointer data)
{
  (void)worker;
  const UsesJob *job = data;
  for (guint k = from; k < to; k++)
    job->starts[k] = k == 0 || strcmp(*job->sorted[k], *job->sorted[k - 1]) != 0;
}

static void scatter_uses(guint from, guint to, gpointer worker, gpointer data)
{
  (void)worker;
  const UsesJob *job = data;
  for (guint k = from; k < to; k++)
    job->uses[job->sorted[k] - job->base] = job->run[k];
}

/* How many derived incidents share each one's base (@uses), by sorting
 * the bases on the threads rather than counting them in a table.
 * Returns TRUE when some derived base holds a '~'. */
static gboolean count_uses(const GPtrArray *incidents, const char **base, guint *uses,
                           guint n_threads)
{
  GPtrArray *sorted = g_ptr_array_new();
  for (guint i = 0; i < incidents->len; i++)
    if (!((const Incident *)g_ptr_array_index(incidents, i))->keyed)
      g_ptr_array_add(sorted, &base[i]);
  text_sort(sorted->pdata, sorted->len, base_of, n_threads);
  guint n = sorted->len;
  UsesJob job = {(const char ***)sorted->pdata, base, g_new(guint8, n + 1), g_new(guint, n + 1),
                 uses};
  guint block = parallel_block(n, n_threads, USES_BLOCK);
  parallel_run(n, block, n_threads, NULL, mark_starts, &job);
  gboolean tilde = FALSE;
  for (guint k = 0, end; k < n; k = end) {
    for (end = k + 1; end < n && !job.starts[end]; end++)
      ;
    for (guint m = k; m < end; m++)
      job.run[m] = end - k;
    tilde |= strchr(*job.sorted[k], '~') != NULL;
  }
  parallel_run(n, block, n_threads, NULL, scatter_uses, &job);
  g_free(job.run);
  g_free(job.starts);
  g_ptr_array_unref(sorted);
  return tilde;
}

/* Ids from the bases: a base several incidents share (or a key took)
 * gets the event type, then a number while it is still taken.  Keyed
 * ids are taken first, so a derived id never takes a key's.
 * The ids taken are kept in a table; a base no other derived incident
 * shares is left out of it when no derived base holds a '~': every id
 * tried later is then another base, or holds a '~', so it cannot be
 * that base, and the base is taken only if a key took it.  Bases with
 * event types are made on the threads first; an id that is its base
 * and not kept in the table is left NULL, for labels() to copy on the
 * threads. */
static void unique_ids(ReckonEngine *engine, NameJob *job, gpointer *workers, guint n_threads)
{
  GPtrArray *incidents = engine->incidents;
  const char **base = job->base;
  guint *uses = g_new0(guint, incidents->len + 1);
  gboolean keep_all = count_uses(incidents, base, uses, n_threads);
  job->uses = uses;
  job->typed = g_new0(const char *, incidents->len + 1);
  parallel_run(incidents->len, parallel_block(incidents->len, n_threads, NAME_BLOCK), n_threads,
               workers, typed_names, job);
  GHashTable *taken = g_hash_table_new(g_str_hash, g_str_equal);
  for (guint i = 0; i < incidents->len; i++)
    if (((const Incident *)g_ptr_array_index(incidents, i))->keyed)
      g_hash_table_add(taken, (gpointer)base[i]);
  gboolean keys = g_hash_table_size(taken) > 0;
  for (guint i = 0; i < incidents->len; i++) {
    Incident *inc = g_ptr_array_index(incidents, i);
    const char *id = base[i];
    char *with_type = NULL, *unique = NULL;
    gboolean shared = !inc->keyed && (uses[i] > 1 || ((keep_all || keys) &&
                                                      g_hash_table_contains(taken, id)));
    if (shared && job->typed[i]) {
      id = job->typed[i];
    } else if (shared) {
      /* Several incidents at one place and date: say which by event type. */
      char *slug = fold_slug(inc->event_name);
      id = with_type = g_strdup_printf("%s~%s", base[i], slug);
      g_free(slug);
    }
    gboolean keep = inc->keyed || shared || keep_all;
    for (guint n = 2; !inc->keyed && keep && g_hash_table_contains(taken, unique ? unique : id);
         n++) {
      g_free(unique);
      unique = g_strdup_printf("%s~%u", id, n);
    }
    if (!keep && id == base[i])
      continue;
    /* Ids are unique: copied, not looked up to share. */
    inc->id = g_string_chunk_insert(engine->strings, unique ? unique : id);
    if (keep)
      g_hash_table_add(taken, (gpointer)inc->id);
    g_free(unique);
    g_free(with_type);
  }
  g_hash_table_unref(taken);
  g_free(job->typed);
  g_free(uses);
}

void incidents_name(ReckonEngine *engine)
{
  GPtrArray *incidents = engine->incidents;
  GPtrArray *slabs = engine->group->thread_slabs;
  guint n_threads = parallel_threads_for(&engine->opts, incidents->len, GROUP_PARALLEL_MIN);
  text_sort(incidents->pdata, incidents->len, key_of, n_threads);
  Namer *namers = g_new(Namer, n_threads);
  gpointer *workers = g_new(gpointer, n_threads);
  for (guint t = 0; t < n_threads; t++) {
    namers[t] = (Namer){g_string_new(NULL), slab_new(), slab_new(),
                        g_hash_table_new(g_str_hash, g_str_equal)};
    g_ptr_array_add(slabs, namers[t].slab);
    workers[t] = &namers[t];
  }
  /* Each place set incidents are named by, named once. */
  GPtrArray *sets = g_ptr_array_new();
  for (guint i = 0; i < incidents->len; i++) {
    PlaceSet *set = (PlaceSet *)((Incident *)g_ptr_array_index(incidents, i))->places;
    if (set && !set->name) {
      set->name = ""; /* listed; named below */
      g_ptr_array_add(sets, set);
    }
  }
  NameJob job = {sets, g_new0(const char *, incidents->len + 1), NULL, NULL};
  guint block = parallel_block(sets->len, n_threads, NAME_BLOCK);
  parallel_run(sets->len, block, n_threads, workers, set_names, &job);
  g_ptr_array_unref(sets);

  job.items = incidents;
  block = parallel_block(incidents->len, n_threads, NAME_BLOCK);
  parallel_run(incidents->len, block, n_threads, workers, base_names, &job);
  unique_ids(engine, &job, workers, n_threads);
  parallel_run(incidents->len, block, n_threads, workers, labels, &job);
  text_sort(incidents->pdata, incidents->len, id_of, n_threads);
  for (guint t = 0; t < n_threads; t++) {
    g_string_free(namers[t].text, TRUE);
    slab_free(namers[t].scratch);
    g_hash_table_unref(namers[t].dates);
  }
  g_free(workers);
  g_free(namers);
  g_free(job.base);
}

/* TRUE when some type of @outer covers some type of @inner (event.h). */
static gboolean types_cover(const Incident *outer, const Incident *inner)
{
  if (outer->n_types == 0 || inner->n_types == 0)
    return TRUE;
  for (guint i = 0; i < outer->n_types; i++)
    for (guint j = 0; j < inner->n_types; j++)
      if (event_covers(outer->types[i], inner->types[j]))
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

/* A place as filings and shelves name it: outside the gazetteer or
 * not, its slug or key, and text_head() of that. */
typedef struct {
  gboolean unknown;
  guint64 head;
  const char *name;
} FiledPlace;

static FiledPlace filed_place(const Place *place, const PlacePart *part)
{
  const char *name = place ? place->node.slug : part->key;
  return (FiledPlace){!place, text_head(name), name};
}

/* Gazetteer places first, then by name. */
static int compare_places(const FiledPlace *a, const FiledPlace *b)
{
  if (a->unknown != b->unknown)
    return a->unknown ? 1 : -1;
  if (a->head != b->head)
    return a->head < b->head ? -1 : 1;
  /* Equal heads: names that end within them are equal. */
  return (a->head & 0xff) == 0 || a->name == b->name ? 0 : strcmp(a->name + 8, b->name + 8);
}

/* An incident that may contain others, filed under a place it names
 * (without its site): a gazetteer place by its slug, a place outside the
 * gazetteer by its key. */
typedef struct {
  FiledPlace place;
  guint32 start; /* the incident's, at hand for sorting */
  Incident *inc;
} Filing;

/* Filings by place, then by start, then by key. */
static int compare_filings(gconstpointer pa, gconstpointer pb, gpointer data)
{
  (void)data;
  const Filing *a = *(const Filing *const *)pa, *b = *(const Filing *const *)pb;
  int c = compare_places(&a->place, &b->place);
  if (c)
    return c;
  if (a->start != b->start)
    return a->start < b->start ? -1 : 1;
  return strcmp(a->inc->key, b->inc->key);
}

/* The incidents filed under one place, a slice of the sorted filings
 * (by start), with the longest span among them so a lookup scans only
 * starts that can still cover a date. */
typedef struct {
  FiledPlace place;
  guint first, n;
  guint32 max_span;
} Shelf;

typedef struct {
  GPtrArray *incidents;
  const Filing *const *filed; /* sorted */
  const Shelf *shelves;       /* in the order of @filed */
  guint n_shelves;
} LinkJob;

/* The shelf of @place, or of @part outside the gazetteer, or NULL. */
static const Shelf *find_shelf(const LinkJob *job, const Place *place, const PlacePart *part)
{
  FiledPlace sought = filed_place(place, part);
  guint lo = 0, hi = job->n_shelves;
  while (lo < hi) {
    guint mid = lo + (hi - lo) / 2;
    const Shelf *s = &job->shelves[mid];
    int c = compare_places(&s->place, &sought);
    if (c == 0)
      return s;
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

static void scan_shelf(const LinkJob *job, const Shelf *shelf, const Incident *inner,
                       const Incident **best)
{
  /* The first incident starting after @inner, then back while a start can still cover it. */
  const Filing *const *filed = job->filed + shelf->first;
  guint lo = 0, hi = shelf->n;
  while (lo < hi) {
    guint mid = lo + (hi - lo) / 2;
    if (filed[mid]->start <= inner->when.start)
      lo = mid + 1;
    else
      hi = mid;
  }
  for (guint k = lo; k-- > 0;) {
    const Incident *outer = filed[k]->inc;
    if ((guint64)outer->when.start + shelf->max_span < inner->when.end)
      break;
    if (incident_contains(outer, inner) && (!*best || smaller(outer, *best)))
      *best = outer;
  }
}

/* Incidents linked at a time. */
#define LINK_BLOCK 512

/* Sets the parent of incidents [from, to): each looks only at the
 * shelves, so incidents are linked on the threads. */
static void link_incidents(guint from, guint to, gpointer worker, gpointer data)
{
  (void)worker;
  const LinkJob *job = data;
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
      const Shelf *shelf = find_shelf(job, around, part);
      if (shelf)
        scan_shelf(job, shelf, inc, &best);
    }
    inc->parent = best;
  }
}

/* Files every incident that may contain others under each place it
 * names, sorts the filings on the threads (by place, then start), and
 * links every incident to its parent on the threads.  The shelves are
 * runs of one place in the sorted filings, found by binary search. */
typedef struct {
  GPtrArray *incidents;
  guint *first;         /* each incident's first filing; incidents + 1 of them */
  Filing *filings;      /* NULL while counting */
  const Filing **filed; /* the same, to sort */
} FilingJob;

/* Counts the filings of incidents [from, to) that may contain others
 * (one per place), or once counted files them, each incident at its
 * place in incident order, as if filed one after the other. */
static void file_containers(guint from, guint to, gpointer worker, gpointer data)
{
  (void)worker;
  const FilingJob *job = data;
  for (guint i = from; i < to; i++) {
    Incident *inc = g_ptr_array_index(job->incidents, i);
    guint n = can_contain(inc) ? inc->places->parts->len : 0;
    if (!job->filings) {
      job->first[i + 1] = n;
      continue;
    }
    for (guint p = 0; p < n; p++) {
      const PlacePart *part = &g_array_index(inc->places->parts, PlacePart, p);
      Filing *f = &job->filings[job->first[i] + p];
      *f = (Filing){filed_place(part->place, part), inc->when.start, inc};
      job->filed[job->first[i] + p] = f;
    }
  }
}

void incidents_link(ReckonEngine *engine)
{
  guint n_incidents = engine->incidents->len;
  guint n_threads = parallel_threads(&engine->opts);
  guint file_threads = parallel_threads_for(&engine->opts, n_incidents, GROUP_PARALLEL_MIN);
  guint block = parallel_block(n_incidents, file_threads, LINK_BLOCK);
  FilingJob filing = {engine->incidents, g_new(guint, n_incidents + 1), NULL, NULL};
  filing.first[0] = 0;
  parallel_run(n_incidents, block, file_threads, NULL, file_containers, &filing);
  for (guint i = 0; i < n_incidents; i++)
    filing.first[i + 1] += filing.first[i];
  guint n = filing.first[n_incidents];
  Filing *filings = filing.filings = g_new(Filing, n + 1);
  const Filing **filed = filing.filed = g_new(const Filing *, n + 1);
  parallel_run(n_incidents, block, file_threads, NULL, file_containers, &filing);
  g_free(filing.first);
  parallel_sort((gpointer *)filed, n, compare_filings, NULL,
                parallel_threads_for(&engine->opts, n, GROUP_PARALLEL_MIN));
  GArray *shelves = g_array_new(FALSE, FALSE, sizeof(Shelf));
  for (guint k = 0, end; k < n; k = end) {
    Shelf shelf = {filed[k]->place, k, 0, 0};
    for (end = k; end < n && compare_places(&filed[end]->place, &shelf.place) == 0; end++)
      shelf.max_span = MAX(shelf.max_span, filed[end]->inc->when.end - filed[end]->inc->when.start);
    shelf.n = end - k;
    g_array_append_val(shelves, shelf);
  }

  LinkJob job = {engine->incidents, filed, (const Shelf *)shelves->data, shelves->len};
  parallel_run(engine->incidents->len, parallel_block(engine->incidents->len, n_threads, LINK_BLOCK),
               n_threads, NULL, link_incidents, &job);
  g_array_unref(shelves);
  g_free(filed);
  g_free(filings);
}
