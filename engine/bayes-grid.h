/*
 * bayes-grid.h - the bayes estimator's inner loops over its grid
 * (bayes-grid.c): each claim's densities at every point, the posterior's
 * running product, and each claim's weight; the sorts the grid is built
 * with.  Internal: used by bayes.c,
 * which builds the shapes, by the tests and by bench/grid-time.
 */
#ifndef RECKON_BAYES_GRID_H
#define RECKON_BAYES_GRID_H

#include <glib.h>

/* Which code runs the loops.  Every path gives the same bits (the tests
 * check it); GRID_PATH_BEST takes the fastest this processor has. */
typedef enum {
  GRID_PATH_BEST,
  GRID_PATH_BASELINE, /* what any x86-64 (or other) processor runs */
  GRID_PATH_AVX2,     /* 256-bit vectors, when the processor has them */
} GridPath;

/* TRUE when @path can run on this processor. */
gboolean grid_path_available(GridPath path);

/* Where an honest density changes formula, from the lowest points up. */
typedef enum {
  GRID_PEAK,  /* a peak or plateau: a rising edge below a, flat to b, falling above b */
  GRID_LOWER, /* a lower bound at a: sharp below, near part and partial span above */
  GRID_UPPER, /* an upper bound at a: the mirror, its partial span below */
} GridKind;

/* One claim's likelihood as its density is computed, factors combined as
 * bayes.c combines them (products are taken in the same order, so the
 * results are those of evaluating point by point). */
typedef struct {
  GridKind kind;
  double a, b;          /* peak: the core's ends; bounds: a is the bound */
  double span_end;      /* bounds: far end of the partial part */
  double core;          /* peak: density on the core; upper bound: the factor of its lower side */
  double rise;          /* density at the foot of the rising edge: core, or a bound's near + flat */
  double near, flat;    /* bounds */
  gboolean grows;       /* the falling side mixes two spreads (a count that may still grow) */
  double fall, fall_grow; /* factors of the falling side's one or two bells */
  double fall_outer;    /* and of their sum when it grows */
  double inv_sd_lo, inv_sd_hi, inv_grow_sd, inv_near_sd, inv_tail_sd;
  double r;             /* probability of being honest */
  double center, inv_sloppy_sd, sloppy_dens, wild; /* the false part */
} GridShape;

/* e^@x for @x <= 0, within about one unit in the last place, 0 below
 * -708: the exponential every density is made of. */
double grid_exp_neg(double x);

/* @out[k] = grid_exp_neg(@x[k] - @shift) for the @n points; @out may be @x. */
void grid_exp_neg_n(GridPath path, const double *x, double shift, guint n, double *out);

/* @out[k] = @x[k] / @by for the @n points; @out may be @x. */
void grid_divide(GridPath path, const double *x, double by, guint n, double *out);

/* The densities of @s at the @n points @x, which ascend: r times the
 * honest density in @h, 1 - r times the false one in @f (0 when r = 1). */
void grid_densities(GridPath path, const GridShape *s, const double *x, guint n, double *h, double *f);

/* @out[k] = @x[k] / @by for the @n points, as grid_divide(); returns the
 * sum of the @out[k], added in order.  @out may be @x. */
double grid_divide_sum(GridPath path, const double *x, double by, guint n, double *out);

/* Multiplies each point's running product @prod by the claim's density
 * @h + @f; a product nearing the ends of the double range is folded into
 * @lp, its log.  TRUE when one was.  With @top (else NULL), sets *@top to
 * the largest product before any folding, so that the last claim's pass
 * gives the posterior's peak without a pass of its own. */
gboolean grid_multiply(GridPath path, const double *h, const double *f, guint n, double *prod, double *lp,
                       double *top);

/* Sums over the @n points, in order, of h / (h + f) and 1 / (h + f),
 * each times the point's mass @lp: the claim's weight and its odds. */
void grid_weigh(GridPath path, const double *lp, const double *h, const double *f, guint n,
                double *rho, double *odds);

/* grid_weigh() of two claims (densities @h[i], @f[i]) at once, the same
 * bits: each claim's sums are added in order, the two side by side. */
void grid_weigh_pair(GridPath path, const double *lp, const double *const h[2], const double *const f[2],
                     guint n, double rho[2], double odds[2]);

/* Sorts the @n edge points @x ascending, with @tmp (room for @n) as
 * scratch; returns the one of the two that holds them.  Fastest when the
 * points come in ascending runs, a claim's each. */
double *grid_sort_points(double *x, double *tmp, guint n);

/* Sorts the @n supports [@lo, @hi] by their low ends, the high ends
 * carried along. */
void grid_sort_supports(double *lo, double *hi, guint n);

#endif /* RECKON_BAYES_GRID_H */
