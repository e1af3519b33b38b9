/*
 * bayes-grid.c - the bayes estimator's inner loops (bayes.c): every
 * claim's densities at every grid point, the running product of the
 * posterior, each claim's weight.  They are most of the estimator's work,
 * and run four points at a time.
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
 * GCC's generic ones: any processor runs them (on x86-64 baseline as SSE2
 * pairs) and one with AVX2 runs the same code in 256-bit registers.
 */
#include <math.h>
#include <string.h>

#include "bayes-grid.h"

/* The helpers taking and returning vectors are static and always inlined,
 * so no call crosses an ABI that AVX would change. */
#pragma GCC diagnostic ignored "-Wpsabi"

typedef double Vd __attribute__((vector_size(32)));
typedef gint64 Vi __attribute__((vector_size(32)));
typedef guint64 Vu __attribute__((vector_size(32)));
#define LANES 4 /* load() and store() spell out four */

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

/* Lane by lane the steps of grid_exp_neg().  n is read from the bits of
 * x * 64 / ln 2 + shift, a double whose last bits hold n exactly (x >=
 * -708 keeps |n| far below 2^51), where the scalar code converts kd: the
 * same n, without a conversion SSE2 lacks. */
static inline G_ALWAYS_INLINE Vd v_exp_neg(Vd x)
{
  Vd t = x * inv_ln2_64 + shift;
  Vd kd = t - shift;
  Vi n = (Vi)t - (Vi)((Vd){shift, shift, shift, shift});
  Vi j = n & 63;
  Vd r = (x - kd * ln2_64_hi) - kd * ln2_64_lo;
  Vd p = r * (1 + r * (1.0 / 2 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120)))));
  Vd scale = (Vd)(((Vu)(n + 1023 * 64) >> 6) << 52);
  Vd tj = {exp2_64[j[0]], exp2_64[j[1]], exp2_64[j[2]], exp2_64[j[3]]};
  Vd e = scale * (tj + tj * p);
  return (Vd)((Vi)e & (x >= -708));
}

/* exp(-z^2 / 2), 0 where it is below 1e-22 anyway. */
static inline G_ALWAYS_INLINE Vd v_bell(Vd z)
{
  Vd e = v_exp_neg(-0.5 * z * z);
  return (Vd)((Vi)e & ~(z * z > 100));
}

/* The LANES points from @k, the last of the run ending at @to standing
 * in for the lanes past it (written out: a loop here became a call). */
static inline G_ALWAYS_INLINE Vd load(const double *x, guint k, guint to)
{
  Vd v;
  if (k + LANES <= to) {
    memcpy(&v, x + k, sizeof v);
  } else {
    double last = x[to - 1];
    v = (Vd){x[k], k + 1 < to ? x[k + 1] : last, k + 2 < to ? x[k + 2] : last, last};
  }
  return v;
}

static inline G_ALWAYS_INLINE void store(double *out, guint k, guint to, Vd v)
{
  if (k + LANES <= to) {
    memcpy(out + k, &v, sizeof v);
  } else {
    out[k] = v[0];
    if (k + 1 < to)
      out[k + 1] = v[1];
    if (k + 2 < to)
      out[k + 2] = v[2];
  }
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

/* Points [from, to) of a bound's near part: outer * (near * bell + flat),
 * the flat part fading past span_end when @tail. */
static inline G_ALWAYS_INLINE void near_run(const GridShape *s, const double *x, guint from, guint to,
                                            double outer, gboolean tail, double *h)
{
  for (guint k = from; k < to; k += LANES) {
    Vd xv = load(x, k, to);
    Vd flat = tail ? s->flat * v_bell((xv - s->span_end) * s->inv_tail_sd) : (Vd){0, 0, 0, 0} + s->flat;
    store(h, k, to, s->r * (outer * (s->near * v_bell((xv - s->a) * s->inv_near_sd) + flat)));
  }
}

static inline G_ALWAYS_INLINE void densities_body(const GridShape *s, const double *x, guint n, double *h,
                                                  double *f)
{
  /* Runs: [0, i1) below the core or the near part (an upper bound's
   * partial span), [i1, i2) on it, [i2, n) above.  Where the edges cross,
   * the scalar formulas' first test wins: x < a, or an upper bound's x > a. */
  double rise_at = s->kind == GRID_UPPER ? s->span_end : s->a;
  double fall_at = s->kind == GRID_PEAK ? s->b : s->kind == GRID_LOWER ? s->span_end : s->a;
  guint i1 = first_from(x, n, rise_at, FALSE), i2 = first_from(x, n, fall_at, TRUE);
  if (s->kind == GRID_UPPER)
    i1 = MIN(i1, i2);
  else
    i2 = MAX(i2, i1);

  /* Below */
  if (s->kind == GRID_UPPER) {
    near_run(s, x, 0, i1, s->core, TRUE, h);
  } else {
    for (guint k = 0; k < i1; k += LANES) {
      Vd xv = load(x, k, i1);
      store(h, k, i1, s->r * (s->rise * v_bell((xv - s->a) * s->inv_sd_lo)));
    }
  }
  /* On the core or the near part */
  if (s->kind == GRID_PEAK) {
    for (guint k = i1; k < i2; k++)
      h[k] = s->r * s->core;
  } else {
    near_run(s, x, i1, i2, s->kind == GRID_UPPER ? s->core : 1, FALSE, h);
  }
  /* Above */
  if (s->kind == GRID_LOWER) {
    near_run(s, x, i2, n, 1, TRUE, h);
  } else {
    double at = s->kind == GRID_PEAK ? s->b : s->a;
    for (guint k = i2; k < n; k += LANES) {
      Vd xv = load(x, k, n);
      Vd v = s->fall * v_bell((xv - at) * s->inv_sd_hi);
      if (s->grows)
        v = s->fall_outer * (v + s->fall_grow * v_bell((xv - at) * s->inv_grow_sd));
      store(h, k, n, s->r * v);
    }
  }

  if (s->r < 1) {
    double r_false = 1 - s->r;
    for (guint k = 0; k < n; k += LANES) {
      Vd xv = load(x, k, n);
      store(f, k, n, r_false * (s->sloppy_dens * v_bell((xv - s->center) * s->inv_sloppy_sd) + s->wild));
    }
  } else {
    memset(f, 0, n * sizeof *f);
  }
}

/* Each point's product is taken once per claim, so the few that near the
 * ends of the double range can be folded after the loop. */
static inline G_ALWAYS_INLINE void multiply_body(const double *h, const double *f, guint n, double *prod,
                                                 double *lp, gboolean *folded)
{
  Vi out = {0, 0, 0, 0};
  for (guint k = 0; k < n; k += LANES) {
    Vd p = load(prod, k, n) * (load(h, k, n) + load(f, k, n) + 1e-300);
    store(prod, k, n, p);
    out |= (p < 1e-250) | (p > 1e250);
  }
  if (!(out[0] | out[1] | out[2] | out[3]))
    return;
  for (guint k = 0; k < n; k++) {
    if (prod[k] < 1e-250 || prod[k] > 1e250) {
      lp[k] += log(prod[k]);
      prod[k] = 1;
      *folded = TRUE;
    }
  }
}

/* The @count points from @k added to the sums, one after the other. */
static inline G_ALWAYS_INLINE void weigh_lanes(const double *lp, const double *h, const double *f, guint k,
                                               guint n, guint count, double *sum_h, double *sum_1)
{
  Vd hv = load(h, k, n);
  Vd q = load(lp, k, n) / (hv + load(f, k, n) + 1e-300);
  Vd hq = hv * q;
  for (guint i = 0; i < count; i++) {
    *sum_h += hq[i];
    *sum_1 += q[i];
  }
}

static inline G_ALWAYS_INLINE void weigh_body(const double *lp, const double *h, const double *f, guint n,
                                              double *rho, double *odds)
{
  double sum_h = 0, sum_1 = 0;
  guint k = 0;
  for (; k + LANES <= n; k += LANES)
    weigh_lanes(lp, h, f, k, n, LANES, &sum_h, &sum_1);
  if (k < n)
    weigh_lanes(lp, h, f, k, n, n - k, &sum_h, &sum_1);
  *rho = sum_h;
  *odds = sum_1;
}

static inline G_ALWAYS_INLINE void exp_neg_body(const double *x, double by, guint n, double *out)
{
  for (guint k = 0; k < n; k += LANES)
    store(out, k, n, v_exp_neg(load(x, k, n) - by));
}

static inline G_ALWAYS_INLINE void divide_body(const double *x, double by, guint n, double *out)
{
  for (guint k = 0; k < n; k += LANES)
    store(out, k, n, load(x, k, n) / by);
}

/* Each loop twice: as any processor runs it and, on x86, for AVX2 (same
 * source, wider registers; not FMA, which would round differently). */
#if defined(__x86_64__) || defined(__i386__)
#define GRID_AVX2 1
#define AVX2_TARGET __attribute__((target("avx2")))
#else
#define AVX2_TARGET
#endif
#define GRID_PATHS(name, params, args)                                                                       \
  static void name##_baseline params { name##_body args; }                                                  \
  AVX2_TARGET static void name##_avx2 params { name##_body args; }

GRID_PATHS(densities, (const GridShape *s, const double *x, guint n, double *h, double *f), (s, x, n, h, f))
GRID_PATHS(multiply, (const double *h, const double *f, guint n, double *prod, double *lp, gboolean *folded),
           (h, f, n, prod, lp, folded))
GRID_PATHS(weigh, (const double *lp, const double *h, const double *f, guint n, double *rho, double *odds),
           (lp, h, f, n, rho, odds))
GRID_PATHS(exp_neg, (const double *x, double by, guint n, double *out), (x, by, n, out))
GRID_PATHS(divide, (const double *x, double by, guint n, double *out), (x, by, n, out))

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
  (use_avx2(path) ? exp_neg_avx2 : exp_neg_baseline)(x, by, n, out);
}

void grid_divide(GridPath path, const double *x, double by, guint n, double *out)
{
  (use_avx2(path) ? divide_avx2 : divide_baseline)(x, by, n, out);
}

void grid_densities(GridPath path, const GridShape *s, const double *x, guint n, double *h, double *f)
{
  (use_avx2(path) ? densities_avx2 : densities_baseline)(s, x, n, h, f);
}

gboolean grid_multiply(GridPath path, const double *h, const double *f, guint n, double *prod, double *lp)
{
  gboolean folded = FALSE;
  (use_avx2(path) ? multiply_avx2 : multiply_baseline)(h, f, n, prod, lp, &folded);
  return folded;
}

void grid_weigh(GridPath path, const double *lp, const double *h, const double *f, guint n, double *rho,
                double *odds)
{
  (use_avx2(path) ? weigh_avx2 : weigh_baseline)(lp, h, f, n, rho, odds);
}
