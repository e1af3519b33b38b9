/*
 * grid-time.c - CPU time of the bayes grid's inner loops
 * (engine/bayes-grid.c) on each path this processor runs: a claim's
 * densities, the running product and the weights, for a few typical
 * shapes on a grid of POINTS points, repeated.  Prints nanoseconds per
 * claim and grid point.
 *
 *   build/bench/grid-time [POINTS [SECONDS]]     (defaults 80 and 1)
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bayes-grid.h"

/* An exact count softened by its source's spread, "about 500", "at least
 * 80" and "up to 40" still growing, as bayes.c shapes them (in ln(N + 1)). */
static const GridShape shapes[] = {
  {.kind = GRID_PEAK, .a = 4.4, .b = 4.4, .core = 3.9, .rise = 3.9, .fall = 3.9, .fall_outer = 1,
   .inv_sd_lo = 10, .inv_sd_hi = 10, .r = 0.7, .center = 4.4, .inv_sloppy_sd = 2.5, .sloppy_dens = 0.8,
   .wild = 0.029},
  {.kind = GRID_PEAK, .a = 6.1, .b = 6.3, .core = 2.6, .rise = 2.6, .fall = 2.6, .fall_outer = 1,
   .inv_sd_lo = 20, .inv_sd_hi = 20, .r = 0.8, .center = 6.2, .inv_sloppy_sd = 2, .sloppy_dens = 0.64,
   .wild = 0.029},
  {.kind = GRID_LOWER, .a = 4.4, .b = 4.4, .span_end = 6.9, .rise = 5, .near = 4.8, .flat = 0.15,
   .fall_outer = 1, .inv_sd_lo = 30, .inv_sd_hi = 30, .inv_near_sd = 10, .inv_tail_sd = 1 / 0.3, .r = 0.6,
   .center = 4.5, .inv_sloppy_sd = 2, .sloppy_dens = 0.64, .wild = 0.029},
  {.kind = GRID_UPPER, .a = 3.7, .b = 3.7, .span_end = 1.2, .core = 0.9, .rise = 5, .near = 4.8,
   .flat = 0.15, .grows = TRUE, .fall = 0.5, .fall_grow = 0.4, .fall_outer = 5, .inv_sd_lo = 30,
   .inv_sd_hi = 30, .inv_grow_sd = 3.2, .inv_near_sd = 10, .inv_tail_sd = 1 / 0.3, .r = 0.9, .center = 3.6,
   .inv_sloppy_sd = 2, .sloppy_dens = 0.64, .wild = 0.029},
};

static double cpu_seconds(void)
{
  return (double)clock() / CLOCKS_PER_SEC;
}

/* Runs the loops on @path until @seconds of CPU have passed, timing
 * batches of 1,000 rounds; returns nanoseconds per claim and point for the
 * densities and for the product and weights. */
static void time_path(GridPath path, const double *x, guint n, double seconds, double *dens_ns, double *rest_ns)
{
  enum { SHAPES = G_N_ELEMENTS(shapes), ROUNDS = 1000 };
  G_STATIC_ASSERT(SHAPES % 2 == 0); /* weighed in pairs */
  double *h = g_new(double, SHAPES * n), *f = g_new(double, SHAPES * n);
  double *prod = g_new(double, n), *lp = g_new(double, n);
  double dens = 0, rest = 0, sink = 0;
  guint64 evaluated = 0;
  while (dens + rest < seconds) {
    double t0 = cpu_seconds();
    for (guint round = 0; round < ROUNDS; round++)
      for (guint i = 0; i < SHAPES; i++)
        grid_densities(path, &shapes[i], x, n, h + i * n, f + i * n);
    double t1 = cpu_seconds();
    for (guint round = 0; round < ROUNDS; round++) {
      for (guint k = 0; k < n; k++) {
        prod[k] = 1;
        lp[k] = 1.0 / n;
      }
      for (guint i = 0; i < SHAPES; i++)
        grid_multiply(path, h + i * n, f + i * n, n, prod, lp, NULL);
      /* As bayes.c weighs them: two claims at a time */
      for (guint i = 0; i < SHAPES; i += 2) {
        const double *hs[2] = {h + i * n, h + (i + 1) * n}, *fs[2] = {f + i * n, f + (i + 1) * n};
        double rho[2], odds[2];
        grid_weigh_pair(path, lp, hs, fs, n, rho, odds);
        sink += rho[0] + odds[0] + rho[1] + odds[1];
      }
    }
    double t2 = cpu_seconds();
    dens += t1 - t0;
    rest += t2 - t1;
    evaluated += (guint64)ROUNDS * SHAPES * n;
  }
  *dens_ns = dens * 1e9 / (double)evaluated;
  *rest_ns = rest * 1e9 / (double)evaluated;
  if (sink == 42) /* keeps the results live */
    printf("\n");
  g_free(h);
  g_free(f);
  g_free(prod);
  g_free(lp);
}

int main(int argc, char **argv)
{
  guint n = argc > 1 ? (guint)strtoul(argv[1], NULL, 10) : 80;
  double seconds = argc > 2 ? strtod(argv[2], NULL) : 1;
  if (n < 1 || !(seconds > 0)) {
    fprintf(stderr, "usage: grid-time [POINTS [SECONDS]]\n");
    return 2;
  }
  double *x = g_new(double, n);
  for (guint k = 0; k < n; k++) /* ascending over the shapes, as a grid is */
    x[k] = 1 + 6.0 * k / n;
  static const struct {
    GridPath path;
    const char *name;
  } paths[] = {{GRID_PATH_BASELINE, "baseline"}, {GRID_PATH_AVX2, "avx2"}};
  printf("%-10s %8s %12s %12s\n", "path", "points", "densities_ns", "rest_ns");
  for (guint p = 0; p < G_N_ELEMENTS(paths); p++) {
    if (!grid_path_available(paths[p].path)) {
      printf("%-10s (not on this processor)\n", paths[p].name);
      continue;
    }
    double dens_ns, rest_ns;
    time_path(paths[p].path, x, n, seconds, &dens_ns, &rest_ns);
    printf("%-10s %8u %12.2f %12.2f\n", paths[p].name, n, dens_ns, rest_ns);
  }
  g_free(x);
  return 0;
}
