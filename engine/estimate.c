/*
 * estimate.c - the estimation stage: the claims of one incident, metric
 * and sub-population become low, best and high, with flags saying where
 * the sources disagree.
 *
 * Methods (README "Estimators"):
 *   interval  low is the largest lower bound and high the smallest upper
 *             bound, when every claim can be true at once; otherwise the
 *             hull of the claims (the lowest low to the highest stated
 *             figure), as Iraq Body Count publishes min-max ranges.
 *   median    best is the median of the claims' figures; low and high are
 *             the (1-level)/2 and (1+level)/2 quantiles of the claims' lower
 *             and upper bounds.
 * In both, best is the median of the figures, clamped into [low, high].
 */
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <string.h>

#include "engine-private.h"

/* Marks every claim whose range is disjoint from some other claim's range.
 * Claim i conflicts with another iff its low is above the smallest high of
 * the others, or its high below the largest low of the others; keeping the
 * two extreme claims on each side makes that O(n). */
static gboolean mark_conflicts(ReckonEstimate *e)
{
  guint n = e->n_members;
  if (n < 2)
    return FALSE;
  guint lo1 = 0, lo2 = G_MAXUINT, hi1 = 0, hi2 = G_MAXUINT; /* max lows, min highs */
  for (guint i = 1; i < n; i++) {
    const ReckonRange *r = &e->members[i].range;
    if (r->low > e->members[lo1].range.low) {
      lo2 = lo1;
      lo1 = i;
    } else if (lo2 == G_MAXUINT || r->low > e->members[lo2].range.low) {
      lo2 = i;
    }
    if (r->high < e->members[hi1].range.high) {
      hi2 = hi1;
      hi1 = i;
    } else if (hi2 == G_MAXUINT || r->high < e->members[hi2].range.high) {
      hi2 = i;
    }
  }
  gboolean any = FALSE;
  for (guint i = 0; i < n; i++) {
    const ReckonRange *r = &e->members[i].range;
    guint64 max_low_others = e->members[i == lo1 ? lo2 : lo1].range.low;
    guint64 min_high_others = e->members[i == hi1 ? hi2 : hi1].range.high;
    if (r->low > min_high_others || r->high < max_low_others) {
      e->members[i].flags |= RECKON_FLAG_CONFLICT;
      any = TRUE;
    }
  }
  return any;
}

static double clamp(double x, guint64 lo, guint64 hi)
{
  if (x < (double)lo)
    return (double)lo;
  if (hi != RECKON_UNBOUNDED && x > (double)hi)
    return (double)hi;
  return x;
}

/* Median of the figures; GSL wants doubles, which hold counts up to 10^12 exactly. */
static double median_figure(const ReckonEstimate *e, double *buf)
{
  for (guint i = 0; i < e->n_members; i++)
    buf[i] = (double)e->members[i].range.figure;
  gsl_sort(buf, 1, e->n_members);
  return gsl_stats_median_from_sorted_data(buf, 1, e->n_members);
}

static void method_interval(ReckonEstimate *e, gboolean conflict)
{
  guint64 low = 0, high = RECKON_UNBOUNDED;
  if (!conflict) {
    for (guint i = 0; i < e->n_members; i++) {
      low = MAX(low, e->members[i].range.low);
      high = MIN(high, e->members[i].range.high);
    }
  } else {
    /* The hull of what the sources said: an open range contributes its
     * stated figure to the top, since nothing asserts more than that. */
    low = RECKON_UNBOUNDED;
    high = 0;
    for (guint i = 0; i < e->n_members; i++) {
      const ReckonRange *r = &e->members[i].range;
      low = MIN(low, r->low);
      high = MAX(high, r->high == RECKON_UNBOUNDED ? r->figure : r->high);
    }
  }
  e->low = low;
  e->high = high;
}

/* Quantile @q of the claims' bounds; an unbounded high sorts above all. */
static guint64 bound_quantile(const ReckonEstimate *e, double *buf, gboolean highs, double q)
{
  guint n = e->n_members;
  for (guint i = 0; i < n; i++) {
    const ReckonRange *r = &e->members[i].range;
    buf[i] = highs ? (r->high == RECKON_UNBOUNDED ? INFINITY : (double)r->high) : (double)r->low;
  }
  gsl_sort(buf, 1, n);
  /* GSL interpolates between neighbours; towards an open bound that gives
   * infinity (or NaN when the weight is zero), so take exact hits directly:
   * any open claim inside the upper tail leaves the estimate open. */
  double idx = (n - 1) * q;
  double v = idx == floor(idx) ? buf[(guint)idx] : gsl_stats_quantile_from_sorted_data(buf, 1, n, q);
  if (isinf(v) || isnan(v))
    return RECKON_UNBOUNDED;
  return highs ? (guint64)ceil(v) : (guint64)floor(v);
}

static void method_median(ReckonEstimate *e, double *buf)
{
  double tail = (1.0 - e->level) / 2.0;
  e->low = bound_quantile(e, buf, FALSE, tail);
  e->high = bound_quantile(e, buf, TRUE, 1.0 - tail);
  if (e->high != RECKON_UNBOUNDED && e->high < e->low)
    e->high = e->low;
}

void estimate_compute(ReckonEstimate *e, const ReckonOptions *opts)
{
  double stack[64];
  double *buf = e->n_members <= G_N_ELEMENTS(stack) ? stack : g_new(double, e->n_members);

  e->flags = 0;
  gboolean conflict = mark_conflicts(e);
  if (conflict)
    e->flags |= RECKON_FLAG_CONFLICT;

  GHashTable *sources = g_hash_table_new(g_str_hash, g_str_equal);
  for (guint i = 0; i < e->n_members; i++)
    g_hash_table_add(sources, (gpointer)e->claims[i]->source_key);
  e->n_sources = g_hash_table_size(sources);
  g_hash_table_unref(sources);
  if (e->n_sources == 1) {
    e->flags |= RECKON_FLAG_SINGLE_SOURCE;
    for (guint i = 0; i < e->n_members; i++)
      e->members[i].flags |= RECKON_FLAG_SINGLE_SOURCE;
  }

  switch (opts->method) {
  case RECKON_METHOD_MEDIAN:
    method_median(e, buf);
    break;
  case RECKON_METHOD_INTERVAL:
  default:
    method_interval(e, conflict);
    break;
  }
  e->best = clamp(median_figure(e, buf), e->low, e->high);
  if (buf != stack)
    g_free(buf);
}

void estimate_clear(ReckonEstimate *e)
{
  g_free(e->members);
  g_free(e->claims);
  memset(e, 0, sizeof *e);
}

static void append_count(GString *out, guint64 v)
{
  if (v == RECKON_UNBOUNDED)
    g_string_append(out, "open");
  else
    g_string_append_printf(out, "%" G_GUINT64_FORMAT, v);
}

static void append_range(GString *out, const ReckonRange *r)
{
  if (r->high == RECKON_UNBOUNDED)
    g_string_append_printf(out, "%" G_GUINT64_FORMAT " or more", r->low);
  else if (r->low == r->high)
    g_string_append_printf(out, "exactly %" G_GUINT64_FORMAT, r->low);
  else
    g_string_append_printf(out, "%" G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT, r->low, r->high);
}

/* The id of the member whose low (or high) is @value, first in output order. */
static const char *member_with(const ReckonEstimate *e, gboolean high, guint64 value)
{
  for (guint i = 0; i < e->n_members; i++) {
    const ReckonRange *r = &e->members[i].range;
    guint64 v = high ? (r->high == RECKON_UNBOUNDED ? r->figure : r->high) : r->low;
    if (v == value)
      return e->members[i].id;
  }
  return "?";
}

void estimate_explain(const ReckonEstimate *e, const ReckonOptions *opts, GString *out)
{
  g_string_append_printf(out, "%s%s%s: best ", e->metric, e->who ? " / " : "", e->who ? e->who : "");
  g_string_append_printf(out, "%g, low ", e->best);
  append_count(out, e->low);
  g_string_append(out, ", high ");
  append_count(out, e->high);
  g_string_append_printf(out, " (%s method)\n", reckon_method_to_string(opts->method));

  g_string_append(out, "  Claims:\n");
  for (guint i = 0; i < e->n_members; i++) {
    const ReckonMember *m = &e->members[i];
    g_string_append_printf(out, "    %s (%s) said \"%s\": ", m->id, m->source, m->value);
    append_range(out, &m->range);
    g_string_append_printf(out, ", %s; role %s", reckon_kind_to_string(m->range.kind),
                           reckon_role_to_string(m->role));
    if (m->flags & RECKON_FLAG_CONFLICT)
      g_string_append(out, "; contradicts another claim");
    g_string_append_c(out, '\n');
  }

  gboolean conflict = (e->flags & RECKON_FLAG_CONFLICT) != 0;
  if (opts->method == RECKON_METHOD_MEDIAN) {
    g_string_append_printf(out, "  Low and high are the %g and %g quantiles of the claims' lower and upper bounds",
                           (1 - e->level) / 2, (1 + e->level) / 2);
    g_string_append(out, e->high == RECKON_UNBOUNDED ? "; an open claim in the upper tail leaves high open.\n"
                                                     : ".\n");
  } else if (!conflict) {
    g_string_append_printf(out, "  All claims can be true at once: low is the largest lower bound (%s)",
                           member_with(e, FALSE, e->low));
    if (e->high == RECKON_UNBOUNDED)
      g_string_append(out, " and no claim caps the count.\n");
    else
      g_string_append_printf(out, ", high the smallest upper bound (%s).\n", member_with(e, TRUE, e->high));
  } else {
    g_string_append_printf(out, "  The claims cannot all be true, so the range is their hull: the lowest lower "
                                "bound (%s) to the highest stated figure (%s).\n",
                           member_with(e, FALSE, e->low), member_with(e, TRUE, e->high));
  }
  if (e->n_members == 1)
    g_string_append(out, "  Best is the claim's figure.\n");
  else
    g_string_append_printf(out, "  Best is the median of the %u claims' figures, kept within the range.\n",
                           e->n_members);

  if (conflict) {
    g_string_append(out, "  conflict: ");
    gboolean first = TRUE;
    for (guint i = 0; i < e->n_members; i++)
      if (e->members[i].flags & RECKON_FLAG_CONFLICT) {
        g_string_append_printf(out, "%s%s", first ? "" : ", ", e->members[i].id);
        first = FALSE;
      }
    g_string_append(out, " state ranges that do not overlap with another claim's.\n");
  }
  if (e->flags & RECKON_FLAG_SINGLE_SOURCE)
    g_string_append_printf(out, "  single_source: every claim comes from %s.\n", e->members[0].source);
}
