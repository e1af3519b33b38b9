/*
 * buckets.c - the last step of grouping (group.c): each incident's claims
 * filed by metric and sub-population ("buckets"), and each bucket made
 * into an empty estimate (its claims sorted) for the estimation stage
 * (estimate.c).  Incidents are independent, so this runs on the threads
 * (parallel.c).  Every estimate's claims live in one block of the engine,
 * in estimate order: one allocation, made on the calling thread, instead
 * of one per estimate on the threads (half a million at 1e6 claims, each
 * with its header).  The members' public records are filled from the
 * claims after estimation (members.c).
 */
#include <string.h>

#include "group.h"
#include "parallel.h"

/* The claims of one incident about one metric and who: a slice of the
 * incident's claims in buckets_make_estimates(). */
typedef struct {
  Incident *incident;
  const ClaimMeasure *measure; /* its claims' metric and who */
  guint first, n;
} Bucket;

/* Members in a fixed order: by when the count was true, then by content. */
static int compare_claims(gconstpointer pa, gconstpointer pb, gpointer data)
{
  (void)data;
  const Claim *a = *(const Claim *const *)pa, *b = *(const Claim *const *)pb;
  int c = date_span_compare(&a->as_of, &b->as_of);
  if (c)
    return c;
  if ((c = strcmp(a->source->text, b->source->text)))
    return c;
  if (a->value->range.low != b->value->range.low)
    return a->value->range.low < b->value->range.low ? -1 : 1;
  if (a->value->range.high != b->value->range.high)
    return a->value->range.high < b->value->range.high ? -1 : 1;
  if ((c = strcmp(a->id, b->id)))
    return c;
  if ((c = strcmp(a->file, b->file)))
    return c;
  return a->line < b->line ? -1 : a->line > b->line;
}

/* Buckets of one incident in output order. */
static int compare_buckets(gconstpointer pa, gconstpointer pb, gpointer data)
{
  (void)data;
  const Bucket *a = pa, *b = pb;
  int c;
  const ClaimMeasure *x = a->measure, *y = b->measure;
  if ((c = strcmp(x->metric, y->metric)))
    return c;
  if (!x->who || !y->who)
    return (x->who != NULL) - (y->who != NULL);
  return strcmp(x->who, y->who);
}

/* A thread's scratch space for making estimates. */
typedef struct {
  GArray *buckets;   /* of Bucket: one incident's */
  gboolean any_extra; /* a claim it filed has members of other names */
} Bucketer;

typedef struct {
  const ReckonEngine *engine;
  const gsize *first_member; /* each incident's first member in the engine's blocks */
  guint *n_buckets;          /* each incident's number of buckets, then @first */
  Bucket *buckets;           /* a block's incidents' buckets, each incident's sorted, from
                              * the block's first member's place (no more buckets than
                              * members) */
  const guint *first;        /* each incident's first estimate; incidents + 1 of them */
  ReckonEstimate *estimates; /* in output order */
} BucketJob;

/* Incidents made into estimates at a time. */
#define BUCKET_BLOCK 512

/* Files the claims of @inc into @buckets (metric and who, counts) in the
 * order they first appear.  Buckets are few, so searched in turn; a
 * metric and who are one record (ClaimMeasure), whose address names them. */
static void count_buckets(const ReckonEngine *engine, const Incident *inc, GArray *buckets)
{
  g_array_set_size(buckets, 0);
  for (guint m = 0; m < inc->n_members; m++) {
    const Claim *c = &g_array_index(engine->claims, Claim, inc->members[m]);
    guint k = 0;
    while (k < buckets->len && g_array_index(buckets, Bucket, k).measure != c->measure)
      k++;
    if (k == buckets->len) {
      Bucket b = {(Incident *)inc, c->measure, 0, 0};
      g_array_append_val(buckets, b);
    }
    g_array_index(buckets, Bucket, k).n++;
  }
}

/* Sorts bucket @b's claims (@claims, in the engine's block) and notes
 * whether one has members of other names. */
static void sort_claims(const Bucket *b, const Claim **claims, Bucketer *w)
{
  g_qsort_with_data(claims, (gint)b->n, sizeof *claims, compare_claims, NULL);
  for (guint j = 0; j < b->n; j++)
    w->any_extra |= claim_extra(claims[j]) != NULL;
}

/* The claims of incidents [from, to): each incident's buckets sorted by
 * metric and who, their claims placed bucket after bucket in the
 * incident's part of the engine's blocks, and the buckets kept for
 * make_estimates(), one incident's after another's.  One pass over each
 * incident's claims, which are scattered over the claims array: counting
 * the buckets in a pass of its own read every claim twice. */
static void fill_incidents(guint from, guint to, gpointer worker, gpointer data)
{
  const BucketJob *job = data;
  Bucketer *w = worker;
  Bucket *kept = job->buckets + job->first_member[from];
  for (guint i = from; i < to; i++) {
    const Incident *inc = g_ptr_array_index(job->engine->incidents, i);
    count_buckets(job->engine, inc, w->buckets);
    Bucket *buckets = (Bucket *)w->buckets->data;
    guint n = w->buckets->len;
    g_qsort_with_data(buckets, (gint)n, sizeof *buckets, compare_buckets, NULL);
    guint total = 0;
    for (guint k = 0; k < n; k++) {
      buckets[k].first = total;
      total += buckets[k].n;
      buckets[k].n = 0;
    }
    const Claim **claims = job->engine->member_claims + job->first_member[i];
    for (guint m = 0; m < inc->n_members; m++) {
      const Claim *c = &g_array_index(job->engine->claims, Claim, inc->members[m]);
      guint k = 0;
      while (buckets[k].measure != c->measure)
        k++;
      claims[buckets[k].first + buckets[k].n++] = c;
    }
    for (guint k = 0; k < n; k++)
      sort_claims(&buckets[k], claims + buckets[k].first, w);
    memcpy(kept, buckets, n * sizeof *buckets);
    kept += n;
    job->n_buckets[i] = n;
  }
}

/* The estimates of incidents [from, to), from their buckets, at the
 * places the counts of buckets give. */
static void make_estimates(guint from, guint to, gpointer worker, gpointer data)
{
  (void)worker;
  const BucketJob *job = data;
  const Bucket *buckets = job->buckets + job->first_member[from];
  for (guint i = from; i < to; i++) {
    const Claim **claims = job->engine->member_claims + job->first_member[i];
    for (guint k = 0; k < job->first[i + 1] - job->first[i]; k++) {
      const Bucket *b = &buckets[k];
      job->estimates[job->first[i] + k] = (ReckonEstimate){
          .source_incident = b->incident,
          .level = job->engine->opts.level,
          .n_members = b->n,
          .claims = claims + b->first,
      };
    }
    buckets += job->first[i + 1] - job->first[i];
  }
}

/* One estimate per incident, metric and who, in output order: the
 * incidents are in id order (incidents_name()), so each incident's
 * buckets are sorted among themselves.  Each incident's estimates depend
 * on it alone: their claims are sorted and their buckets counted on the
 * threads, then the estimates are made on the threads in the places the
 * counts give.  The engine has no estimates yet (clear_estimates()), so
 * the blocks are the run's. */
void buckets_make_estimates(ReckonEngine *engine)
{
  guint n = engine->incidents->len;
  guint n_threads = parallel_threads_for(&engine->opts, n, GROUP_PARALLEL_MIN);
  Bucketer *bucketers = g_new(Bucketer, n_threads);
  gpointer *workers = g_new(gpointer, n_threads);
  for (guint t = 0; t < n_threads; t++) {
    bucketers[t] = (Bucketer){g_array_new(FALSE, FALSE, sizeof(Bucket)), FALSE};
    workers[t] = &bucketers[t];
  }
  g_return_if_fail(engine->estimates->len == 0 && !engine->member_claims);
  guint *first = g_new(guint, n + 1);
  gsize *first_member = g_new(gsize, n + 1);
  first_member[0] = 0;
  for (guint i = 0; i < n; i++)
    first_member[i + 1] =
        first_member[i] + ((const Incident *)g_ptr_array_index(engine->incidents, i))->n_members;
  engine->member_claims = g_new(const Claim *, MAX(first_member[n], 1));
  /* The buckets' scratch space is allocated here, on the calling thread,
   * in one piece the size of the claims' block and of which only the
   * buckets' share is touched, so that freeing it returns it to the
   * system; arrays made on the threads stayed in their arenas and raised
   * the run's peak. */
  BucketJob job = {engine, first_member, first + 1, g_new(Bucket, MAX(first_member[n], 1)), first,
                   NULL};
  guint block = parallel_block(n, n_threads, BUCKET_BLOCK);
  parallel_run(n, block, n_threads, workers, fill_incidents, &job);
  first[0] = 0;
  for (guint i = 0; i < n; i++)
    first[i + 1] += first[i];
  g_array_set_size(engine->estimates, first[n]);
  job.estimates = (ReckonEstimate *)engine->estimates->data;
  parallel_run(n, block, n_threads, NULL, make_estimates, &job);
  /* Whether the writer need read the claims for their extra members. */
  engine->any_extra = FALSE;
  for (guint t = 0; t < n_threads; t++) {
    engine->any_extra |= bucketers[t].any_extra;
    g_array_unref(bucketers[t].buckets);
  }
  g_free(job.buckets);
  g_free(workers);
  g_free(bucketers);
  g_free(first);
  g_free(first_member);
}
