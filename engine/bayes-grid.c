/*
 * bayes-grid.c - the bayes estimator's inner loops (bayes.c): every
 * claim's densities at every grid point, the running product of the
 * posterior, each claim's weight.  They are most of the estimator's work,
 * and run several points at a time.  Also the sorts of the points and
 * supports the grid is built from.
 *
 * The results are the bits of evaluating point by point: every step is
 * an IEEE add, multiply, divide or compare, or an exact operation on
 * integers and bits, each taken in the order of the scalar formulas, and
 * those give the same bits in a vector lane as alone.  Nothing may be
 * contracted into a fused multiply-add or reassociated: the project
 * builds as C11 (GCC keeps -ffp-contract=off) and no path here targets
 * FMA.  Sums over the points (a claim's weight) keep their order.
 * A density changes formula where x passes the shape's a, b or span_end;
 * the grid ascends, so each formula holds on one run of points, found
 * once per claim, and the loops over a run have no branches.  Vectors are
 * GCC's generic ones, so any processor runs them; the loops themselves are
 * in bayes-grid-loops.h, compiled here at two widths.
 */
#include <gsl/gsl_sort.h>
#include <math.h>
#include <string.h>

#include "bayes-grid.h"
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* The helpers taking and returning vectors are static and always inlined,
 * so no call crosses an ABI that AVX would change. */
#pragma GCC diagnostic ignored "-Wpsabi"

/* 2^(j/64), correctly rounded, for the exponential. */
static const double exp2_64[64] = {
  0x1.0000000000000p+0, 0x1.02c9a3e778061p+0, 0x1.059b0d3158574p+0, 0x1.0874518759bc8p+0,
  0x1.0b5586cf9890fp+0, 0x1.0e3ec32d3d1a2p+0, 0x1.11301d0125b51p+0, 0x1.1429aaea92de0p+0,
  0x1.172b83c7d517bp+0, 0x1.1a35beb6fcb75p+0, 0x1.1d4873168b9aap+0, 0x1.2063b88628cd6p+0,
  0x1.2387a6e756238p+0, 0x1.26b4565e27cddp+0, 0x1.29e9df51fdee1p+0, 0x1.2d285a6e4030bp+0,
  0x1.306fe0a31b715p+0, 0x1.33c08b26416ffp+0, 0x1.371a7373aa9cbp+0, 0x1.3a7db34e59ff7p+0,
  0x1.3dea64c123422p+0, 0x1.4160a21f72e2ap+0, 0x1.44e086061892dp+0, 0x1.486a2b5c13cd0p+0,
  0x1.4bfdad5362a27p+0, 0x1.4f9b2769d2ca7p+0, 0x1.5342b569d4f82p+0, 0x1.56f4736b527dap+0,
  0x1.5ab07dd485429p+0, 0x1.5e76f15ad2148p+0, 0x1.6247eb03a5585p+0, 0x1.6623882552225p+0,
  0x1.6a09e667f3bcdp+0, 0x1.6dfb23c651a2fp+0, 0x1.71f75e8ec5f74p+0, 0x1.75feb564267c9p+0,
  0x1.7a11473eb0187p+0, 0x1.7e2f336cf4e62p+0, 0x1.82589994cce13p+0, 0x1.868d99b4492edp+0,
  0x1.8ace5422aa0dbp+0, 0x1.8f1ae99157736p+0, 0x1.93737b0cdc5e5p+0, 0x1.97d829fde4e50p+0,
  0x1.9c49182a3f090p+0, 0x1.a0c667b5de565p+0, 0x1.a5503b23e255dp+0, 0x1.a9e6b5579fdbfp+0,
  0x1.ae89f995ad3adp+0, 0x1.b33a2b84f15fbp+0, 0x1.b7f76f2fb5e47p+0, 0x1.bcc1e904bc1d2p+0,
  0x1.c199bdd85529cp+0, 0x1.c67f12e57d14bp+0, 0x1.cb720dcef9069p+0, 0x1.d072d4a07897cp+0,
  0x1.d5818dcfba487p+0, 0x1.da9e603db3285p+0, 0x1.dfc97337b9b5fp+0, 0x1.e502ee78b3ff6p+0,
  0x1.ea4afa2a490dap+0, 0x1.efa1bee615a27p+0, 0x1.f50765b6e4540p+0, 0x1.fa7c1819e90d8p+0,
};

static const double inv_ln2_64 = 0x1.71547652b82fep+6; /* 64 / ln 2 */
static const double ln2_64_hi = 0x1.62e42fefa0000p-7;  /* ln 2 / 64, its high bits */
static const double ln2_64_lo = 0x1.cf79abc9e3b3ap-46; /* and the rest */
static const double shift = 0x1.8p52;                  /* adding it rounds to a whole number */
static const gint64 shift_bits = G_GINT64_CONSTANT(0x4338000000000000); /* its bits */

/* e^x = 2^(n/64) e^r with n the nearest whole number to 64x/ln 2: the
 * power of two from the table and the exponent bits, e^r (|r| <= ln 2/128)
 * from its Taylor series to r^5, whose remainder is below 4e-17.  libm's
 * exp was a third of the estimator's run. */
double grid_exp_neg(double x)
{
  if (!(x >= -708))
    return 0;
  double kd = (x * inv_ln2_64 + shift) - shift;
  gint64 n = (gint64)kd;
  gint64 j = n & 63;
  double r = (x - kd * ln2_64_hi) - kd * ln2_64_lo;
  double p = r * (1 + r * (1.0 / 2 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120)))));
  /* 2^(n div 64), from its exponent bits; n >= -708 * 64 / ln 2 > -1023 * 64 */
  guint64 bits = ((guint64)(n + 1023 * 64) >> 6) << 52;
  double scale;
  memcpy(&scale, &bits, sizeof scale);
  return scale * (exp2_64[j] + exp2_64[j] * p);
}

/* The first of the @n ascending points @x at or above @v (@above: above). */
static guint first_from(const double *x, guint n, double v, gboolean above)
{
  guint lo = 0, hi = n;
  while (lo < hi) {
    guint mid = lo + (hi - lo) / 2;
    if (above ? x[mid] <= v : x[mid] < v)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* TRUE where v_bell() of the point @x of a bell at @at with inverse
 * spread @inv is 0: the same operations as its lanes, so the same answer. */
static inline gboolean bell_dead(double x, double at, double inv)
{
  double z = (x - at) * inv;
  return z * z > 100;
}

/* Where the points [@from, @to) turn from live to dead for a bell at @at
 * (inverse spread @inv): with @dead, the run lies above @at, where the
 * bell only falls, and the result is a point from which every point is
 * dead; else the run lies below @at, where it only rises, and every point
 * before the result is dead (z moves one way on each side, rounding
 * included).  Taken @step points at a time from the dead end, so that it
 * costs a test a group of dead points and one more; a group that mixes
 * dead and live points is left to the bell, which gives its dead points
 * +0 anyway. */
static inline guint bell_turn(const double *x, guint from, guint to, double at, double inv, gboolean dead,
                              guint step)
{
  guint t;
  if (dead)
    for (t = to; t - from >= step && bell_dead(x[t - step], at, inv); t -= step)
      ;
  else
    for (t = from; to - t >= step && bell_dead(x[t + step - 1], at, inv); t += step)
      ;
  return t;
}

/* The loops, at two widths: two doubles a vector, in the 128-bit SSE2
 * registers every x86-64 processor has (GCC splits wider vectors there,
 * and its comparisons lane by lane), and four for AVX2 (not FMA, which
 * would round differently), chosen at run time.  Elsewhere than x86 the
 * wider copy is compiled for no particular target and never chosen. */
#if defined(__x86_64__) || defined(__i386__)
#define GRID_AVX2 1
#define AVX2_TARGET __attribute__((target("avx2")))
#else
#define AVX2_TARGET
#endif

#define LANES 2
#define WIDE(name) name##_baseline
#define LANES_TARGET
#include "bayes-grid-loops.h"
#undef LANES
#undef WIDE
#undef LANES_TARGET

#define LANES 4
#define WIDE(name) name##_avx2
#define LANES_TARGET AVX2_TARGET
#include "bayes-grid-loops.h"
#undef LANES
#undef WIDE
#undef LANES_TARGET

static gboolean has_avx2(void)
{
#ifdef GRID_AVX2
  return __builtin_cpu_supports("avx2");
#else
  return FALSE;
#endif
}

gboolean grid_path_available(GridPath path)
{
  return path != GRID_PATH_AVX2 || has_avx2();
}

static gboolean use_avx2(GridPath path)
{
  return (path == GRID_PATH_AVX2 || path == GRID_PATH_BEST) && has_avx2();
}

void grid_exp_neg_n(GridPath path, const double *x, double by, guint n, double *out)
{
  (use_avx2(path) ? exp_neg_n_avx2 : exp_neg_n_baseline)(x, by, n, out);
}

void grid_divide(GridPath path, const double *x, double by, guint n, double *out)
{
  (use_avx2(path) ? divide_avx2 : divide_baseline)(x, by, n, out);
}

void grid_densities(GridPath path, const GridShape *s, const double *x, guint n, double *h, double *f)
{
  (use_avx2(path) ? densities_avx2 : densities_baseline)(s, x, n, h, f);
}

double grid_divide_sum(GridPath path, const double *x, double by, guint n, double *out)
{
  return (use_avx2(path) ? divide_sum_avx2 : divide_sum_baseline)(x, by, n, out);
}

gboolean grid_multiply(GridPath path, const double *h, const double *f, guint n, double *prod, double *lp,
                       double *top)
{
  gboolean folded = FALSE;
  (use_avx2(path) ? multiply_avx2 : multiply_baseline)(h, f, n, prod, lp, &folded, top);
  return folded;
}

void grid_weigh(GridPath path, const double *lp, const double *h, const double *f, guint n, double *rho,
                double *odds)
{
  (use_avx2(path) ? weigh_avx2 : weigh_baseline)(lp, h, f, n, rho, odds);
}

void grid_weigh_pair(GridPath path, const double *lp, const double *const h[2], const double *const f[2],
                     guint n, double rho[2], double odds[2])
{
  (use_avx2(path) ? weigh_pair_avx2 : weigh_pair_baseline)(lp, h, f, n, rho, odds);
}

/* Below this many values, sorting by insertion beats GSL's heapsort, whose
 * calls and sift-downs cost more than the few dozen values an estimate has. */
#define INSERTION_MAX 64
/* Edge points are sorted by insertion in blocks of this many, which
 * are then merged. */
#define SORT_BLOCK 8

static void insertion_sort(double *x, guint n)
{
  for (guint i = 1; i < n; i++) {
    double v = x[i];
    guint j = i;
    for (; j > 0 && x[j - 1] > v; j--)
      x[j] = x[j - 1];
    x[j] = v;
  }
}

/* Merges the ascending @a[0..na) and @b[0..nb) into @out, without a
 * branch on which comes first. */
static void merge_points(const double *a, guint na, const double *b, guint nb, double *out)
{
  guint i = 0, j = 0, k = 0;
  while (i < na && j < nb) {
    double va = a[i], vb = b[j];
    gboolean from_b = vb < va;
    out[k++] = from_b ? vb : va;
    j += from_b;
    i += !from_b;
  }
  for (; i < na; i++)
    out[k++] = a[i];
  for (; j < nb; j++)
    out[k++] = b[j];
}

/* Sorts the @n edge points @x ascending, with @tmp (room for @n) as
 * scratch, and returns the one of the two that holds them.  Each claim's
 * edge points come in ascending order (bayes.c's add_edges()), so blocks of a few
 * are nearly sorted and merging them costs far less than inserting every
 * point among all the others.  The values are numbers (no NaN), so every
 * way of sorting gives the same array. */
double *grid_sort_points(double *x, double *tmp, guint n)
{
  for (guint i = 0; i < n; i += SORT_BLOCK)
    insertion_sort(x + i, MIN(SORT_BLOCK, n - i));
  for (guint width = SORT_BLOCK; width < n; width *= 2) {
    for (guint i = 0; i < n; i += 2 * width) {
      guint na = MIN(width, n - i), nb = i + na < n ? MIN(width, n - i - na) : 0;
      merge_points(x + i, na, x + i + na, nb, tmp + i);
    }
    double *t = x;
    x = tmp;
    tmp = t;
  }
  return x;
}

/* Sorts the supports by their low ends, carrying the high ends along.
 * Among equal lows the order of the highs differs between the two sorts,
 * but no support is empty (lo < hi), so the islands merged from them are
 * the same. */
void grid_sort_supports(double *lo, double *hi, guint n)
{
  if (n > INSERTION_MAX) {
    gsl_sort2(lo, 1, hi, 1, n);
    return;
  }
  for (guint i = 1; i < n; i++) {
    double vl = lo[i], vh = hi[i];
    guint j = i;
    for (; j > 0 && lo[j - 1] > vl; j--) {
      lo[j] = lo[j - 1];
      hi[j] = hi[j - 1];
    }
    lo[j] = vl;
    hi[j] = vh;
  }
}
