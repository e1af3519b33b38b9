/*
 * describe.c - what the claims of each incident say together (group.h,
 * incidents_describe()), between making incidents (group.c) and naming
 * them (incident.c): the most common where and what texts, for a keyed
 * incident the span of its dates, and the places of each cell's
 * incidents, the reading of the most common where among the cell's
 * claims.  Cells are described on the threads, each with its own
 * incidents.  The reader interns texts, so texts are counted by pointer
 * before any is compared.
 */
#include <stdlib.h>
#include <string.h>

#include "group.h"
#include "parallel.h"

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
