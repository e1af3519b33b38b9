/*
 * estimate.c - the estimation stage: the claims of one incident, metric
 * and sub-population become low, best and high, each claim gets its role
 * and weight, and flags say where the sources disagree.  roles.c has
 * already found echoes and superseded counts; reliability.c calls
 * estimate_compute() once per round; bounds.c checks parts against totals
 * afterwards.
 *
 * Methods (README "Estimators"):
 *   bayes     the posterior over the true count (bayes.c); best its median,
 *             low and high its quantiles at the level.
 *   interval  low is the largest lower bound and high the smallest upper
 *             bound, when every claim can be true at once; otherwise the
 *             hull of the claims (the lowest low to the highest stated
 *             figure), as Iraq Body Count publishes min-max ranges.
 *   median    low and high are the (1-level)/2 and (1+level)/2 quantiles of
 *             the claims' lower and upper bounds.
 *   acled     the most conservative figure, as ACLED codes one number.
 * In the last three, best is the median of the figures of the claims in
 * play, clamped into [low, high]; an echo counts once and a superseded
 * count only as a lower bound.
 */
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <string.h>

#include "engine-private.h"
#include "parallel.h"

/* An estimate is wide when high is more than this times low (and more
 * than WIDE_SLACK above it, so 0-2 or 1-3 are not "wide"). */
#define WIDE_RATIO 2
#define WIDE_SLACK 2
/* A claim outside the estimate that is more likely wild than not (not even
 * in the ballpark) is judged false; a false figure near the others is a
 * disagreement, left to the conflict flag. */
#define OUTLIER_WILD 0.5
/* A claim less likely honest than this does not replace earlier counts;
 * finding such claims takes at most a few passes. */
#define DOUBTFUL 0.5
#define MAX_PASSES 3

/* Assigns @e's roles in its info[], before reliabilities. */
static void estimate_prepare(ReckonEstimate *e, const ReckonRules *rules)
{
  e->cumulative = rules_metric_cumulative(rules, estimate_metric(e));
  roles_assign(e); /* which also counts the sources */
  e->roles_doubted = FALSE;
}

typedef struct {
  GArray *estimates;
  const ReckonRules *rules;
} Prepare;

static void prepare_block(guint from, guint to, gpointer worker, gpointer data)
{
  (void)worker;
  const Prepare *p = data;
  for (guint i = from; i < to; i++)
    estimate_prepare(&g_array_index(p->estimates, ReckonEstimate, i), p->rules);
}

/* Estimates taken at a time by a thread in estimate_prepare_all(), and
 * below how many (a window of --stream, often) it stays on one thread. */
#define PREPARE_BLOCK 256
#define PREPARE_SHARE_MIN 1024

/* A member's flags are kept in a byte (engine->marks): a ninth flag
 * needs a wider mark. */
G_STATIC_ASSERT(RECKON_FLAG_COUNT <= 8);

void estimate_prepare_all(ReckonEngine *engine)
{
  /* The estimates' infos in one block, in estimate order: one allocation
   * rather than one an estimate, and the learning step, which goes
   * through them all in every round, reads them in order. */
  guint n = engine->estimates->len;
  gsize n_members = 0;
  for (guint i = 0; i < n; i++)
    n_members += g_array_index(engine->estimates, ReckonEstimate, i).n_members;
  g_free(engine->infos);
  g_free(engine->marks);
  engine->infos = g_new0(MemberInfo, MAX(n_members, 1));
  engine->marks = g_new0(guint8, MAX(n_members, 1));
  gsize at = 0;
  for (guint i = 0; i < n; i++) {
    ReckonEstimate *e = &g_array_index(engine->estimates, ReckonEstimate, i);
    e->info = engine->infos + at;
    e->marks = engine->marks + at;
    at += e->n_members;
  }
  /* Each estimate's roles rest on its own claims alone. */
  Prepare p = {engine->estimates, engine->rules};
  guint n_threads = parallel_threads_for(&engine->opts, n, PREPARE_SHARE_MIN);
  parallel_run(n, parallel_block(n, n_threads, PREPARE_BLOCK), n_threads, NULL, prepare_block, &p);
}

/* Not an echo, not revised, not superseded: a claim in play. */
static gboolean in_play(const ReckonEstimate *e, guint i)
{
  const MemberInfo *m = &e->info[i];
  return m->echo_of < 0 && m->revised_by < 0 && m->superseded_by < 0;
}

/* Marks (with @flag) every member of @idx whose range is disjoint from
 * another's.  Member i conflicts with another iff its low is above the
 * smallest high of the others, or its high below the largest low of the
 * others; keeping the two extreme claims on each side makes that O(n). */
static gboolean mark_conflicts(ReckonEstimate *e, const guint *idx, guint n)
{
  if (n < 2)
    return FALSE;
  guint lo1 = 0, lo2 = G_MAXUINT, hi1 = 0, hi2 = G_MAXUINT; /* positions in idx */
#define R(k) member_range(e, idx[k])
  for (guint k = 1; k < n; k++) {
    if (R(k)->low > R(lo1)->low) {
      lo2 = lo1;
      lo1 = k;
    } else if (lo2 == G_MAXUINT || R(k)->low > R(lo2)->low) {
      lo2 = k;
    }
    if (R(k)->high < R(hi1)->high) {
      hi2 = hi1;
      hi1 = k;
    } else if (hi2 == G_MAXUINT || R(k)->high < R(hi2)->high) {
      hi2 = k;
    }
  }
  gboolean any = FALSE;
  for (guint k = 0; k < n; k++) {
    guint64 max_low_others = R(k == lo1 ? lo2 : lo1)->low;
    guint64 min_high_others = R(k == hi1 ? hi2 : hi1)->high;
    if (R(k)->low > min_high_others || R(k)->high < max_low_others) {
      e->marks[idx[k]] |= RECKON_FLAG_CONFLICT;
      any = TRUE;
    }
  }
#undef R
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

/* What the simple methods combine: the claims in play, and superseded
 * counts as floors. */
typedef struct {
  ReckonRange *ranges;
  guint n;
  double *buf;   /* n doubles of scratch */
  double *figures; /* the figures of the claims in play, sorted */
  guint n_figures;
} Evidence;

static void evidence_init(Evidence *ev, const ReckonEstimate *e)
{
  ev->ranges = g_new(ReckonRange, e->n_members);
  ev->buf = g_new(double, e->n_members);
  ev->figures = g_new(double, e->n_members);
  ev->n = ev->n_figures = 0;
  for (guint i = 0; i < e->n_members; i++) {
    const MemberInfo *m = &e->info[i];
    if (m->echo_of >= 0 || m->revised_by >= 0)
      continue;
    ReckonRange r = *member_range(e, i);
    if (m->superseded_by >= 0) {
      r.high = RECKON_UNBOUNDED;
      r.figure = r.low;
      r.kind = RECKON_KIND_AT_LEAST;
    } else {
      /* GSL wants doubles, which hold counts up to 10^12 exactly. */
      ev->figures[ev->n_figures++] = (double)r.figure;
    }
    ev->ranges[ev->n++] = r;
  }
  gsl_sort(ev->figures, 1, ev->n_figures);
}

static void evidence_clear(Evidence *ev)
{
  g_free(ev->ranges);
  g_free(ev->buf);
  g_free(ev->figures);
}

static void method_interval(ReckonEstimate *e, const Evidence *ev)
{
  guint64 low = 0, high = RECKON_UNBOUNDED;
  for (guint i = 0; i < ev->n; i++) {
    low = MAX(low, ev->ranges[i].low);
    high = MIN(high, ev->ranges[i].high);
  }
  if (low > high) {
    /* The hull of what the sources said: an open range contributes its
     * stated figure to the top, since nothing asserts more than that. */
    low = RECKON_UNBOUNDED;
    high = 0;
    for (guint i = 0; i < ev->n; i++) {
      const ReckonRange *r = &ev->ranges[i];
      low = MIN(low, r->low);
      high = MAX(high, r->high == RECKON_UNBOUNDED ? r->figure : r->high);
    }
  }
  e->low = low;
  e->high = high;
}

/* Quantile @q of the evidence's bounds; an unbounded high sorts above all. */
static guint64 bound_quantile(const Evidence *ev, gboolean highs, double q)
{
  guint n = ev->n;
  double *buf = ev->buf;
  for (guint i = 0; i < n; i++) {
    const ReckonRange *r = &ev->ranges[i];
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

static void method_median(ReckonEstimate *e, const Evidence *ev)
{
  double tail = (1.0 - e->level) / 2.0;
  e->low = bound_quantile(ev, FALSE, tail);
  e->high = bound_quantile(ev, TRUE, 1.0 - tail);
  if (e->high != RECKON_UNBOUNDED && e->high < e->low)
    e->high = e->low;
}

static void simple_methods(ReckonEstimate *e, ReckonMethod method)
{
  Evidence ev;
  evidence_init(&ev, e);
  double median = gsl_stats_median_from_sorted_data(ev.figures, 1, ev.n_figures);
  switch (method) {
  case RECKON_METHOD_ACLED:
    /* The smallest figure of a claim in play is the most conservative. */
    e->low = e->high = (guint64)ev.figures[0];
    break;
  case RECKON_METHOD_MEDIAN:
    method_median(e, &ev);
    break;
  case RECKON_METHOD_INTERVAL:
  default:
    method_interval(e, &ev);
    break;
  }
  e->best = clamp(median, e->low, e->high);
  evidence_clear(&ev);
}

static gboolean disjoint_from_estimate(const ReckonEstimate *e, const ReckonRange *r)
{
  return r->high < e->low || (e->high != RECKON_UNBOUNDED && r->low > e->high);
}

/* Flags of up to this many members live on the stack, not the heap: most
 * estimates have a few claims, and are estimated in every round. */
#define STACK_MEMBERS 64

/* @n flags, cleared: in @stack (STACK_MEMBERS of them) when they fit,
 * else on the heap.  Only the @n are cleared: clearing all of @stack,
 * three times an estimate, was a fifth of estimate_compute()'s own time. */
static gboolean *new_flags(gboolean *stack, guint n)
{
  return n <= STACK_MEMBERS ? memset(stack, 0, n * sizeof *stack) : g_new0(gboolean, n);
}

/* The bayes method.  A later claim only replaces an earlier count if it is
 * itself believed: when a superseding or revising claim comes out more
 * likely false than honest, roles are assigned again without it.  While
 * learning, only the members' info is computed (the rounds read nothing
 * else), not their roles in @outlier.  A member's weight is its rho when
 * it counts (members_record()). */
static void method_bayes(ReckonEstimate *e, gboolean *outlier, BayesWork *work)
{
  guint n = e->n_members;
  gboolean learning = bayes_work_learning(work);
  gboolean stack[STACK_MEMBERS];
  gboolean *doubtful = new_flags(stack, n);
  /* Roles rest on the claims alone, not on reliabilities: estimate_prepare()
   * assigned them, and only a round that doubted a claim changed them. */
  if (e->roles_doubted) {
    roles_reassign(e, NULL);
    e->roles_doubted = FALSE;
  }
  for (int pass = 0;; pass++) {
    bayes_estimate(e, work);
    gboolean again = FALSE;
    for (guint i = 0; i < n; i++) {
      const MemberInfo *m = &e->info[i];
      if (!learning)
        outlier[i] = in_play(e, i) && m->wild > OUTLIER_WILD && disjoint_from_estimate(e, member_range(e, i));
      gint by = m->superseded_by >= 0 ? m->superseded_by : m->revised_by;
      if (by >= 0 && e->info[by].rho < DOUBTFUL && !doubtful[by])
        again = doubtful[by] = TRUE;
    }
    if (!again || pass == MAX_PASSES)
      break;
    roles_reassign(e, doubtful);
    e->roles_doubted = TRUE;
  }
  if (doubtful != stack)
    g_free(doubtful);
}

static gboolean is_wide(guint64 low, guint64 high)
{
  return high == RECKON_UNBOUNDED || (high > WIDE_RATIO * low && high - low > WIDE_SLACK);
}

static void flag_members(ReckonEstimate *e, ReckonFlags flag, const gboolean *which)
{
  for (guint i = 0; i < e->n_members; i++)
    if (which[i])
      e->marks[i] |= flag;
}

ReckonRole estimate_member_role(const ReckonEstimate *e, guint i)
{
  const MemberInfo *m = &e->info[i];
  if (m->echo_of >= 0)
    return RECKON_ROLE_ECHO;
  if (m->superseded_by >= 0 || m->revised_by >= 0)
    return RECKON_ROLE_SUPERSEDED;
  /* Only an outlier carries the outlier flag (finish()). */
  return e->marks[i] & RECKON_FLAG_OUTLIER ? RECKON_ROLE_OUTLIER : RECKON_ROLE_USED;
}

/* Roles and flags from what the method found, in the members' marks: a
 * member's role follows from its info and its outlier mark
 * (estimate_member_role()). */
static void finish(ReckonEstimate *e, const gboolean *outlier)
{
  guint n = e->n_members;
  gboolean stack_mark[STACK_MEMBERS];
  guint stack_credible[STACK_MEMBERS];
  gboolean *mark = new_flags(stack_mark, n);
  guint *credible = n <= STACK_MEMBERS ? stack_credible : g_new(guint, n);
  guint n_credible = 0;
  gboolean any_echo = FALSE, any_superseded = FALSE, any_outlier = FALSE, all_vague = TRUE;
  for (guint i = 0; i < n; i++) {
    const MemberInfo *m = &e->info[i];
    all_vague = all_vague && member_range(e, i)->kind == RECKON_KIND_VAGUE;
    if (m->echo_of >= 0) {
      e->marks[i] |= RECKON_FLAG_ECHO;
      any_echo = TRUE;
    } else if (m->superseded_by >= 0 || m->revised_by >= 0) {
      e->marks[i] |= RECKON_FLAG_SUPERSEDED;
      any_superseded = TRUE;
    } else if (outlier[i]) {
      e->marks[i] |= RECKON_FLAG_OUTLIER;
      any_outlier = TRUE;
    } else {
      credible[n_credible++] = i;
    }
  }
  if (any_echo)
    e->flags |= RECKON_FLAG_ECHO;
  if (any_superseded)
    e->flags |= RECKON_FLAG_SUPERSEDED;
  if (any_outlier)
    e->flags |= RECKON_FLAG_OUTLIER;

  gboolean conflict = mark_conflicts(e, credible, n_credible);
  /* A toll that shrank: a later count of one origin below its earlier one. */
  for (guint i = 0; i < n; i++) {
    gint prev = e->info[i].later_lower;
    if (prev >= 0) {
      e->marks[i] |= RECKON_FLAG_CONFLICT;
      e->marks[prev] |= RECKON_FLAG_CONFLICT;
      conflict = TRUE;
    }
  }
  if (conflict)
    e->flags |= RECKON_FLAG_CONFLICT;

  if (e->n_sources == 1) {
    e->flags |= RECKON_FLAG_SINGLE_SOURCE;
    for (guint i = 0; i < n; i++)
      mark[i] = TRUE;
    flag_members(e, RECKON_FLAG_SINGLE_SOURCE, mark);
  }
  if (all_vague) {
    e->flags |= RECKON_FLAG_VAGUE_ONLY;
    for (guint i = 0; i < n; i++)
      mark[i] = TRUE;
    flag_members(e, RECKON_FLAG_VAGUE_ONLY, mark);
  }
  if (is_wide(e->low, e->high)) {
    /* Caused by claims that are wide themselves, else by the spread
     * between the lowest and the highest figure. */
    e->flags |= RECKON_FLAG_WIDE;
    gboolean any = FALSE;
    gint lowest = -1, highest = -1;
    for (guint k = 0; k < n_credible; k++) {
      guint i = credible[k];
      const ReckonRange *r = member_range(e, i);
      mark[i] = is_wide(r->low, r->high);
      any = any || mark[i];
      if (lowest < 0 || r->figure < member_range(e, lowest)->figure)
        lowest = (gint)i;
      if (highest < 0 || r->figure > member_range(e, highest)->figure)
        highest = (gint)i;
    }
    if (any) {
      for (guint k = 0; k < n_credible; k++)
        if (mark[credible[k]])
          e->marks[credible[k]] |= RECKON_FLAG_WIDE;
    } else if (lowest >= 0) {
      e->marks[lowest] |= RECKON_FLAG_WIDE;
      e->marks[highest] |= RECKON_FLAG_WIDE;
    }
  }
  if (credible != stack_credible) {
    g_free(credible);
    g_free(mark);
  }
}

void estimate_compute(ReckonEstimate *e, const ReckonOptions *opts, BayesWork *work)
{
  e->flags = 0;
  e->method = opts->method;
  gboolean stack[STACK_MEMBERS];
  gboolean *outlier = new_flags(stack, e->n_members);
  gboolean learning = FALSE;
  if (opts->method == RECKON_METHOD_BAYES) {
    method_bayes(e, outlier, work);
    learning = bayes_work_learning(work);
    if (!learning) {
      /* Nothing computes this estimate again but explain and tests, which
       * can do without its seeds. */
      g_free(e->seeds);
      e->seeds = NULL;
    }
  } else {
    simple_methods(e, opts->method);
  }
  /* A learning round's estimate only teaches its claims' weights and is
   * computed again after learning: roles and flags wait until then. */
  if (!learning) {
    memset(e->marks, 0, e->n_members);
    finish(e, outlier);
  }
  if (outlier != stack)
    g_free(outlier);
}

void estimate_clear(ReckonEstimate *e)
{
  g_free(e->members);
  if (e->bounded)
    g_free(e->bounded->note);
  g_free(e->bounded);
  g_free(e->seeds);
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

/* "id (as of DATE)" */
static void append_claim_ref(GString *out, const ReckonEstimate *e, gint i)
{
  char *when = date_span_format(&e->claims[i]->as_of);
  g_string_append_printf(out, "%s%s%s%s", e->members[i].id, when[0] ? " (as of " : "", when,
                         when[0] ? ")" : "");
  g_free(when);
}

/* The ids of the members carrying @flag, comma-separated. */
static void append_flagged(GString *out, const ReckonEstimate *e, ReckonFlags flag)
{
  gboolean first = TRUE;
  for (guint i = 0; i < e->n_members; i++)
    if (e->members[i].flags & flag) {
      g_string_append_printf(out, "%s%s", first ? "" : ", ", e->members[i].id);
      first = FALSE;
    }
}

/* Why member @i has its role, in words. */
static void explain_role(const ReckonEngine *engine, const ReckonEstimate *e, guint i, GString *out)
{
  const MemberInfo *m = &e->info[i];
  const ReckonMember *mem = &e->members[i];
  g_string_append_printf(out, "      Role %s, weight %.2f", reckon_role_to_string(mem->role), mem->weight);
  if (m->echo_of >= 0) {
    g_string_append(out, ": it repeats ");
    append_claim_ref(out, e, m->echo_of);
    g_string_append_printf(out, " of the same origin (%s), which is counted once.\n", mem->origin);
    return;
  }
  if (m->revised_by >= 0) {
    g_string_append(out, ": its own origin gave a newer count later, in ");
    append_claim_ref(out, e, m->revised_by);
    g_string_append(out, ", which replaces it.\n");
    return;
  }
  if (m->superseded_by >= 0) {
    g_string_append(out, ": tolls of this metric only grow, and a later claim, ");
    append_claim_ref(out, e, m->superseded_by);
    g_string_append_printf(out, ", puts the count at %" G_GUINT64_FORMAT " or more; so this early count is "
                           "not a contradiction but ", e->members[m->superseded_by].range.low);
  } else if (mem->role == RECKON_ROLE_OUTLIER) {
    g_string_append(out, ": judged false, since its range lies outside the estimate and the other claims "
                         "make it unlikely to be honest; it stood for ");
  } else {
    g_string_append(out, ": ");
  }
  if (e->method == RECKON_METHOD_BAYES) {
    bayes_explain_member(e, i, out);
  } else {
    g_string_append(out, m->superseded_by >= 0 ? "a lower bound of " : "the range ");
    append_range(out, &mem->range);
  }
  g_string_append(out, ".\n");
  if (m->later_lower >= 0) {
    g_string_append(out, "      It is lower than an earlier count of its own origin, ");
    append_claim_ref(out, e, m->later_lower);
    g_string_append(out, ": a toll that shrank, which is suspicious.\n");
  }
}

static void explain_method(const ReckonEngine *engine, const ReckonEstimate *e, GString *out)
{
  double lo_q = (1 - e->level) / 2, hi_q = (1 + e->level) / 2;
  switch (e->method) {
  case RECKON_METHOD_BAYES: {
    Fused fused = estimate_fused(e);
    guint counted = 0;
    for (guint i = 0; i < e->n_members; i++)
      counted += e->info[i].echo_of < 0 && e->info[i].revised_by < 0;
    if (counted == 1)
      g_string_append(out, "  How: a claim alone has nothing to contradict it, so it is taken at its word:\n"
                           "  its likelihood (above) over the true count");
    else
      g_string_append(out,
          "  How: each claim in play is a likelihood over the true count (above), honest with its\n"
          "  source's reliability and otherwise false (mostly in the ballpark, sometimes wild), so no\n"
          "  single claim can drag the estimate.  Their product over the counts the claims allow");
    g_string_append_printf(out, " has\n  its median at %g (best) and its %g and %g quantiles at %" G_GUINT64_FORMAT
                           " (low) and ", fused.best, lo_q, hi_q, fused.low);
    append_count(out, fused.high);
    g_string_append_printf(out, " (high)%s.\n  Reliabilities", fused.low != e->low || fused.high != e->high ? ", before the parts and totals below" : "");
    g_string_append_printf(out, " were learned across the run's %u estimate%s in %u "
                           "round%s (see 'reckon sources').\n", engine->estimates->len,
                           engine->estimates->len == 1 ? "" : "s", engine->rounds,
                           engine->rounds == 1 ? "" : "s");
    break;
  }
  case RECKON_METHOD_MEDIAN:
    g_string_append_printf(out, "  Low and high are the %g and %g quantiles of the claims' lower and upper bounds%s",
                           lo_q, hi_q, e->high == RECKON_UNBOUNDED ? "; an open claim in the upper tail leaves high open.\n" : ".\n");
    break;
  case RECKON_METHOD_ACLED:
    g_string_append(out, "  The most conservative figure of the claims in play, as ACLED codes one number.\n");
    break;
  case RECKON_METHOD_INTERVAL:
  default:
    if (e->flags & RECKON_FLAG_CONFLICT)
      g_string_append(out, "  The claims cannot all be true, so the range is their hull: the lowest lower bound "
                           "to the highest stated figure.\n");
    else
      g_string_append(out, "  All claims can be true at once: low is the largest lower bound and high the smallest "
                           "upper bound (open when no claim caps the count).\n");
    break;
  }
  if (e->method != RECKON_METHOD_BAYES && e->method != RECKON_METHOD_ACLED)
    g_string_append(out, "  Best is the median of the figures of the claims in play, kept within the range.\n");
}

static void explain_flags(const ReckonEstimate *e, GString *out)
{
  static const struct {
    ReckonFlags flag;
    const char *why;
  } words[] = {
    {RECKON_FLAG_CONFLICT, "credible claims whose ranges cannot both be true, or a toll lower than "
                           "its own origin's earlier count"},
    {RECKON_FLAG_OUTLIER, "claims judged false"},
    {RECKON_FLAG_SUPERSEDED, "early counts replaced by later ones"},
    {RECKON_FLAG_ECHO, "claims that repeat an origin already counted"},
    {RECKON_FLAG_WIDE, "what leaves the range wide: high more than twice low, or open"},
  };
  for (gsize k = 0; k < G_N_ELEMENTS(words); k++)
    if (e->flags & words[k].flag) {
      g_string_append_printf(out, "  %s (%s): ", reckon_flag_to_string(words[k].flag), words[k].why);
      append_flagged(out, e, words[k].flag);
      g_string_append(out, ".\n");
    }
  if (e->flags & RECKON_FLAG_SINGLE_SOURCE)
    g_string_append_printf(out, "  single_source: every claim comes from %s.\n", e->members[0].origin);
  if (e->flags & RECKON_FLAG_VAGUE_ONLY)
    g_string_append(out, "  vague_only: every claim is a vague word, so the range is the words' range.\n");
}

void estimate_explain(const ReckonEngine *engine, const ReckonEstimate *e, GString *out)
{
  members_get(e); /* the explainers below read e->members */
  const char *who = estimate_who(e);
  g_string_append_printf(out, "%s%s%s: best %g, low ", estimate_metric(e), who ? " / " : "", who ? who : "",
                         e->best);
  append_count(out, e->low);
  g_string_append(out, ", high ");
  append_count(out, e->high);
  g_string_append_printf(out, " (%s method, level %g)\n", reckon_method_to_string(e->method), e->level);
  g_string_append_printf(out, "  Claims: %u from %u source%s, %u independent origin%s%s.\n", e->n_members,
                         e->n_sources, e->n_sources == 1 ? "" : "s", e->n_origins,
                         e->n_origins == 1 ? "" : "s",
                         e->cumulative ? "; the metric is cumulative, so tolls only grow" : "");
  for (guint i = 0; i < e->n_members; i++) {
    const ReckonMember *m = &e->members[i];
    const ReckonSource *s = reckon_engine_source(engine, (guint)e->info[i].source);
    char *when = date_span_format(&e->claims[i]->as_of);
    g_string_append_printf(out, "    %s: %s (%s, reliability %.2f) said \"%s\"%s%s: ", m->id, m->source,
                           s->kind, e->info[i].r, m->value, when[0] ? ", true as of " : "", when);
    append_range(out, &m->range);
    g_string_append_printf(out, " (%s).\n", reckon_kind_to_string(m->range.kind));
    g_free(when);
    explain_role(engine, e, i, out);
  }
  explain_method(engine, e, out);
  explain_flags(e, out);
  if (estimate_note(e))
    g_string_append(out, estimate_note(e));
}
