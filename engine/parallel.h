/*
 * parallel.h - independent pieces of one stage shared out among threads
 * (ReckonOptions.threads): grouping reads distinct where texts and makes,
 * describes and names incidents with it, estimation prepares and
 * computes estimates and learns sources' reliabilities, the writer formats
 * blocks of estimates; long lists are sorted in pieces.  Each piece's result
 * depends only on the piece, so the output is the same for any number of
 * threads.
 */
#ifndef RECKON_PARALLEL_H
#define RECKON_PARALLEL_H

#include <glib.h>

#include "reckon/engine.h"

/* Threads @opts asks for: its threads, or one per processor; 1 to 64. */
guint parallel_threads(const ReckonOptions *opts);

/* Threads for @n pieces of light work: parallel_threads(), or 1 below
 * @min pieces, where starting threads would cost more than they save
 * (a window of --stream is often that small). */
guint parallel_threads_for(const ReckonOptions *opts, guint n, guint min);

/* Pieces a block, for @n pieces on @n_threads threads: about eight
 * blocks a thread, so that a thread that draws costly pieces takes fewer
 * blocks and the threads finish together; at least 1, at most @max. */
static inline guint parallel_block(guint n, guint n_threads, guint max)
{
  return CLAMP(n / (8 * n_threads), 1, max);
}

/* Does pieces [@from, @to) of the work with @worker, the state of the
 * thread running it (one of the @workers given to parallel_run()). */
typedef void (*ParallelFunc)(guint from, guint to, gpointer worker, gpointer data);

/* Calls @func on blocks of at most @block of the @n pieces, on up to
 * @n_threads threads (the caller's among them); @workers holds one state
 * per thread (may be NULL).  Each thread takes its blocks in increasing
 * order, so a worker's state may carry what it learned from one block to
 * the next (the M step in reliability.c does).  Returns when every piece
 * is done. */
void parallel_run(guint n, guint block, guint n_threads, gpointer *workers, ParallelFunc func,
                  gpointer data);

/* Sorts @n pointers at @items stably by @compare (given the addresses of
 * two items, as g_ptr_array_sort() gives them), on up to @n_threads
 * threads: pieces sorted side by side, then merged pairwise in a fixed
 * order, so the result is that of one stable sort whatever the number of
 * threads. */
void parallel_sort(gpointer *items, guint n, GCompareDataFunc compare, gpointer data,
                   guint n_threads);

#endif /* RECKON_PARALLEL_H */
