/*
 * read-time.c - what reading claims costs, apart from the stages after
 * it: loads claims files into an engine (reckon_engine_load_file(), the
 * whole first stage) and prints the wall and CPU time it took, the claims
 * per second, the peak resident memory, and the heap the loaded claims
 * keep, in all and per claim: the Claim records themselves and the rest
 * (strings, the id table, the reader's memo, via arrays, fields passed
 * through).
 *
 *   read-time [--threads N] FILE...
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "engine-private.h"

static double cpu_seconds(void)
{
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
         (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* Bytes of heap in use: what malloc handed out and has not had back. */
static double heap_bytes(void)
{
  struct mallinfo2 mi = mallinfo2();
  return (double)mi.uordblks + (double)mi.hblkhd;
}

int main(int argc, char **argv)
{
  ReckonOptions opts = RECKON_OPTIONS_INIT;
  int first = 1;
  if (argc > 2 && strcmp(argv[1], "--threads") == 0) {
    opts.threads = (unsigned int)atoi(argv[2]);
    first = 3;
  }
  if (first >= argc) {
    fprintf(stderr, "usage: read-time [--threads N] FILE...\n");
    return 2;
  }
  GError *error = NULL;
  /* Rules are loaded once per process; load them before the clock starts. */
  (void)rules_default();
  ReckonEngine *engine = reckon_engine_new(&opts, &error);
  double heap0 = heap_bytes(), cpu0 = cpu_seconds();
  gint64 t0 = g_get_monotonic_time();
  for (int i = first; i < argc; i++)
    if (!reckon_engine_load_file(engine, argv[i], &error)) {
      fprintf(stderr, "read-time: %s\n", error->message);
      return 1;
    }
  double wall = (double)(g_get_monotonic_time() - t0) / G_USEC_PER_SEC;
  double cpu = cpu_seconds() - cpu0, kept = heap_bytes() - heap0;
  guint n = engine->claims->len;
  /* A GArray grows to a power of two bytes; the pages past the records it
   * holds are never touched, so they count in the heap, not in resident
   * memory. */
  double records = (double)n * sizeof(Claim), capacity = 1;
  while (capacity < records)
    capacity *= 2;
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  printf("claims %u, rejects %u, threads %u\n", n, engine->rejects->len, opts.threads);
  printf("load %.3f s wall, %.3f s cpu, %.0f claims/s, peak %ld KB\n", wall, cpu,
         wall > 0 ? n / wall : 0.0, ru.ru_maxrss);
  printf("kept %.1f MB: %.0f bytes/claim (Claim records %.0f, unused array capacity %.0f, "
         "the rest %.0f)\n", kept / 1e6, n ? kept / n : 0.0, n ? records / n : 0.0,
         n ? (capacity - records) / n : 0.0, n ? (kept - capacity) / n : 0.0);
  reckon_engine_free(engine);
  return 0;
}
