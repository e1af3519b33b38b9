/*
 * parallel.c - shares independent pieces of work out among threads (see
 * parallel.h).  Threads take blocks in turn from one counter, so a slow
 * block does not hold the others up; which thread takes which block does
 * not matter to the result.
 */
#include <string.h>

#include "parallel.h"

/* More threads than this would only wait on each other. */
#define MAX_THREADS 64

typedef struct {
  guint n, block;
  gint next; /* the first piece of the next block, atomically */
  ParallelFunc func;
  gpointer data;
} Share;

typedef struct {
  Share *share;
  gpointer worker;
} Taker;

guint parallel_threads(const ReckonOptions *opts)
{
  guint n = opts->threads ? opts->threads : g_get_num_processors();
  return CLAMP(n, 1, MAX_THREADS);
}

guint parallel_threads_for(const ReckonOptions *opts, guint n, guint min)
{
  return n < min ? 1 : parallel_threads(opts);
}

static gpointer take_blocks(gpointer data)
{
  Taker *taker = data;
  Share *share = taker->share;
  for (;;) {
    guint from = (guint)g_atomic_int_add(&share->next, (gint)share->block);
    if (from >= share->n)
      break;
    share->func(from, MIN(from + share->block, share->n), taker->worker, share->data);
  }
  return NULL;
}

void parallel_run(guint n, guint block, guint n_threads, gpointer *workers, ParallelFunc func,
                  gpointer data)
{
  g_return_if_fail(block > 0 && n <= G_MAXINT - block);
  Share share = {n, block, 0, func, data};
  n_threads = CLAMP(MIN(n_threads, (n + block - 1) / block), 1, MAX_THREADS);
  Taker takers[MAX_THREADS];
  GThread *threads[MAX_THREADS];
  for (guint t = 0; t < n_threads; t++)
    takers[t] = (Taker){&share, workers ? workers[t] : NULL};
  for (guint t = 1; t < n_threads; t++)
    threads[t] = g_thread_new("reckon-worker", take_blocks, &takers[t]);
  take_blocks(&takers[0]);
  for (guint t = 1; t < n_threads; t++)
    g_thread_join(threads[t]);
}

/* Below this many items a sort is not worth sharing out. */
#define SORT_PIECE_MIN 4096

typedef struct {
  gpointer *items, *tmp;
  gpointer *from, *to; /* merging runs of @from into @to, the two swapping each round */
  guint n, n_pieces, width; /* merging runs of @width pieces into 2 * @width */
  GCompareDataFunc compare;
  gpointer data;
} Sort;

/* The first item of piece @k. */
static guint piece_start(const Sort *s, guint k)
{
  return (guint)((guint64)MIN(k, s->n_pieces) * s->n / s->n_pieces);
}

static void sort_pieces(guint from, guint to, gpointer worker, gpointer data)
{
  (void)worker;
  const Sort *s = data;
  for (guint k = from; k < to; k++) {
    guint a = piece_start(s, k), b = piece_start(s, k + 1);
    g_qsort_with_data(s->items + a, (gint)(b - a), sizeof(gpointer), s->compare, s->data);
  }
}

/* Merges halves [from, to) of pairs of sorted runs: half 2p is the first
 * half of pair p's output, merged from the front, half 2p + 1 the rest,
 * merged from the back, so the two halves of the last merge run side by
 * side.  On ties the left run's item comes first, from either end, so
 * each half is that of the one stable merge. */
static void merge_halves(guint from, guint to, gpointer worker, gpointer data)
{
  (void)worker;
  const Sort *s = data;
  const gpointer *in = s->from;
  gpointer *out = s->to;
  for (guint h = from; h < to; h++) {
    guint p = h / 2;
    guint lo = piece_start(s, 2 * p * s->width), mid = piece_start(s, (2 * p + 1) * s->width),
          hi = piece_start(s, (2 * p + 2) * s->width);
    guint half = lo + (hi - lo) / 2;
    if (h % 2 == 0) {
      guint i = lo, j = mid;
      for (guint k = lo; k < half; k++)
        out[k] = j < hi && (i == mid || s->compare(&in[j], &in[i], s->data) < 0) ? in[j++]
                                                                                 : in[i++];
    } else {
      guint i = mid, j = hi;
      for (guint k = hi; k > half; k--)
        out[k - 1] = i > lo && (j == mid || s->compare(&in[j - 1], &in[i - 1], s->data) < 0)
                         ? in[--i]
                         : in[--j];
    }
  }
}

void parallel_sort(gpointer *items, guint n, GCompareDataFunc compare, gpointer data,
                   guint n_threads)
{
  if (n_threads < 2 || n < 2 * SORT_PIECE_MIN) {
    g_qsort_with_data(items, (gint)n, sizeof(gpointer), compare, data);
    return;
  }
  Sort s = {items, g_new(gpointer, n), items, NULL, n, MIN(n_threads, n / SORT_PIECE_MIN), 1,
            compare, data};
  s.to = s.tmp;
  parallel_run(s.n_pieces, 1, n_threads, NULL, sort_pieces, &s);
  for (; s.width < s.n_pieces; s.width *= 2) {
    guint n_pairs = (s.n_pieces + 2 * s.width - 1) / (2 * s.width);
    parallel_run(2 * n_pairs, 1, n_threads, NULL, merge_halves, &s);
    gpointer *t = s.from;
    s.from = s.to;
    s.to = t;
  }
  if (s.from != items)
    memcpy(items, s.from, n * sizeof(gpointer));
  g_free(s.tmp);
}
