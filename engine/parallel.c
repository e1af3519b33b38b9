/*
 * parallel.c - shares independent pieces of work out among threads (see
 * parallel.h).  Threads take blocks in turn from one counter, so a slow
 * block does not hold the others up; which thread takes which block does
 * not matter to the result.
 */
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
