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
 * and what texts, its places); describing, naming and linking run on the
 * threads, each piece for its own cell or incident, except what must see
 * every incident: making ids unique and cutting the sorted filings of
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

/* Widens @span to cover @other too: the one that contains the other, or
 * the interval from the earlier start to the later end.  Ties go to the
 * coarser precision, so the result does not depend on the order. */
static void widen(DateSpan *span, const DateSpan *other)
{
  gboolean other_inside = other->start >= span->start && other->end <= span->end;
  gboolean span_inside = span->start >= other->start && span->end <= other->end;
  if (!date_span_is_set(span) ||
      (span_inside && (!other_inside || date_span_compare(other, span) < 0))) {
    *span = *other;
    return;
  }
  if (other_inside)
    return;
  if (other->start < span->start ||
      (other->start == span->start && other->start_prec < span->start_prec)) {
    span->start = other->start;
    span->start_prec = other->start_prec;
  }
  if (other->end > span->end || (other->end == span->end && other->end_prec < span->end_prec)) {
    span->end = other->end;
    span->end_prec = other->end_prec;
  }
  span->interval = TRUE;
}

/* A claim's where text and its reading, to choose an incident's places;
 * @index is its place among the cell's picks. */
typedef struct {
  const char *where;
  const PlaceSet *places;
  guint index;
} WherePick;

/* Equal texts, or equal picks, counted: the reader interns texts, so
 * items are first counted by pointer, without reading a text, and only
 * the distinct pointers compared as texts.  @first is the index of the
 * first pick counted. */
typedef struct {
  const char *text;
  const PlaceSet *places;
  guint n, first;
} Tally;

static int compare_addresses(gconstpointer pa, gconstpointer pb)
{
  guintptr a = (guintptr) * (const char *const *)pa, b = (guintptr) * (const char *const *)pb;
  return a < b ? -1 : a > b;
}

static int compare_pick_addresses(gconstpointer pa, gconstpointer pb)
{
  const WherePick *a = pa, *b = pb;
  if (a->where != b->where)
    return (guintptr)a->where < (guintptr)b->where ? -1 : 1;
  if (a->places != b->places)
    return (guintptr)a->places < (guintptr)b->places ? -1 : 1;
  return a->index < b->index ? -1 : a->index > b->index;
}

/* By text, then reading, then first index. */
static int compare_tallies(gconstpointer pa, gconstpointer pb)
{
  const Tally *a = pa, *b = pb;
  int c = a->text == b->text ? 0 : strcmp(a->text, b->text);
  if (c || !a->places)
    return c;
  c = a->places == b->places ? 0 : strcmp(a->places->ref, b->places->ref);
  return c ? c : a->first < b->first ? -1 : a->first > b->first;
}

/* The most frequent of @n texts (NULLs left out), ties to the smallest,
 * so the choice does not depend on input order; reorders @texts and uses
 * @tallies as scratch. */
static const char *most_common(const char **texts, guint n, GArray *tallies)
{
  guint k = 0;
  for (guint i = 0; i < n; i++)
    if (texts[i])
      texts[k++] = texts[i];
  /* Most incidents' claims share one where and one what. */
  guint same = 1;
  while (same < k && texts[same] == texts[0])
    same++;
  if (same >= k)
    return k ? texts[0] : NULL;
  qsort(texts, k, sizeof *texts, compare_addresses);
  g_array_set_size(tallies, 0);
  for (guint i = 0, run; i < k; i += run) {
    for (run = 1; i + run < k && texts[i + run] == texts[i]; run++)
      ;
    Tally t = {texts[i], NULL, run, 0};
    g_array_append_val(tallies, t);
  }
  g_array_sort(tallies, compare_tallies);
  const char *best = NULL;
  guint best_n = 0;
  const Tally *all = (const Tally *)tallies->data;
  for (guint i = 0, end; i < tallies->len; i = end) {
    guint count = 0;
    for (end = i; end < tallies->len && compare_tallies(&all[end], &all[i]) == 0; end++)
      count += all[end].n;
    if (count > best_n) {
      best = all[i].text;
      best_n = count;
    }
  }
  return best;
}

/* A thread's scratch space for describing cells. */
typedef struct {
  GPtrArray *wheres, *whats;
  GArray *picks;   /* of WherePick */
  GArray *tallies; /* of Tally */
} Describer;

/* Where, what and (keyed) the span of dates of @inc's claims. */
static void describe_one(const ReckonEngine *engine, Incident *inc, Describer *d)
{
  GPtrArray *wheres = d->wheres, *whats = d->whats;
  g_ptr_array_set_size(wheres, 0);
  g_ptr_array_set_size(whats, 0);
  for (guint m = 0; m < inc->n_members; m++) {
    const Claim *claim = &g_array_index(engine->claims, Claim, inc->members[m]);
    g_ptr_array_add(wheres, (gpointer)claim->where);
    g_ptr_array_add(whats, (gpointer)claim->what);
    if (inc->keyed && date_span_is_set(&claim->when))
      widen(&inc->when, &claim->when);
  }
  inc->where = most_common((const char **)wheres->pdata, wheres->len, d->tallies);
  inc->what = most_common((const char **)whats->pdata, whats->len, d->tallies);
  if (inc->keyed)
    inc->when = normal_when(&inc->when);
}

/* The pick of the most common where text of @picks, of equal counts
 * the smallest reading, then the smallest text; NULL when there are
 * none.  Of the picks of one text the one with the smallest reading
 * stands for it, of those the first.  Reorders @picks; uses @tallies as
 * scratch. */
static const PlaceSet *most_common_places(GArray *picks, GArray *tallies)
{
  const WherePick *pick = (const WherePick *)picks->data;
  guint n = picks->len, same = 1;
  /* Half the cells' claims share one where text, read one way. */
  while (same < n && pick[same].where == pick[0].where && pick[same].places == pick[0].places)
    same++;
  if (same >= n)
    return n ? pick[0].places : NULL;
  g_array_sort(picks, compare_pick_addresses);
  g_array_set_size(tallies, 0);
  for (guint i = 0, run; i < n; i += run) {
    for (run = 1; i + run < n && pick[i + run].where == pick[i].where &&
                  pick[i + run].places == pick[i].places;
         run++)
      ;
    Tally t = {pick[i].where, pick[i].places, run, pick[i].index};
    g_array_append_val(tallies, t);
  }
  g_array_sort(tallies, compare_tallies);
  const Tally *all = (const Tally *)tallies->data, *best = all; /* n > 1: not empty */
  guint best_n = 0;
  for (guint i = 0, end; i < tallies->len; i = end) {
    guint count = 0;
    for (end = i; end < tallies->len &&
                  (all[end].text == all[i].text || strcmp(all[end].text, all[i].text) == 0);
         end++)
      count += all[end].n;
    if (count > best_n ||
        (count == best_n && strcmp(all[i].places->ref, best->places->ref) < 0)) {
      best = &all[i];
      best_n = count;
    }
  }
  return best->places;
}

/* The places the incidents of one cell (@n at @list) are named by: the
 * reading of the most common where among the claims of the cell, so the
 * incidents of one place and date (one per group of event types) share
 * it and their ids differ only by event type.  Of equal counts the
 * smallest reading, then the smallest text, so input order does not
 * matter. */
static void choose_places(const ReckonEngine *engine, Incident **list, guint n, Describer *d)
{
  const Reading *readings = engine->group->readings;
  GArray *picks = d->picks;
  g_array_set_size(picks, 0);
  for (guint i = 0; i < n; i++)
    for (guint m = 0; m < list[i]->n_members; m++) {
      guint c = list[i]->members[m];
      WherePick pick = {g_array_index(engine->claims, Claim, c).where, readings[c].places,
                        picks->len};
      if (pick.places)
        g_array_append_val(picks, pick);
    }
  const PlaceSet *best = most_common_places(picks, d->tallies);
  for (guint i = 0; i < n; i++)
    list[i]->places = best;
}

typedef struct {
  const ReckonEngine *engine;
  Incident **by_cell; /* the incidents, cell after cell */
  const guint *first; /* the first of each cell in @by_cell; n_cells + 1 of them */
} DescribeJob;

/* Cells described at a time. */
#define DESCRIBE_BLOCK 512

/* Describes the incidents of cells [from, to): each cell's incidents are
 * its own, so cells are described on the threads. */
static void describe_cells(guint from, guint to, gpointer worker, gpointer data)
{
  const DescribeJob *job = data;
  Describer *d = worker;
  for (guint ci = from; ci < to; ci++) {
    Incident **list = job->by_cell + job->first[ci];
    guint n = job->first[ci + 1] - job->first[ci];
    for (guint i = 0; i < n; i++)
      describe_one(job->engine, list[i], d);
    choose_places(job->engine, list, n, d);
    for (guint i = 0; i < n; i++)
      list[i]->aggregate = (list[i]->places && list[i]->places->wide) ||
                           date_span_shape(&list[i]->when) == DATE_SHAPE_PERIOD;
  }
}

void incidents_describe(ReckonEngine *engine)
{
  GPtrArray *incidents = engine->incidents;
  guint n_cells = engine->group->n_cells;
  /* The incidents of each cell as a slice of one array, in list order. */
  guint *first = g_new0(guint, n_cells + 2);
  for (guint i = 0; i < incidents->len; i++)
    first[((Incident *)g_ptr_array_index(incidents, i))->cell + 2]++;
  for (guint ci = 2; ci < n_cells + 2; ci++)
    first[ci] += first[ci - 1];
  Incident **by_cell = g_new(Incident *, incidents->len + 1);
  for (guint i = 0; i < incidents->len; i++) {
    Incident *inc = g_ptr_array_index(incidents, i);
    by_cell[first[inc->cell + 1]++] = inc;
  }
  guint n_threads = parallel_threads_for(&engine->opts, n_cells, GROUP_PARALLEL_MIN);
  Describer *describers = g_new(Describer, n_threads);
  gpointer *workers = g_new(gpointer, n_threads);
  for (guint t = 0; t < n_threads; t++) {
    describers[t] = (Describer){g_ptr_array_new(), g_ptr_array_new(),
                                g_array_new(FALSE, FALSE, sizeof(WherePick)),
                                g_array_new(FALSE, FALSE, sizeof(Tally))};
    workers[t] = &describers[t];
  }
  DescribeJob job = {engine, by_cell, first};
  parallel_run(n_cells, parallel_block(n_cells, n_threads, DESCRIBE_BLOCK), n_threads, workers,
               describe_cells, &job);
  for (guint t = 0; t < n_threads; t++) {
    g_ptr_array_unref(describers[t].wheres);
    g_ptr_array_unref(describers[t].whats);
    g_array_unref(describers[t].picks);
    g_array_unref(describers[t].tallies);
  }
  g_free(workers);
  g_free(describers);
  g_free(by_cell);
  g_free(first);
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
    g_string_append(text, inc->where ? inc->where : inc->id);
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
