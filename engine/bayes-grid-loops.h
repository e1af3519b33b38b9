/*
 * bayes-grid-loops.h - the loops of bayes-grid.c at one width: included
 * there once per width, with LANES (2 or 4 doubles a vector), WIDE(name)
 * (the name at this width) and LANES_TARGET (the instruction set the
 * loops' entry points are compiled for) defined.  Not a header to include
 * anywhere else.
 */
#define Vd WIDE(Vd)
#define Vi WIDE(Vi)
#define Vu WIDE(Vu)
#define keep_where WIDE(keep_where)
#define v_max WIDE(v_max)
#define v_exp_neg WIDE(v_exp_neg)
#define v_bell WIDE(v_bell)
#define load WIDE(load)
#define store WIDE(store)
#define near_points WIDE(near_points)
#define near_run WIDE(near_run)
#define fill WIDE(fill)
#define grow_points WIDE(grow_points)
#define densities WIDE(densities)
#define multiply WIDE(multiply)
#define weigh_lanes WIDE(weigh_lanes)
#define weigh WIDE(weigh)
#define weigh_pair WIDE(weigh_pair)
#define exp_neg_n WIDE(exp_neg_n)
#define divide WIDE(divide)
#define divide_sum WIDE(divide_sum)

typedef double Vd __attribute__((vector_size(LANES * sizeof(double))));
typedef gint64 Vi __attribute__((vector_size(LANES * sizeof(double))));
typedef guint64 Vu __attribute__((vector_size(LANES * sizeof(double))));

/* @v where @keep is all ones, else +0.  With SSE2 pairs this is andpd:
 * GCC would make the generic AND a select, and select lane by lane. */
LANES_TARGET static inline G_ALWAYS_INLINE Vd keep_where(Vd v, Vi keep)
{
#if LANES == 2 && defined(__SSE2__)
  return (Vd)_mm_and_pd((__m128d)v, (__m128d)keep);
#else
  return (Vd)((Vi)v & keep);
#endif
}

/* Lane by lane the larger of @a and @b, which are numbers (no NaN). */
LANES_TARGET static inline G_ALWAYS_INLINE Vd v_max(Vd a, Vd b)
{
#if LANES == 2 && defined(__SSE2__)
  return (Vd)_mm_max_pd((__m128d)a, (__m128d)b);
#else
  Vi more = a > b;
  return (Vd)(((Vi)a & more) | ((Vi)b & ~more));
#endif
}

/* Lane by lane the steps of grid_exp_neg().  n is read from the bits of
 * x * 64 / ln 2 + shift, a double whose last bits hold n exactly (x >=
 * -708 keeps |n| far below 2^51), where the scalar code converts kd: the
 * same n, without a conversion SSE2 lacks. */
LANES_TARGET static inline G_ALWAYS_INLINE Vd v_exp_neg(Vd x)
{
  Vd t = x * inv_ln2_64 + shift;
  Vd kd = t - shift;
  Vi n = (Vi)t - shift_bits;
  Vi j = n & 63;
  Vd r = (x - kd * ln2_64_hi) - kd * ln2_64_lo;
  Vd p = r * (1 + r * (1.0 / 2 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120)))));
  Vd scale = (Vd)(((Vu)(n + 1023 * 64) >> 6) << 52);
  Vd tj;
  for (guint i = 0; i < LANES; i++)
    tj[i] = exp2_64[j[i]];
  Vd e = scale * (tj + tj * p);
  return keep_where(e, x >= -708);
}

/* exp(-z^2 / 2), 0 where it is below 1e-22 anyway. */
LANES_TARGET static inline G_ALWAYS_INLINE Vd v_bell(Vd z)
{
  Vd e = v_exp_neg(-0.5 * z * z);
  return keep_where(e, ~(z * z > 100));
}

/* The LANES points from @k, the last of the run ending at @to standing
 * in for the lanes past it (written out for 2 and 4 lanes: a loop here
 * became a call to memcpy). */
LANES_TARGET static inline G_ALWAYS_INLINE Vd load(const double *x, guint k, guint to)
{
  Vd v;
  if (k + LANES <= to) {
    memcpy(&v, x + k, sizeof v);
  } else {
    double last = x[to - 1];
#if LANES == 4
    v = (Vd){x[k], k + 1 < to ? x[k + 1] : last, k + 2 < to ? x[k + 2] : last, last};
#else
    v = (Vd){x[k], last};
#endif
  }
  return v;
}

LANES_TARGET static inline G_ALWAYS_INLINE void store(double *out, guint k, guint to, Vd v)
{
  if (k + LANES <= to) {
    memcpy(out + k, &v, sizeof v);
  } else {
    out[k] = v[0];
#if LANES == 4
    if (k + 1 < to)
      out[k + 1] = v[1];
    if (k + 2 < to)
      out[k + 2] = v[2];
#endif
  }
}

/* Runs STATEMENT for k at each group of LANES points of [@from, @to): the
 * whole groups first, in a loop whose condition tells load() and store()
 * that the group is whole, so that they test nothing, then the last,
 * partial one. */
#define EACH_GROUP(k, from, to, STATEMENT) \
  do { \
    guint k = (from); \
    for (; k + LANES <= (to); k += LANES) \
      STATEMENT; \
    if (k < (to)) \
      STATEMENT; \
  } while (0)

/* Points [from, to) of a bound's near part: outer * (near * bell + flat),
 * the flat part fading past span_end when @tail; the near bell only when
 * @live, else its 0 (v_bell() gives +0 there: the same bits). */
LANES_TARGET static inline G_ALWAYS_INLINE void near_points(const GridShape *s, const double *x, guint from,
                                                            guint to, double outer, gboolean tail,
                                                            gboolean live, double *h)
{
  EACH_GROUP(k, from, to, {
    Vd xv = load(x, k, to);
    Vd flat = tail ? s->flat * v_bell((xv - s->span_end) * s->inv_tail_sd) : (Vd){0} + s->flat;
    Vd bell = live ? v_bell((xv - s->a) * s->inv_near_sd) : (Vd){0};
    store(h, k, to, s->r * (outer * (s->near * bell + flat)));
  });
}

/* The same over a run that lies on one side of the bound (@below it or
 * not): a near-complete count's bell is narrow, and most of the partial
 * span and the tail lie beyond its reach (bell_turn()). */
LANES_TARGET static inline G_ALWAYS_INLINE void near_run(const GridShape *s, const double *x, guint from,
                                                         guint to, double outer, gboolean tail,
                                                         gboolean below, double *h)
{
  guint turn = bell_turn(x, from, to, s->a, s->inv_near_sd, !below, LANES);
  near_points(s, x, from, turn, outer, tail, !below, h);
  near_points(s, x, turn, to, outer, tail, below, h);
}

/* Fills @h[from, to) with @v. */
LANES_TARGET static inline G_ALWAYS_INLINE void fill(double *h, guint from, guint to, double v)
{
  for (guint k = from; k < to; k++)
    h[k] = v;
}

/* Points [from, to) above the core of a count that may still grow: its
 * two bells, each only when live (else its 0, as near_points()). */
LANES_TARGET static inline G_ALWAYS_INLINE void grow_points(const GridShape *s, const double *x, guint from,
                                                            guint to, double at, gboolean live,
                                                            gboolean live_grow, double *h)
{
  EACH_GROUP(k, from, to, {
    Vd xv = load(x, k, to);
    Vd v = s->fall * (live ? v_bell((xv - at) * s->inv_sd_hi) : (Vd){0});
    Vd g = live_grow ? v_bell((xv - at) * s->inv_grow_sd) : (Vd){0};
    store(h, k, to, s->r * (s->fall_outer * (v + s->fall_grow * g)));
  });
}

LANES_TARGET static void densities(const GridShape *s, const double *x, guint n, double *h, double *f)
{
  /* Runs: [0, i1) below the core or the near part (an upper bound's
   * partial span), [i1, i2) on it, [i2, n) above.  Where the edges cross,
   * the scalar formulas' first test wins: x < a, or an upper bound's x > a.
   * Points beyond a bell's reach (bell_turn()) take its 0 without its
   * exponential: below a run's first live point, above its last. */
  double rise_at = s->kind == GRID_UPPER ? s->span_end : s->a;
  double fall_at = s->kind == GRID_PEAK ? s->b : s->kind == GRID_LOWER ? s->span_end : s->a;
  guint i1 = first_from(x, n, rise_at, FALSE), i2 = first_from(x, n, fall_at, TRUE);
  if (s->kind == GRID_UPPER)
    i1 = MIN(i1, i2);
  else
    i2 = MAX(i2, i1);

  /* Below: every point below a (an upper bound's below its span's end) */
  if (s->kind == GRID_UPPER) {
    near_run(s, x, 0, i1, s->core, TRUE, TRUE, h);
  } else {
    guint live = bell_turn(x, 0, i1, s->a, s->inv_sd_lo, FALSE, LANES);
    fill(h, 0, live, s->r * (s->rise * 0.0));
    EACH_GROUP(k, live, i1, {
      Vd xv = load(x, k, i1);
      store(h, k, i1, s->r * (s->rise * v_bell((xv - s->a) * s->inv_sd_lo)));
    });
  }
  /* On the core or the near part: a lower bound's at or above a, an
   * upper bound's at or below it */
  if (s->kind == GRID_PEAK) {
    for (guint k = i1; k < i2; k++)
      h[k] = s->r * s->core;
  } else {
    near_run(s, x, i1, i2, s->kind == GRID_UPPER ? s->core : 1, FALSE, s->kind == GRID_UPPER, h);
  }
  /* Above: every point above the core's end (at) */
  if (s->kind == GRID_LOWER) {
    near_run(s, x, i2, n, 1, TRUE, FALSE, h);
  } else {
    double at = s->kind == GRID_PEAK ? s->b : s->a;
    guint dead = bell_turn(x, i2, n, at, s->inv_sd_hi, TRUE, LANES);
    if (s->grows) {
      guint dead_grow = bell_turn(x, i2, n, at, s->inv_grow_sd, TRUE, LANES);
      guint first = MIN(dead, dead_grow), second = MAX(dead, dead_grow);
      grow_points(s, x, i2, first, at, TRUE, TRUE, h);
      grow_points(s, x, first, second, at, dead > first, dead_grow > first, h);
      fill(h, second, n, s->r * (s->fall_outer * (s->fall * 0.0 + s->fall_grow * 0.0)));
    } else {
      EACH_GROUP(k, i2, dead, {
        Vd xv = load(x, k, dead);
        store(h, k, dead, s->r * (s->fall * v_bell((xv - at) * s->inv_sd_hi)));
      });
      fill(h, dead, n, s->r * (s->fall * 0.0));
    }
  }

  if (s->r < 1) {
    double r_false = 1 - s->r;
    EACH_GROUP(k, 0, n, {
      Vd xv = load(x, k, n);
      store(f, k, n, r_false * (s->sloppy_dens * v_bell((xv - s->center) * s->inv_sloppy_sd) + s->wild));
    });
  } else {
    memset(f, 0, n * sizeof *f);
  }
}

/* Each point's product is taken once per claim, so the few that near the
 * ends of the double range can be folded after the loop, point by point.
 * Whether any may is in the signs of p - 1e-250 and 1e250 - p (exact for
 * any p, and plain arithmetic, where a comparison's mask is not on SSE2). */
LANES_TARGET static void multiply(const double *h, const double *f, guint n, double *prod, double *lp,
                                  gboolean *folded, double *top)
{
  Vu signs = {0};
  Vd most = {0};
  EACH_GROUP(k, 0, n, {
    Vd p = load(prod, k, n) * (load(h, k, n) + load(f, k, n) + 1e-300);
    store(prod, k, n, p);
    signs |= (Vu)(p - 1e-250) | (Vu)(1e250 - p);
    most = v_max(most, p);
  });
  if (top) {
    /* The lanes past n repeat the last point (load()), so they add no
     * value of their own. */
    double m = 0;
    for (guint i = 0; i < LANES; i++)
      m = MAX(m, most[i]);
    *top = m;
  }
  guint64 any = 0;
  for (guint i = 0; i < LANES; i++)
    any |= signs[i] >> 63;
  if (!any)
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
LANES_TARGET static inline G_ALWAYS_INLINE void weigh_lanes(const double *lp, const double *h, const double *f,
                                                            guint k, guint n, guint count, double *sum_h,
                                                            double *sum_1)
{
  Vd hv = load(h, k, n);
  Vd q = load(lp, k, n) / (hv + load(f, k, n) + 1e-300);
  Vd hq = hv * q;
  for (guint i = 0; i < count; i++) {
    *sum_h += hq[i];
    *sum_1 += q[i];
  }
}

LANES_TARGET static void weigh(const double *lp, const double *h, const double *f, guint n, double *rho,
                               double *odds)
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

/* Two claims' weigh() in one pass: each claim's sums keep their order,
 * and the two claims' chains of additions, which bound the loop, run side
 * by side. */
LANES_TARGET static void weigh_pair(const double *lp, const double *const h[2], const double *const f[2],
                                    guint n, double rho[2], double odds[2])
{
  double sum_h0 = 0, sum_10 = 0, sum_h1 = 0, sum_11 = 0;
  guint k = 0;
  for (; k + LANES <= n; k += LANES) {
    weigh_lanes(lp, h[0], f[0], k, n, LANES, &sum_h0, &sum_10);
    weigh_lanes(lp, h[1], f[1], k, n, LANES, &sum_h1, &sum_11);
  }
  if (k < n) {
    weigh_lanes(lp, h[0], f[0], k, n, n - k, &sum_h0, &sum_10);
    weigh_lanes(lp, h[1], f[1], k, n, n - k, &sum_h1, &sum_11);
  }
  rho[0] = sum_h0;
  odds[0] = sum_10;
  rho[1] = sum_h1;
  odds[1] = sum_11;
}

LANES_TARGET static void exp_neg_n(const double *x, double by, guint n, double *out)
{
  EACH_GROUP(k, 0, n, store(out, k, n, v_exp_neg(load(x, k, n) - by)));
}

LANES_TARGET static void divide(const double *x, double by, guint n, double *out)
{
  EACH_GROUP(k, 0, n, store(out, k, n, load(x, k, n) / by));
}

LANES_TARGET static double divide_sum(const double *x, double by, guint n, double *out)
{
  double sum = 0;
  guint k = 0;
  for (; k + LANES <= n; k += LANES) {
    Vd q = load(x, k, n) / by;
    store(out, k, n, q);
    for (guint i = 0; i < LANES; i++)
      sum += q[i];
  }
  if (k < n) {
    Vd q = load(x, k, n) / by;
    store(out, k, n, q);
    for (guint i = 0; i < n - k; i++)
      sum += q[i];
  }
  return sum;
}

#undef Vd
#undef Vi
#undef Vu
#undef keep_where
#undef v_max
#undef v_exp_neg
#undef v_bell
#undef load
#undef store
#undef near_points
#undef near_run
#undef fill
#undef grow_points
#undef densities
#undef multiply
#undef weigh_lanes
#undef weigh
#undef weigh_pair
#undef exp_neg_n
#undef divide
#undef divide_sum
#undef EACH_GROUP
