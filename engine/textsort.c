/*
 * textsort.c - sorting by text with the first bytes of each text at hand
 * (textsort.h).  Sorting pointers by strcmp() of a text behind each
 * reads the item and then its text at every comparison, two cache misses
 * apiece once the list outgrows the cache (a quarter of a million
 * incidents at a million claims).  Here each item's first sixteen bytes
 * are read once, packed into two integers that compare as the bytes do,
 * and kept with the item in one array: most comparisons are decided by
 * those integers, and only texts alike that far are compared further.
 */
#include "textsort.h"

#include <string.h>

#include "parallel.h"

/* HEAD_BYTES bytes of a text, big-endian in two words: comparing the
 * words compares the bytes as unsigned chars, as strcmp() does; the bytes
 * after the text's end are zero. */
#define HEAD_BYTES 16

typedef struct {
  guint64 head[2];
  const char *text;
  gpointer item;
} Sorted;

guint64 text_head(const char *text)
{
  guint64 head = 0;
  for (guint k = 0; k < 8 && text[k]; k++)
    head |= (guint64)(guchar)text[k] << (56 - 8 * k);
  return head;
}

static void head_of(const char *text, guint64 *head)
{
  head[0] = text_head(text);
  head[1] = (head[0] & 0xff) ? text_head(text + 8) : 0;
}

static int compare_sorted(gconstpointer pa, gconstpointer pb, gpointer data)
{
  (void)data;
  const Sorted *a = *(const Sorted *const *)pa, *b = *(const Sorted *const *)pb;
  for (int w = 0; w < 2; w++)
    if (a->head[w] != b->head[w])
      return a->head[w] < b->head[w] ? -1 : 1;
  /* Equal heads: equal texts if they end within the head (its last
   * byte is zero), else alike up to there. */
  if ((a->head[1] & 0xff) == 0)
    return 0;
  return strcmp(a->text + HEAD_BYTES, b->text + HEAD_BYTES);
}

typedef struct {
  gpointer *items;
  TextOf text_of;
  Sorted *all;
  Sorted **order;
} FillJob;

/* Items filled at a time. */
#define FILL_BLOCK 4096

/* Reads the texts of items [from, to): their reads wait on memory, so
 * they are shared out too. */
static void fill(guint from, guint to, gpointer worker, gpointer data)
{
  (void)worker;
  const FillJob *job = data;
  for (guint k = from; k < to; k++) {
    Sorted *s = &job->all[k];
    s->text = job->text_of(job->items[k]);
    s->item = job->items[k];
    head_of(s->text, s->head);
    job->order[k] = s;
  }
}

void text_sort(gpointer *items, guint n, TextOf text_of, guint n_threads)
{
  Sorted *all = g_new(Sorted, n + 1);
  Sorted **order = g_new(Sorted *, n + 1);
  FillJob job = {items, text_of, all, order};
  parallel_run(n, parallel_block(n, n_threads, FILL_BLOCK), n_threads, NULL, fill, &job);
  parallel_sort((gpointer *)order, n, compare_sorted, NULL, n_threads);
  for (guint k = 0; k < n; k++)
    items[k] = order[k]->item;
  g_free(order);
  g_free(all);
}
