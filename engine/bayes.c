/*
 * bayes.c - the default estimator: robust probabilistic fusion of one
 * estimate's claims on a grid (DESIGN.md, "Estimating").  estimate.c calls
 * it once per estimate and round; reliability.c feeds it each source's
 * reliability and spread and learns from the weights it returns.
 *
 * The true count N is measured on u = ln(N + 1): relative for large counts
 * (10% is the same distance at 100 and at 10^8), close to absolute near 0.
 * Each claim is a likelihood over u shaped by its range and kind, and is
 * honest with probability r (its source's reliability) or else false.  A
 * false claim is mostly "in the ballpark" (a sloppy or slanted figure near
 * the truth) and sometimes wild (anywhere over three orders of magnitude),
 * so one wild claim cannot drag the estimate and an unreliable figure
 * still says something about the order of magnitude.  For tolls, honest
 * figures stray by their source's spread, and a count may still grow after
 * it was made, the less likely the later it was made.  The posterior is
 * the product of the claims' mixtures over the counts some claim allows;
 * best is its median and low/high its quantiles at the estimate's level.
 * A claim alone is taken at its word: nothing contradicts it.
 *
 * The grid has a fixed number of points spread over the claims' supports,
 * every integer where integers are farther apart than that spacing, and
 * extra points at each claim's edges, so exact figures and hard bounds are
 * resolved at any scale from 0 to 10^12.  Work space is reused across
 * estimates: nothing is allocated per claim.
 */
#include <gsl/gsl_math.h>
#include <math.h>
#include <string.h>

#include "bayes-grid.h"
#include "engine-private.h"

/* Shapes of honest claims, in u.  An honest exact count is that count: its
 * peak holds 95% of its mass within a quarter of a count of it, and a
 * bound's hard end is as sharp (see sharp_sd()); for tolls both widen by
 * the source's spread.
 *
 * A lower bound ("at least 7", "over 100") is either a near-complete
 * count, the truth a little above it, or a partial one that the truth may
 * exceed up to e^2.5, about 12 times.  How far above is "a little" grows
 * with how round the number is (roundness()), at least NEAR_MIN_SD; vague
 * open words ("many") are loose.  Upper bounds mirror this. */
#define NEAR_SHARE 0.6
#define NEAR_ROUND 2.0
#define NEAR_MIN_SD 0.05
#define VAGUE_NEAR_SD 0.1
#define PARTIAL_SPAN 2.5
#define TAIL_SD 0.3
/* Vague words are plateaus with soft edges. */
#define VAGUE_SD 0.05
/* "about N": the approx range of range.c is a 90% interval. */
#define APPROX_Z 1.645
/* False claims: most are in the ballpark, within about +-50% of the truth;
 * the others are wild, anywhere over ln(1000) = 6.9. */
#define SLOPPY_SHARE 0.8
#define SLOPPY_SD 0.4
#define WILD_SPAN 6.9
/* Tolls of cumulative metrics grow after a count is made (the badly
 * wounded die, bodies are found): a count made d days after the incident
 * is still incomplete with probability INCOMPLETE * 0.5^(d / GROWTH_HALF),
 * and then falls short of the final toll by about GROWTH in u. */
#define INCOMPLETE 0.8
#define GROWTH 0.3
#define GROWTH_HALF 2.0
/* Grid points spread over the supports; claims that place extra points.
 * The learning rounds only need each claim's weight and the median, not
 * quantiles to a count, and take a coarser grid (bayes_work_set_learning). */
#define GRID_POINTS 160
#define LEARN_POINTS 40
#define EDGE_CLAIMS 256
/* Whole counts whose u and cell edges are looked up rather than computed:
 * most grids have a few dozen whole counts below a hundred or so. */
#define WHOLE_TABLE 4096
/* Densities kept for the weights, at most (points x claims): 16 MB. */
#define CACHE_MAX (1u << 20)

typedef enum { SHAPE_PEAK, SHAPE_PLATEAU, SHAPE_LOWER, SHAPE_UPPER } Shape;

typedef struct {
  Shape shape;
  double a, b;          /* core: a peak's centre, a plateau's ends, a bound */
  double sd_lo, sd_hi;  /* Gaussian fall-off below a and above b */
  double dens;          /* peak and plateau: density on the core */
  double near, flat;    /* bounds: densities of the near and partial parts at the bound */
  double near_sd;       /* bounds: how far past the bound a near-complete count lies */
  double grow_share, grow_sd, grow_dens; /* a count that may still grow (add_growth) */
  double core;          /* dens, or with growth the mix of dens and grow_dens */
  double inv_sd_lo, inv_sd_hi, inv_grow_sd, inv_near_sd, inv_sloppy_sd; /* 1 / each, to multiply by */
  double span_end;      /* bounds: far end of the partial part */
  double center, sloppy_sd; /* where a ballpark figure lies */
  double sloppy_dens;   /* the ballpark part's density at its centre */
  double r;             /* probability of being honest */
  double lo, hi;        /* support: where the claim puts honest mass */
  guint member;
} Lik;

struct _BayesWork {
  Lik *liks;
  guint liks_cap;
  double *x, *left, *right, *lp; /* grid points, cell edges, log posterior */
  double *prod;                  /* per point: the product not yet in lp */
  double *whole;                 /* the whole counts of the first n_whole points */
  guint n_whole;
  double *half_log1p;            /* ln(1 + i / 2) for i < 2 * WHOLE_TABLE + 2 */
  guint cap;
  double *sup_lo, *sup_hi;       /* supports, sorted into islands */
  double *honest, *false_;       /* per point and claim: r * honest, (1 - r) * false */
  gsize cache_cap;
  guint grid_points;             /* GRID_POINTS, or LEARN_POINTS while learning */
};

BayesWork *bayes_work_new(void)
{
  BayesWork *w = g_new0(BayesWork, 1);
  w->grid_points = GRID_POINTS;
  w->half_log1p = g_new(double, 2 * WHOLE_TABLE + 2);
  for (guint i = 0; i < 2 * WHOLE_TABLE + 2; i++)
    w->half_log1p[i] = log1p(i * 0.5);
  return w;
}

void bayes_work_set_learning(BayesWork *w, gboolean learning)
{
  w->grid_points = learning ? LEARN_POINTS : GRID_POINTS;
}

gboolean bayes_work_learning(const BayesWork *w)
{
  return w->grid_points == LEARN_POINTS;
}

void bayes_work_free(BayesWork *w)
{
  if (!w)
    return;
  g_free(w->liks);
  g_free(w->x);
  g_free(w->left);
  g_free(w->right);
  g_free(w->lp);
  g_free(w->prod);
  g_free(w->half_log1p);
  g_free(w->whole);
  g_free(w->sup_lo);
  g_free(w->sup_hi);
  g_free(w->honest);
  g_free(w->false_);
  g_free(w);
}

static void reserve_liks(BayesWork *w, guint n)
{
  if (n <= w->liks_cap)
    return;
  w->liks_cap = MAX(n, w->liks_cap * 2);
  w->liks = g_renew(Lik, w->liks, w->liks_cap);
  w->sup_lo = g_renew(double, w->sup_lo, w->liks_cap);
  w->sup_hi = g_renew(double, w->sup_hi, w->liks_cap);
}

static void reserve_cache(BayesWork *w, gsize n)
{
  if (n <= w->cache_cap)
    return;
  w->cache_cap = MAX(n, w->cache_cap * 2);
  w->honest = g_renew(double, w->honest, w->cache_cap);
  w->false_ = g_renew(double, w->false_, w->cache_cap);
}

static void reserve_points(BayesWork *w, guint n)
{
  if (n <= w->cap)
    return;
  w->cap = MAX(n, w->cap * 2);
  w->x = g_renew(double, w->x, w->cap);
  w->left = g_renew(double, w->left, w->cap);
  w->right = g_renew(double, w->right, w->cap);
  w->lp = g_renew(double, w->lp, w->cap);
  w->prod = g_renew(double, w->prod, w->cap);
  w->whole = g_renew(double, w->whole, w->cap);
}

static double to_u(guint64 n)
{
  return log1p((double)n);
}

/* The spread, in u, of a peak or edge at @x that keeps 95% of its mass
 * within a quarter of a count: an eighth of the width of that count's cell. */
static double sharp_sd(double x)
{
  double n = expm1(MAX(x, 0));
  return MAX(log((n + 1.5) / (n + 0.5)) / 8, 1e-12);
}

double bayes_exp_neg(double x)
{
  return grid_exp_neg(x);
}

/* gsl_ran_ugaussian_pdf(0), which GSL computes as this. */
#define PDF_AT_0 (1 / sqrt(2 * M_PI))

/* A lower bound at @a (an upper bound at @a when @upper), with @near_share
 * of its mass near the bound and edges as sharp as @sharp (sharp_sd(@a)). */
static void set_bound(Lik *l, double a, double near_share, double near_sd, double sharp, gboolean upper)
{
  double partial_len = PARTIAL_SPAN;
  l->shape = upper ? SHAPE_UPPER : SHAPE_LOWER;
  l->a = l->b = a;
  if (upper) {
    partial_len = MIN(PARTIAL_SPAN, a);
    l->span_end = a - partial_len;
  } else {
    l->span_end = a + PARTIAL_SPAN;
  }
  l->near_sd = near_sd;
  l->dens = 1;
  l->near = near_share * 2 * PDF_AT_0 / near_sd;
  l->flat = (1 - near_share) / (partial_len + TAIL_SD * M_SQRTPI / M_SQRT2);
  l->sd_lo = l->sd_hi = sharp;
  l->center = upper ? a - near_sd : a + near_sd;
  l->sloppy_sd = SLOPPY_SD + near_sd;
  l->lo = upper ? MAX(0, l->span_end - 2 * TAIL_SD) : a - 4 * l->sd_lo;
  l->hi = upper ? a + 4 * l->sd_hi : l->span_end + 2 * TAIL_SD;
}

static void set_plateau(Lik *l, double a, double b, double sd_lo, double sd_hi)
{
  l->shape = a == b ? SHAPE_PEAK : SHAPE_PLATEAU;
  l->a = a;
  l->b = b;
  l->sd_lo = sd_lo;
  l->sd_hi = sd_hi;
  l->dens = a == b ? 1 / (sd_lo * sqrt(2 * M_PI))
                   : 1 / ((b - a) + (sd_lo + sd_hi) * M_SQRTPI / M_SQRT2);
  l->center = (a + b) / 2;
  l->sloppy_sd = SLOPPY_SD + (b - a) / 2;
  l->lo = MAX(0, a - (a == b ? 4 : 3) * sd_lo);
  l->hi = b + (a == b ? 4 : 3) * sd_hi;
}

/* How likely member @i's count is still incomplete: INCOMPLETE on the day
 * of the incident, half as likely every GROWTH_HALF days after.  0 for metrics that are not cumulative, and for claims that do not
 * say when their count was made. */
static double incomplete(const ReckonEstimate *e, guint i)
{
  const Claim *c = e->claims[i];
  if (!e->cumulative || !c->dated)
    return 0;
  /* From the middle of the incident: a count at the end of a week-long
   * campaign includes deaths of its first days, long counted. */
  double days = 0;
  if (date_span_is_set(&c->as_of) && date_span_is_set(&c->when))
    days = MAX(0, (double)c->as_of.end - ((double)c->when.start + c->when.end) / 2);
  return INCOMPLETE * pow(0.5, days / GROWTH_HALF);
}

/* A count that may still grow: with probability @p the final toll is above
 * it by about GROWTH (its upper side widened, the variances adding); else
 * the count was final and keeps the claim's shape. */
static void add_growth(Lik *l, double p)
{
  if (p <= 0 || l->shape == SHAPE_LOWER)
    return; /* a lower bound is open above already */
  l->grow_share = p;
  l->grow_sd = hypot(l->sd_hi, GROWTH);
  if (l->shape == SHAPE_UPPER) {
    double at = l->near + l->flat, edge = M_SQRTPI / M_SQRT2;
    l->dens = 1 / (1 + at * l->sd_hi * edge);
    l->grow_dens = 1 / (1 + at * l->grow_sd * edge);
    l->hi = l->a + 4 * l->grow_sd;
  } else {
    l->grow_dens = 1 / ((l->b - l->a) + (l->sd_lo + l->grow_sd) * M_SQRTPI / M_SQRT2);
    l->hi = l->b + 4 * l->grow_sd;
  }
}

/* How loosely a bound's number was stated: a round threshold ("over 100")
 * leaves more room above it than a count ("at least 3764").  The shares
 * are those of "about N" (README, "How wide is about?"); numbers below 10
 * are counts. */
static double roundness(guint64 number)
{
  if (number < 10)
    return 0.025;
  while (number % 10 == 0)
    number /= 10;
  if (number < 10)
    return 0.1;
  if (number < 100)
    return number % 10 == 5 ? 0.075 : 0.05;
  return 0.025;
}

/* The seed of a bound at @a: lower, or upper when @upper. */
static void seed_bound(MemberSeed *s, double a, double near_sd, gboolean upper)
{
  s->shape = upper ? SHAPE_UPPER : SHAPE_LOWER;
  s->a = a;
  s->b = near_sd;
  s->sd_lo = s->sd_hi = sharp_sd(a);
}

static void seed_plateau(MemberSeed *s, double a, double b, double sd_lo, double sd_hi)
{
  s->shape = SHAPE_PLATEAU;
  s->a = a;
  s->b = b;
  s->sd_lo = sd_lo;
  s->sd_hi = sd_hi;
}

/* The seed of a floor at @lo (u of @r's low), of a count that is
 * incomplete with probability @p: how far above it a near-complete count
 * lies grows with how round the stated number is, at least @min_near. */
static void seed_floor(MemberSeed *s, double lo, const ReckonRange *r, double p, double min_near)
{
  double stated = (double)(r->kind == RECKON_KIND_MORE_THAN ? r->low - 1 : r->low);
  double near_sd = MAX(hypot(NEAR_ROUND * roundness((guint64)stated), p * GROWTH), NEAR_MIN_SD);
  seed_bound(s, lo, MAX(near_sd, min_near), FALSE);
}

/* What member @i's likelihood takes from its claim and range alone. */
static void seed_member(const ReckonEstimate *e, guint i, MemberSeed *s)
{
  const ReckonRange *r = member_range(e, i);
  double lo = to_u(r->low);
  double hi = r->high == RECKON_UNBOUNDED ? INFINITY : to_u(r->high);
  double fig = to_u(r->figure);
  s->p = incomplete(e, i);
  s->kind = (guint8)r->kind;
  switch (r->kind) {
  case RECKON_KIND_EXACT:
    seed_plateau(s, fig, fig, sharp_sd(fig), sharp_sd(fig));
    break;
  case RECKON_KIND_APPROX: {
    double sd = MAX((hi - lo) / (2 * APPROX_Z), sharp_sd(fig));
    seed_plateau(s, fig, fig, sd, sd);
    break;
  }
  case RECKON_KIND_AT_LEAST:
  case RECKON_KIND_MORE_THAN:
    seed_floor(s, lo, r, s->p, 0);
    break;
  case RECKON_KIND_AT_MOST:
  case RECKON_KIND_LESS_THAN:
    seed_bound(s, hi, MAX(NEAR_ROUND * roundness(r->high), NEAR_MIN_SD), TRUE);
    break;
  case RECKON_KIND_NEARLY:
    seed_plateau(s, lo, hi, fig, sharp_sd(hi)); /* VAGUE_SD below: seed_sd_lo() */
    break;
  case RECKON_KIND_VAGUE:
    if (isinf(hi))
      seed_floor(s, lo, r, s->p, VAGUE_NEAR_SD);
    else /* flat up to the word's typical value, fading towards its top */
      seed_plateau(s, lo, fig, VAGUE_SD, MAX((hi - fig) / 2, VAGUE_SD));
    break;
  case RECKON_KIND_BETWEEN:
    seed_plateau(s, lo, hi, fig, sharp_sd(hi)); /* sharp_sd(lo) below: seed_sd_lo() */
    break;
  default:
    seed_plateau(s, lo, hi, sharp_sd(lo), sharp_sd(hi));
    break;
  }
}

/* The fall-off below the core of seed @s: for "nearly" and "between" its
 * slot holds the figure, and the fall-off is worked out again, the same
 * bits (a "between" is one claim in twelve, and one sharp_sd() a round
 * costs less than the 8 bytes a member it saves at the run's height). */
static double seed_sd_lo(const MemberSeed *s)
{
  switch (s->kind) {
  case RECKON_KIND_NEARLY:
    return VAGUE_SD;
  case RECKON_KIND_BETWEEN:
    return sharp_sd(s->a);
  default:
    return s->sd_lo;
  }
}

G_STATIC_ASSERT(sizeof(MemberSeed) == 48);

const MemberSeed *bayes_seeds(ReckonEstimate *e)
{
  if (!e->seeds) {
    e->seeds = g_new(MemberSeed, MAX(e->n_members, 1));
    for (guint i = 0; i < e->n_members; i++)
      seed_member(e, i, &e->seeds[i]);
  }
  return e->seeds;
}

/* The likelihood member @i stands for, grown from its seed @s with what
 * this round knows of it: its role, its source's reliability and spread. */
static void make_lik(const ReckonEstimate *e, guint i, const MemberSeed *s, Lik *l)
{
  const MemberInfo *m = &e->info[i];
  memset(l, 0, sizeof *l);
  l->member = i;
  l->r = m->r;
  if (m->superseded_by >= 0) {
    /* An early count: the final toll is at least it, like "at least N". */
    MemberSeed early;
    if (s->kind != RECKON_KIND_AT_LEAST && s->kind != RECKON_KIND_MORE_THAN) {
      const ReckonRange *r = member_range(e, i);
      seed_floor(&early, to_u(r->low), r, s->p, 0);
      s = &early;
    }
    set_bound(l, s->a, NEAR_SHARE, s->b, s->sd_lo, FALSE); /* a floor's own sd_lo */
    return;
  }
  if (s->shape == SHAPE_PLATEAU)
    set_plateau(l, s->a, s->b, seed_sd_lo(s), s->sd_hi);
  else
    set_bound(l, s->a, NEAR_SHARE, s->b, s->sd_lo, s->shape == SHAPE_UPPER); /* a bound's own */
  if (e->cumulative && m->spread > 0) {
    /* Honest counts of a toll differ as much as their source's figures
     * were seen to stray: soften every edge by that. */
    double sd = m->spread;
    if (l->shape == SHAPE_LOWER) {
      l->sd_lo = hypot(l->sd_lo, sd);
      l->lo = l->a - 4 * l->sd_lo;
    } else if (l->shape == SHAPE_UPPER) {
      l->sd_hi = hypot(l->sd_hi, sd);
      l->hi = l->a + 4 * l->sd_hi;
    } else {
      set_plateau(l, l->a, l->b, hypot(l->sd_lo, sd), hypot(l->sd_hi, sd));
    }
  }
  add_growth(l, s->p);
}

/* ln(1 + @twice / 2): u of a whole count (@twice even) or of a cell edge
 * half-way between two (@twice odd). */
static double half_u(const BayesWork *w, double twice)
{
  return twice < 2 * WHOLE_TABLE + 2 ? w->half_log1p[(guint)twice] : log1p(twice * 0.5);
}

/* Appends @x to the base points being built, in w->right until
 * build_grid() merges them with the edge points into w->x. */
static void add_point(BayesWork *w, guint *n, double x)
{
  if (G_UNLIKELY(*n >= w->cap))
    reserve_points(w, *n + 1);
  w->right[*n] = x;
  (*n)++;
}

/* Edge points a claim adds at most. */
#define EDGE_POINTS 7

/* Appends the edge points of a claim, where its likelihood changes
 * fastest, to w->lp, which has room for EDGE_POINTS more. */
static void add_edges(BayesWork *w, guint *n, const Lik *l, double above)
{
  double pts[EDGE_POINTS];
  guint k = 0;
  if (l->shape == SHAPE_PEAK) {
    for (int j = -3; j <= 3; j++)
      pts[k++] = l->a + j * l->sd_lo;
  } else if (l->shape == SHAPE_PLATEAU) {
    pts[k++] = l->a - l->sd_lo;
    pts[k++] = l->a;
    pts[k++] = l->b;
    pts[k++] = l->b + l->sd_hi;
  } else {
    double dir = l->shape == SHAPE_LOWER ? 1 : -1;
    pts[k++] = l->a - dir * 2 * l->sd_lo;
    pts[k++] = l->a - dir * l->sd_lo;
    pts[k++] = l->a;
    pts[k++] = l->a + dir * l->near_sd / 2;
    pts[k++] = l->a + dir * l->near_sd;
    pts[k++] = l->a + dir * 2 * l->near_sd;
  }
  /* In ascending order, which grid_sort_points() makes use of: an upper
   * bound's points were listed from the top. */
  gboolean down = l->shape == SHAPE_UPPER;
  for (guint j = 0; j < k; j++) {
    double x = pts[down ? k - 1 - j : j];
    if (x >= above)
      w->lp[(*n)++] = x;
  }
}

/* TRUE when @x lies in one of the @n_islands sorted, merged supports. */
static gboolean in_islands(const BayesWork *w, guint n_islands, double x)
{
  guint lo = 0, hi = n_islands;
  while (lo < hi) {
    guint mid = lo + (hi - lo) / 2;
    if (w->sup_hi[mid] < x)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < n_islands && x >= w->sup_lo[lo];
}

/* Sets cell @i of @c to [@left, @right], moved clear of the cell before it
 * (whose right end is *@prev_right, then this one's; -inf for the first
 * cell), and starts its posterior: the cell's width (the uniform prior on
 * u), no log yet.  Written so that the compiler takes the larger of two
 * values without a branch. */
typedef struct {
  double *restrict left, *restrict right, *restrict prod, *restrict lp;
} Cells;

static inline void set_cell(const Cells *c, guint i, double left, double right, double *prev_right)
{
  left = *prev_right > left ? *prev_right : left;
  right = left > right ? left : right;
  c->left[i] = left;
  c->right[i] = right;
  c->prod[i] = right - left + 1e-300;
  c->lp[i] = 0;
  *prev_right = right;
}

/* Builds the grid over the supports of @n_liks likelihoods and starts the
 * posterior on it (set_cell()); returns the number of points. */
static guint build_grid(BayesWork *w, guint n_liks)
{
  for (guint i = 0; i < n_liks; i++) {
    w->sup_lo[i] = MAX(0, w->liks[i].lo);
    w->sup_hi[i] = MIN(w->liks[i].hi, to_u(RECKON_COUNT_MAX));
  }
  grid_sort_supports(w->sup_lo, w->sup_hi, n_liks);
  guint islands = 0;
  double total = 0;
  for (guint i = 0; i < n_liks; i++) {
    if (islands && w->sup_lo[i] <= w->sup_hi[islands - 1]) {
      w->sup_hi[islands - 1] = MAX(w->sup_hi[islands - 1], w->sup_hi[i]);
    } else {
      w->sup_lo[islands] = w->sup_lo[i];
      w->sup_hi[islands] = w->sup_hi[i];
      islands++;
    }
  }
  for (guint i = 0; i < islands; i++)
    total += w->sup_hi[i] - w->sup_lo[i];
  double step = MAX(total / w->grid_points, 1e-9);
  /* Below this count whole numbers are farther apart than the step: use
   * them all, since counts are whole. */
  double int_top = MIN(1 / step, 1e9);
  double real_from = log1p(floor(int_top) + 0.5);

  /* Base points come out in order, island by island; only the edge points
   * need sorting before the two lists are merged. */
  guint n_base = 0, n_edges = 0, n_whole_base = 0;
  for (guint i = 0; i < islands; i++) {
    double first = ceil(expm1(w->sup_lo[i]) - 1e-9);
    double last = MIN(floor(expm1(w->sup_hi[i]) + 1e-9), floor(int_top));
    for (double c = MAX(first, 0); c <= last; c++) {
      add_point(w, &n_base, half_u(w, 2 * c));
      w->whole[n_base - 1] = c;
      n_whole_base = n_base;
    }
    double from = MAX(w->sup_lo[i], real_from);
    for (double x = from; x < w->sup_hi[i]; x += step)
      add_point(w, &n_base, x);
    if (w->sup_hi[i] >= real_from)
      add_point(w, &n_base, w->sup_hi[i]);
  }
  reserve_points(w, EDGE_POINTS * MIN(n_liks, EDGE_CLAIMS) + 1);
  for (guint i = 0; i < n_liks && i < EDGE_CLAIMS; i++)
    add_edges(w, &n_edges, &w->liks[i], real_from);
  reserve_points(w, n_base + n_edges + 1);
  /* w->left is free until the cells are laid out below. */
  double *edges = grid_sort_points(w->lp, w->left, n_edges);
  /* Each list ends in a point above any other, so the merge below need
   * not test which one ran out. */
  w->right[n_base] = edges[n_edges] = INFINITY;

  /* Whole counts lie below real_from, every other point at or above it:
   * the whole counts come first, in order, and need no merging. */
  /* Points closer than min_gap to the last one kept are dropped.  The
   * last point and the next are kept in locals: the arrays are all
   * doubles, so the compiler would read them again after every store. */
  guint m = 0, b = 0;
  double last = -INFINITY, min_gap = step * 1e-3; /* the first point is kept */
  w->n_whole = 0;
  for (; b < n_whole_base; b++) {
    double x = w->right[b];
    if (x - last < min_gap)
      continue;
    w->whole[w->n_whole++] = w->whole[b];
    w->x[m++] = last = x;
  }
  for (guint d = 0; b + d < n_base + n_edges;) {
    double xb = w->right[b], xd = edges[d];
    gboolean from_base = xb <= xd;
    double x = from_base ? xb : xd;
    b += from_base;
    d += !from_base;
    if (!from_base && !in_islands(w, islands, x))
      continue;
    if (x - last < min_gap)
      continue;
    if (x < real_from) /* no edge point yet, so m < b */
      w->whole[w->n_whole++] = w->whole[b - 1];
    w->x[m++] = last = x;
  }
  /* Cells: a whole count owns the half-units around it; other points the
   * half-way marks to their neighbours, at most half a step away. */
  double prev_right = -INFINITY; /* right[i - 1]: the first cell is not moved */
  const Cells cells = {w->left, w->right, w->prod, w->lp};
  const double *x = w->x;
  guint i = 0;
  for (; i < w->n_whole; i++) {
    double c = w->whole[i];
    double left = c < 0.5 ? 0 : half_u(w, 2 * c - 1), right = half_u(w, 2 * c + 1);
    set_cell(&cells, i, left, right, &prev_right);
  }
  /* Each gap to the next point bounds this cell's right and that one's left. */
  double half_gap = i < m ? MIN(i ? x[i] - x[i - 1] : step, step) / 2 : 0;
  double xi = i < m ? x[i] : 0;
  for (; i + 1 < m; i++) {
    double xn = x[i + 1];
    double next_half = MIN(xn - xi, step) / 2;
    set_cell(&cells, i, xi - half_gap, xi + next_half, &prev_right);
    half_gap = next_half;
    xi = xn;
  }
  if (i < m)
    set_cell(&cells, i, xi - half_gap, xi + step / 2, &prev_right);
  return m;
}

/* The densities of @l at the @n grid points: honest times r in @h, false
 * times 1 - r in @f.  A claim taken at its word (r = 1) has no false part
 * to evaluate.  A count that may still grow mixes two shapes that differ
 * only above the core (add_growth()); below it and on it they differ by a
 * factor, so one exponential serves both. */
static void densities(const BayesWork *w, const Lik *l, guint n, double *h, double *f)
{
  double g = l->grow_share, at = l->near + l->flat;
  gboolean bound = l->shape == SHAPE_LOWER || l->shape == SHAPE_UPPER;
  GridShape s = {
    .kind = l->shape == SHAPE_LOWER ? GRID_LOWER : l->shape == SHAPE_UPPER ? GRID_UPPER : GRID_PEAK,
    .a = l->a,
    .b = l->b,
    .span_end = l->span_end,
    .core = l->core,
    .rise = bound ? at : l->core,
    .near = l->near,
    .flat = l->flat,
    .grows = g > 0,
    .fall = g > 0 ? (1 - g) * l->dens : l->shape == SHAPE_UPPER ? l->dens * at : l->dens,
    .fall_grow = g * l->grow_dens,
    .fall_outer = l->shape == SHAPE_UPPER ? at : 1,
    .inv_sd_lo = l->inv_sd_lo,
    .inv_sd_hi = l->inv_sd_hi,
    .inv_grow_sd = l->inv_grow_sd,
    .inv_near_sd = l->inv_near_sd,
    .inv_tail_sd = 1 / TAIL_SD,
    .r = l->r,
    .center = l->center,
    .inv_sloppy_sd = l->inv_sloppy_sd,
    .sloppy_dens = l->sloppy_dens,
    .wild = (1 - SLOPPY_SHARE) / WILD_SPAN,
  };
  grid_densities(GRID_PATH_BEST, &s, w->x, n, h, f);
}

/* The counts at cumulative masses @q[0..@n_q), ascending, of the
 * normalised masses in w->lp, in one pass over them: each is where a pass
 * of its own would stop, since the pass for a larger mass stops no
 * earlier (and so the pass stops at the last one asked for). */
static void quantiles(const BayesWork *w, guint n, const double *q, guint n_q, double *out)
{
  const double *mass = w->lp;
  double cum = 0;
  guint i = 0;
  for (guint j = 0; j < n_q; j++) {
    out[j] = 0;
    if (!n)
      continue;
    /* The first point from i whose mass brings the running sum to q[j],
     * or the last point. */
    for (; i + 1 < n; i++) {
      double upto = cum + mass[i];
      if (upto >= q[j])
        break;
      cum = upto;
    }
    if (i < w->n_whole) {
      out[j] = w->whole[i];
    } else {
      double frac = mass[i] > 0 ? CLAMP((q[j] - cum) / mass[i], 0, 1) : 0.5;
      out[j] = expm1(w->left[i] + frac * (w->right[i] - w->left[i]));
    }
  }
}

/* Sets the weight of the member @l stands for: @rho, how likely it is
 * honest, and @wild, how likely wild; and how far below the final toll
 * its count is expected to lie: the mean of the growth half-normal, if
 * it grows at all. */
static void set_weight(ReckonEstimate *e, const Lik *l, double rho, double wild)
{
  MemberInfo *m = &e->info[l->member];
  m->rho = rho;
  m->wild = wild;
  m->shortfall = l->grow_share * GROWTH * M_SQRT2 / M_SQRTPI;
}

/* The weight of a claim weighed on the grid: @rho and @odds are its sums
 * from grid_weigh(). */
static void set_weighed(ReckonEstimate *e, const Lik *l, double rho, double odds)
{
  set_weight(e, l, rho, (1 - l->r) * (1 - SLOPPY_SHARE) / WILD_SPAN * odds);
}

void bayes_estimate(ReckonEstimate *e, BayesWork *w)
{
  /* An estimate computed while learning is computed again: keep its seeds. */
  const MemberSeed *seeds = e->seeds || !bayes_work_learning(w) ? e->seeds : bayes_seeds(e);
  reserve_liks(w, e->n_members);
  guint n_liks = 0;
  for (guint i = 0; i < e->n_members; i++) {
    e->info[i].rho = 0;
    e->info[i].wild = 0;
    /* Echoes and revised words add nothing of their own. */
    if (e->info[i].echo_of >= 0 || e->info[i].revised_by >= 0)
      continue;
    Lik *l = &w->liks[n_liks++];
    MemberSeed seed;
    if (!seeds)
      seed_member(e, i, &seed);
    make_lik(e, i, seeds ? &seeds[i] : &seed, l);
    l->sloppy_dens = SLOPPY_SHARE / (sqrt(2 * M_PI) * l->sloppy_sd);
    l->core = l->grow_share > 0 ? (1 - l->grow_share) * l->dens + l->grow_share * l->grow_dens : l->dens;
    l->inv_sd_lo = 1 / l->sd_lo;
    l->inv_sd_hi = 1 / l->sd_hi;
    l->inv_grow_sd = l->grow_share > 0 ? 1 / l->grow_sd : 0;
    l->inv_near_sd = l->near_sd > 0 ? 1 / l->near_sd : 0;
    l->inv_sloppy_sd = 1 / l->sloppy_sd;
  }
  /* A claim alone has nothing to contradict it: it is taken at its word,
   * and its weight stays its source's reliability. */
  double alone_r = -1;
  if (n_liks == 1) {
    alone_r = w->liks[0].r;
    w->liks[0].r = 1;
  }
  guint n = build_grid(w, n_liks);

  /* The posterior per point, then masses with the uniform prior on u:
   * claim by claim, so each claim's shape is looked at once, not at every
   * point.  The claims' densities are kept for the weights below when
   * they fit in the cache; a point's product is folded into its log only
   * when it nears the ends of the double range, to spare a log per claim. */
  gboolean cached = (gsize)n * n_liks <= CACHE_MAX;
  reserve_cache(w, cached ? (gsize)n * n_liks : n);
  gboolean folded = FALSE;
  double top = 0;
  for (guint j = 0; j < n_liks; j++) {
    double *h = w->honest + (cached ? (gsize)j * n : 0), *f = w->false_ + (cached ? (gsize)j * n : 0);
    densities(w, &w->liks[j], n, h, f);
    folded |= grid_multiply(GRID_PATH_BEST, h, f, n, w->prod, w->lp, j + 1 == n_liks ? &top : NULL);
  }
  /* Masses relative to the largest: straight from the products when none
   * was folded into its log (most estimates; the last claim's pass found
   * their largest), else through the logs. */
  double total;
  if (folded) {
    top = -INFINITY;
    for (guint k = 0; k < n; k++) {
      w->lp[k] += log(w->prod[k]);
      top = MAX(top, w->lp[k]);
    }
    grid_exp_neg_n(GRID_PATH_BEST, w->lp, top, n, w->lp);
    total = 0;
    for (guint k = 0; k < n; k++)
      total += w->lp[k];
  } else {
    total = grid_divide_sum(GRID_PATH_BEST, w->prod, top, n, w->lp);
  }
  grid_divide(GRID_PATH_BEST, w->lp, total, n, w->lp);

  double tail = (1 - e->level) / 2; /* 0 < level < 1 (engine.c), so the three ascend */
  if (bayes_work_learning(w)) {
    /* The learning step reads best alone, and the last round computes
     * low and high: the pass stops at the median.  Best is its count as
     * below, where low and high never clamp it: the quantiles ascend, so
     * floor(at0 + 0.3) <= round(at0) <= round(mid) <= round(at2) <=
     * ceil(at2 - 0.3) for counts below 2^51 (at most RECKON_COUNT_MAX). */
    double half = 0.5, mid;
    quantiles(w, n, &half, 1, &mid);
    e->best = round(mid);
  } else {
    double levels[3] = {tail, 0.5, 1 - tail}, at[3];
    quantiles(w, n, levels, 3, at);
    double low = at[0], mid = at[1], high = at[2];
    /* Counts are whole.  Low and high round outwards, but not past a
     * quarter of a count, so a sharp peak at 48500 reads 48500-48500. */
    e->low = (guint64)floor(low + 0.3);
    e->high = (guint64)ceil(MAX(high - 0.3, 0));
    e->best = CLAMP(round(mid), (double)e->low, (double)e->high);
  }

  /* Each claim's weight: how likely it is honest, and how likely wild,
   * given everything; a claim alone keeps its source's reliability.  Kept
   * densities are weighed two claims at a time (grid_weigh_pair()). */
  for (guint j = 0; j < n_liks; j++) {
    const Lik *l = &w->liks[j];
    if (alone_r >= 0) {
      set_weight(e, l, alone_r, (1 - alone_r) * (1 - SLOPPY_SHARE));
      continue;
    }
    double *h = w->honest + (cached ? (gsize)j * n : 0), *f = w->false_ + (cached ? (gsize)j * n : 0);
    double rho[2], odds[2];
    if (cached && j + 1 < n_liks) {
      const double *hs[2] = {h, h + n}, *fs[2] = {f, f + n};
      grid_weigh_pair(GRID_PATH_BEST, w->lp, hs, fs, n, rho, odds);
      set_weighed(e, l, rho[0], odds[0]);
      set_weighed(e, &w->liks[++j], rho[1], odds[1]);
      continue;
    }
    if (!cached)
      densities(w, l, n, h, f);
    grid_weigh(GRID_PATH_BEST, w->lp, h, f, n, rho, odds);
    set_weighed(e, l, rho[0], odds[0]);
  }
}

void bayes_explain_member(const ReckonEstimate *e, guint i, GString *out)
{
  const MemberInfo *m = &e->info[i];
  const ReckonRange *r = member_range(e, i);
  if (m->echo_of >= 0 || m->revised_by >= 0)
    return;
  if (m->superseded_by >= 0) {
    g_string_append_printf(out, "a floor of %" G_GUINT64_FORMAT ", the final count most likely a little "
                           "above it but possibly far above", r->low);
    return;
  }
  switch (r->kind) {
  case RECKON_KIND_EXACT:
    g_string_append_printf(out, "%s peak at %" G_GUINT64_FORMAT, e->cumulative && m->spread > 0.005 ? "a" : "a sharp",
                           r->figure);
    break;
  case RECKON_KIND_APPROX:
    g_string_append_printf(out, "a bell around %" G_GUINT64_FORMAT " holding 90%% between %" G_GUINT64_FORMAT
                           " and %" G_GUINT64_FORMAT, r->figure, r->low, r->high);
    break;
  case RECKON_KIND_AT_LEAST:
  case RECKON_KIND_MORE_THAN:
    g_string_append_printf(out, "a floor at %" G_GUINT64_FORMAT ", the count most likely a little above it "
                           "but possibly a partial count of a much larger toll", r->low);
    break;
  case RECKON_KIND_AT_MOST:
  case RECKON_KIND_LESS_THAN:
    g_string_append_printf(out, "a ceiling at %" G_GUINT64_FORMAT ", the count most likely a little below it",
                           r->high);
    break;
  case RECKON_KIND_VAGUE:
    if (r->high == RECKON_UNBOUNDED)
      g_string_append_printf(out, "a soft floor at %" G_GUINT64_FORMAT, r->low);
    else
      g_string_append_printf(out, "a plateau from %" G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT
                             " fading towards %" G_GUINT64_FORMAT, r->low, r->figure, r->high);
    break;
  default:
    g_string_append_printf(out, "a plateau from %" G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT, r->low, r->high);
    break;
  }
  if (e->cumulative && m->spread > 0.005)
    g_string_append_printf(out, ", give or take %.0f%% (its source's spread)", 100 * expm1(m->spread));
  double p = incomplete(e, i);
  if (p > 0.05 && r->kind != RECKON_KIND_AT_LEAST && r->kind != RECKON_KIND_MORE_THAN)
    g_string_append_printf(out, "; a count that may still grow (a %.0f%% chance, by the days since the "
                           "incident)", 100 * p);
}
