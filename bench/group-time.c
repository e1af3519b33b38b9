/*
 * group-time.c - how long grouping takes: loads claims files into an
 * engine, then times the grouping stage alone (group.c, with the place and
 * event readings and the parent links) and the estimates after it.
 * Prints one line of figures per run, so runs at different sizes show
 * whether grouping stays close to linear in the number of claims, and
 * what grouping keeps in memory, the peak memory after each stage and
 * how long freeing what grouping keeps takes.
 *
 *   group-time [--date-tolerance DAYS] [--threads N] [--method M] FILE...
 */
#define _GNU_SOURCE /* RUSAGE_THREAD */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <malloc.h>
#include <sys/resource.h>

#include "engine-private.h"

/* CPU seconds of the process so far, every thread's (@who RUSAGE_SELF),
 * or the calling thread's (RUSAGE_THREAD): on a shared machine they vary
 * less than wall time.  The calling thread does the steps that run on one
 * thread and its share of the others, so its CPU time is about what the
 * wall time would be on an idle machine. */
static double cpu_seconds_of(int who)
{
  struct rusage u;
  getrusage(who, &u);
  return (double)u.ru_utime.tv_sec + (double)u.ru_stime.tv_sec +
         (double)(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

static double cpu_seconds(void)
{
  return cpu_seconds_of(RUSAGE_SELF);
}

/* The process's peak resident memory so far in MB (VmHWM), or 0 when
 * /proc does not say: what grouping leaves behind counts there even
 * when freed, unless a later stage reuses it. */
static double peak_mb(void)
{
  char *status = NULL;
  double kb = 0;
  if (g_file_get_contents("/proc/self/status", &status, NULL, NULL)) {
    const char *line = strstr(status, "\nVmHWM:");
    if (line)
      kb = g_ascii_strtod(line + 8, NULL);
  }
  g_free(status);
  return kb * 1024 / 1e6;
}

/* Bytes in use, glibc's count: arenas, and (@large) blocks mapped on
 * their own, such as the readings and the estimates array. */
static double bytes_in_use(gboolean large)
{
  struct mallinfo2 m = mallinfo2();
  return (double)m.uordblks + (large ? (double)m.hblkhd : 0);
}

static double seconds(gint64 from, gint64 to)
{
  return (double)(to - from) / G_USEC_PER_SEC;
}

int main(int argc, char **argv)
{
  ReckonOptions opts = RECKON_OPTIONS_INIT;
  int first = 1;
  for (; first + 1 < argc && strncmp(argv[first], "--", 2) == 0; first += 2) {
    if (strcmp(argv[first], "--date-tolerance") == 0)
      opts.date_tolerance = (unsigned int)atoi(argv[first + 1]);
    else if (strcmp(argv[first], "--threads") == 0)
      opts.threads = (unsigned int)atoi(argv[first + 1]);
    else if (strcmp(argv[first], "--method") != 0 ||
             !reckon_method_from_string(argv[first + 1], &opts.method))
      break;
  }
  if (first >= argc || strncmp(argv[first], "--", 2) == 0) {
    fprintf(stderr, "usage: group-time [--date-tolerance DAYS] [--threads N] [--method M] FILE...\n");
    return 2;
  }
  GError *error = NULL;
  ReckonEngine *engine = reckon_engine_new(&opts, &error);
  /* Rules are loaded once per process; load them before the clock starts. */
  (void)rules_default();
  gint64 t0 = g_get_monotonic_time();
  for (int i = first; i < argc; i++)
    if (!reckon_engine_load_file(engine, argv[i], &error)) {
      fprintf(stderr, "group-time: %s\n", error->message);
      return 1;
    }
  gint64 t1 = g_get_monotonic_time();
  double c1 = cpu_seconds(), own1 = cpu_seconds_of(RUSAGE_THREAD);
  double peak1 = peak_mb();
  double m1 = bytes_in_use(FALSE), l1 = bytes_in_use(TRUE);
  group_claims(engine);
  double m2 = bytes_in_use(FALSE), l2 = bytes_in_use(TRUE);
  double peak2 = peak_mb();
  double c2 = cpu_seconds(), own2 = cpu_seconds_of(RUSAGE_THREAD);
  gint64 t2 = g_get_monotonic_time();
  double c3 = cpu_seconds(), own3 = cpu_seconds_of(RUSAGE_THREAD);
  /* The rest of reckon_engine_run() as `reckon run` without --explain
   * makes it: the readings freed, estimation, learning, parts and totals. */
  group_forget_readings(engine);
  estimate_prepare_all(engine);
  reliability_prepare(engine);
  reliability_run(engine);
  bounds_apply(engine);
  gint64 t3 = g_get_monotonic_time();
  double peak3 = peak_mb();
  double c4 = cpu_seconds(), own4 = cpu_seconds_of(RUSAGE_THREAD);
  guint n = engine->claims->len;
  printf("claims %u, incidents %u, estimates %u, rejects %u\n", n, engine->incidents->len,
         engine->estimates->len, engine->rejects->len);
  printf("load %.2f s, group %.2f s (%.2f us/claim; %.2f s CPU, %.2f s of it on the calling "
         "thread), estimate %.2f s (%.2f s CPU, %.2f s of it on the calling thread)\n",
         seconds(t0, t1), seconds(t1, t2), n ? seconds(t1, t2) * 1e6 / n : 0.0, c2 - c1,
         own2 - own1, seconds(t2, t3), c4 - c3, own4 - own3);
  /* What grouping keeps for the estimates and explain: readings, incidents,
   * empty estimates with their member lists (glibc's count of bytes in use). */
  printf("kept by grouping %.1f MB: %.0f bytes per claim, %.0f per incident\n",
         (m2 - m1) / 1e6, n ? (m2 - m1) / n : 0.0,
         engine->incidents->len ? (m2 - m1) / engine->incidents->len : 0.0);
  printf("kept by grouping with blocks mapped on their own %.1f MB; peak memory (VmHWM) "
         "after loading %.1f MB, after grouping %.1f MB, after estimating %.1f MB\n",
         (l2 - l1) / 1e6, peak1, peak2, peak3);
  /* Freeing what grouping kept (incidents, readings, place sets): once
   * per run, and on one thread. */
  double c5 = cpu_seconds();
  gint64 t5 = g_get_monotonic_time();
  g_ptr_array_set_size(engine->incidents, 0);
  g_clear_pointer(&engine->group, group_run_free);
  printf("freeing grouping %.3f s (%.3f s CPU)\n", seconds(t5, g_get_monotonic_time()),
         cpu_seconds() - c5);
  reckon_engine_free(engine);
  return 0;
}
