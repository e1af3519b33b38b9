/*
 * vague.c - claims dated only by month or year ("2024-12"), between making
 * incidents and describing them (group.c): each joins the one day
 * incident at its place whose day falls in its span, widened by the date
 * tolerance, with a compatible event type and spelling; with several or
 * none it stays apart.  The day incidents are filed under each place
 * their claims name and sorted by place and day on the threads; every
 * claim is decided on the threads before any joins, so no decision sees
 * another's.
 */
#include <string.h>

#include "cells.h"
#include "group.h"
#include "parallel.h"

/* TRUE when @claim's place is spelled like that of a claim of @inc
 * (always for gazetteer places: they are matched by name). */
static gboolean spelled_alike(const ReckonEngine *engine, const Incident *inc, guint claim)
{
  const PlacePart *part = cells_unknown_part(engine, claim);
  for (guint m = 0; part && m < inc->n_members; m++)
    if (place_part_close(part, cells_unknown_part(engine, inc->members[m])))
      return TRUE;
  return !part;
}

/* A day incident filed under a place (PlaceSet.number) one of its
 * claims names. */
typedef struct {
  guint number;
  guint32 start; /* the incident's, at hand for sorting */
  Incident *inc;
} AtPlace;

/* By place, then start, then key. */
static int compare_at_place(gconstpointer pa, gconstpointer pb, gpointer data)
{
  (void)data;
  const AtPlace *a = *(const AtPlace *const *)pa, *b = *(const AtPlace *const *)pb;
  if (a->number != b->number)
    return a->number < b->number ? -1 : 1;
  if (a->start != b->start)
    return a->start < b->start ? -1 : 1;
  return strcmp(a->inc->key, b->inc->key);
}

typedef struct {
  const ReckonEngine *engine;
  guint *first;          /* each incident's first AtPlace; incidents + 1 of them */
  AtPlace *filed;
  const AtPlace **sorted; /* by compare_at_place() */
  const guint *at;       /* each place's first in @sorted; n_refs + 1 of them */
  const GArray *vague;
  Incident **target;     /* parallel to @vague */
} VagueJob;

/* Incidents or vague claims at a time. */
#define VAGUE_BLOCK 1024

/* The distinct places of @inc's claims, if it is a day incident, into
 * @numbers (emptied first); most day incidents name one place. */
static void places_of(const ReckonEngine *engine, const Incident *inc, GArray *numbers)
{
  g_array_set_size(numbers, 0);
  if (inc->keyed || inc->key[0] != 'd')
    return;
  for (guint m = 0; m < inc->n_members; m++) {
    guint number = engine->group->readings[inc->members[m]].places->number;
    guint k = 0;
    while (k < numbers->len && g_array_index(numbers, guint, k) != number)
      k++;
    if (k == numbers->len)
      g_array_append_val(numbers, number);
  }
}

static void count_places(guint from, guint to, gpointer worker, gpointer data)
{
  const VagueJob *job = data;
  for (guint i = from; i < to; i++) {
    places_of(job->engine, g_ptr_array_index(job->engine->incidents, i), worker);
    job->first[i + 1] = ((GArray *)worker)->len;
  }
}

static void file_places(guint from, guint to, gpointer worker, gpointer data)
{
  const VagueJob *job = data;
  GArray *numbers = worker;
  for (guint i = from; i < to; i++) {
    Incident *inc = g_ptr_array_index(job->engine->incidents, i);
    places_of(job->engine, inc, numbers);
    for (guint k = 0; k < numbers->len; k++)
      job->filed[job->first[i] + k] = (AtPlace){g_array_index(numbers, guint, k), inc->when.start, inc};
  }
}

/* Decides vague claims [from, to): the one day incident at their place
 * whose day falls in their span, widened by the tolerance, or none. */
static void decide_vague(guint from, guint to, gpointer worker, gpointer data)
{
  (void)worker;
  const VagueJob *job = data;
  const ReckonEngine *engine = job->engine;
  const Reading *readings = engine->group->readings;
  guint tolerance = engine->opts.date_tolerance;
  for (guint v = from; v < to; v++) {
    guint c = g_array_index(job->vague, guint, v);
    const Claim *claim = &g_array_index(engine->claims, Claim, c);
    guint number = readings[c].places->number;
    const AtPlace *const *list = job->sorted + job->at[number];
    guint len = job->at[number + 1] - job->at[number];
    guint32 lo = claim->when.start > tolerance ? claim->when.start - tolerance : 0;
    guint32 hi = claim->when.end + tolerance;
    guint first = 0, last = len;
    while (first < last) {
      guint mid = first + (last - first) / 2;
      if (list[mid]->start < lo)
        first = mid + 1;
      else
        last = mid;
    }
    guint found = 0;
    for (guint k = first; k < len; k++) {
      Incident *inc = list[k]->inc;
      if (inc->when.start > hi)
        break;
      if (incident_accepts(inc, engine->group->events[c]) && spelled_alike(engine, inc, c)) {
        job->target[v] = inc;
        found++;
      }
    }
    if (found != 1)
      job->target[v] = NULL;
  }
}

Incident **vague_targets(const ReckonEngine *engine, const GArray *vague)
{
  const GroupRun *run = engine->group;
  guint n = engine->incidents->len;
  guint n_threads = parallel_threads_for(&engine->opts, n, GROUP_PARALLEL_MIN);
  guint block = parallel_block(n, n_threads, VAGUE_BLOCK);
  VagueJob job = {engine, g_new(guint, n + 1), NULL, NULL, NULL, vague, NULL};
  gpointer *scratch = g_new(gpointer, n_threads);
  for (guint t = 0; t < n_threads; t++)
    scratch[t] = g_array_new(FALSE, FALSE, sizeof(guint));
  job.first[0] = 0;
  parallel_run(n, block, n_threads, scratch, count_places, &job);
  for (guint i = 0; i < n; i++)
    job.first[i + 1] += job.first[i];
  guint n_filed = job.first[n];
  job.filed = g_new(AtPlace, n_filed + 1);
  parallel_run(n, block, n_threads, scratch, file_places, &job);
  for (guint t = 0; t < n_threads; t++)
    g_array_unref(scratch[t]);
  g_free(scratch);
  const AtPlace **sorted = g_new(const AtPlace *, n_filed + 1);
  for (guint k = 0; k < n_filed; k++)
    sorted[k] = &job.filed[k];
  parallel_sort((gpointer *)sorted, n_filed, compare_at_place, NULL, n_threads);
  guint *at = g_new0(guint, run->n_refs + 2);
  for (guint k = 0; k < n_filed; k++)
    at[sorted[k]->number + 1]++;
  for (guint r = 0; r < run->n_refs; r++)
    at[r + 1] += at[r];
  job.sorted = sorted;
  job.at = at;
  job.target = g_new0(Incident *, vague->len + 1);
  guint v_threads = parallel_threads_for(&engine->opts, vague->len, GROUP_PARALLEL_MIN);
  parallel_run(vague->len, parallel_block(vague->len, v_threads, VAGUE_BLOCK), v_threads, NULL,
               decide_vague, &job);
  g_free(at);
  g_free(sorted);
  g_free(job.filed);
  g_free(job.first);
  return job.target;
}
