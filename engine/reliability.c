/*
 * reliability.c - learning across incidents: how reliable each source is,
 * how far its honest figures stray (its spread) and how it runs (its bias),
 * by an EM loop in the spirit of the truth-discovery methods CRH, CATD and
 * GTM.  engine.c calls it after grouping; it drives estimate.c over all
 * estimates and, between rounds, re-learns every source from the weights
 * the bayes estimator gave its claims.
 *
 *   E step  every estimate's posterior, given the current reliabilities,
 *           says how likely each claim is honest (rho) and how likely wild.
 *   M step  a source's reliability is the mean rho of its claims, with its
 *           kind's prior (rules/sources) counting as a few claims, so a
 *           source seen once is not judged on one claim; its spread is the
 *           rho-weighted root mean square of the log ratios of its figures
 *           to the estimates, shrunk towards its kind's the same way.  Each
 *           claim is weighed with what its source showed in the other
 *           estimates (leave one out), so a run of one incident stays with
 *           the priors instead of feeding on its own verdict.
 *
 * The bias (the mean log ratio, for figures not judged wild) is reported,
 * not applied: a scale that every source could share has no anchor, and
 * reading figures up or down by a learned ratio lets an estimate drift
 * towards whichever source runs furthest.  Early counts of a growing toll
 * are measured against what they were expected to say, not the final toll.
 *
 * Only claims that could be checked count: those in estimates with at
 * least two independent origins still in play.  Rounds stop when no
 * reliability or spread moves by more than SETTLED, and only estimates
 * whose sources moved are estimated again.  Plain EM creeps: a large
 * source's reliability moves by a steady fraction (about 0.8) of its last
 * step, so a fixed tolerance stopped it far from where it was heading and
 * 15 rounds did not settle; steady steps are therefore extrapolated to
 * their limit, and a claim whose parameters turn back after SETTLE_AFTER
 * rounds keeps them (a few small sources flip between two states as an
 * estimate's median jumps between the modes of its posterior).  Learning rounds estimate on
 * bayes.c's coarse grid, which gives the claims' weights but not quantiles
 * to a count; one last round estimates everything on the full grid with
 * what was learned.  A round's estimates are shared out among threads
 * (ReckonOptions.threads), and so is the M step between rounds: which
 * estimates are judged and every claim's update run on the threads, the
 * sums on one, in estimate order, so that the results
 * are the same bits for any number of threads.  The claims of estimates
 * with one origin, which none judges, move in runs of a source's claims
 * that move alike, once a run, on one thread.  The source table is built
 * the same way: each thread finds the sources of a piece of the estimates,
 * and the pieces are put together in order.
 */
#include <math.h>
#include <string.h>

#include "engine-private.h"
#include "parallel.h"
#include "reckon/error.h"
#include "table.h"

#define MAX_ROUNDS RELIABILITY_MAX_ROUNDS
#define SETTLED RELIABILITY_SETTLED
/* Rounds after which a claim's parameters that turn back are kept. */
#define SETTLE_AFTER 6
/* Steps that shrink by at most this ratio are extrapolated to their limit. */
#define MAX_RATIO 0.8
/* How many claims' worth a bias prior of "none" counts as. */
#define BIAS_PRIOR_WEIGHT 4.0
/* How many claims' worth a kind's prior spread counts as. */
#define SPREAD_PRIOR_WEIGHT 4.0
/* A loaded table's evidence is capped, so new runs can still move it. */
#define LOADED_CAP 100

void source_prior_free(gpointer prior)
{
  g_free(prior);
}

static int compare_stats(gconstpointer pa, gconstpointer pb)
{
  const SourceStat *a = pa, *b = pb;
  int c = strcmp(a->pub.name, b->pub.name);
  return c ? c : strcmp(a->key, b->key);
}

/* Sets @s's prior from its kind (@unknown for a source no rule names) and
 * from the loaded table, if any. */
static void set_prior(const ReckonEngine *engine, SourceStat *s, const SourceKind *unknown)
{
  const Sources *rules = engine->rules->sources;
  const SourceRule *rule = sources_rule(rules, s->key);
  const SourceKind *kind = rule ? rule->kind : unknown;
  s->pub.kind = kind->name;
  s->pub.prior = kind->reliability;
  s->prior_weight = kind->weight;
  s->prior_spread = s->pub.spread = kind->spread;
  s->prior_log_bias = 0;
  s->bias_weight = BIAS_PRIOR_WEIGHT;
  const SourcePrior *loaded = engine->priors ? g_hash_table_lookup(engine->priors, s->key) : NULL;
  if (loaded) {
    double w = MIN(loaded->judged, LOADED_CAP);
    s->pub.prior = loaded->reliability;
    s->prior_weight += w;
    s->prior_log_bias = log(loaded->bias);
    s->bias_weight += w;
    s->prior_spread = s->pub.spread = loaded->spread;
  }
  s->pub.reliability = s->pub.prior;
  s->pub.bias = exp(s->prior_log_bias);
}

/* A source as one piece of the estimates first sees it. */
typedef struct {
  const char *key;
  const char *name;     /* the source name of its first claim in the piece */
  const char *smallest; /* the smallest spelling of its claims in the piece */
  guint claims;
} Seen;

/* A run of estimates whose members' sources are found on one thread: each
 * member's info.source is first its source's index among @seen, then its
 * index in the engine's table through @to_final. */
typedef struct {
  guint from, to;
  GHashTable *index; /* source key (interned, by address) -> index + 1 in @seen */
  GArray *seen;      /* of Seen, in the order the piece first sees them */
  guint n_seen;
  guint *to_final;   /* n_seen */
} SourcePiece;

typedef struct {
  ReckonEngine *engine;
  SourcePiece *pieces;
} SourcePass;

static void find_sources(guint from, guint to, gpointer worker, gpointer data)
{
  (void)worker;
  const SourcePass *pass = data;
  GArray *estimates = pass->engine->estimates;
  for (guint p = from; p < to; p++) {
    SourcePiece *piece = &pass->pieces[p];
    piece->index = g_hash_table_new(g_direct_hash, g_direct_equal);
    piece->seen = g_array_new(FALSE, FALSE, sizeof(Seen));
    for (guint k = piece->from; k < piece->to; k++) {
      ReckonEstimate *e = &g_array_index(estimates, ReckonEstimate, k);
      for (guint i = 0; i < e->n_members; i++) {
        const Claim *c = e->claims[i];
        guint idx = GPOINTER_TO_UINT(g_hash_table_lookup(piece->index, c->source->key));
        if (!idx) {
          Seen seen = {c->source->key, c->source->name, c->source->text, 0};
          g_array_append_val(piece->seen, seen);
          idx = piece->seen->len;
          g_hash_table_insert(piece->index, (gpointer)c->source->key, GUINT_TO_POINTER(idx));
        }
        Seen *seen = &g_array_index(piece->seen, Seen, idx - 1);
        if (c->source->text != seen->smallest && strcmp(c->source->text, seen->smallest) < 0)
          seen->smallest = c->source->text;
        seen->claims++;
        e->info[i].source = (gint)idx - 1;
      }
    }
  }
}

static void set_sources(guint from, guint to, gpointer worker, gpointer data)
{
  (void)worker;
  const SourcePass *pass = data;
  GArray *estimates = pass->engine->estimates, *stats = pass->engine->sources;
  for (guint p = from; p < to; p++) {
    const SourcePiece *piece = &pass->pieces[p];
    for (guint k = piece->from; k < piece->to; k++) {
      ReckonEstimate *e = &g_array_index(estimates, ReckonEstimate, k);
      for (guint i = 0; i < e->n_members; i++) {
        MemberInfo *m = &e->info[i];
        m->source = (gint)piece->to_final[m->source];
        const SourceStat *s = &g_array_index(stats, SourceStat, m->source);
        m->r = s->pub.reliability;
        m->spread = s->pub.spread;
      }
    }
  }
}

/* Below this many estimates the source table is built on one thread. */
#define SOURCES_SHARE_MIN 4096

void reliability_prepare(ReckonEngine *engine)
{
  GArray *stats = engine->sources;
  g_array_set_size(stats, 0);
  g_hash_table_remove_all(engine->source_index);
  const Sources *rules = engine->rules->sources;
  /* The estimates in one piece a thread, each piece's sources found on its
   * thread, then put together in piece order: a source is first seen where
   * it would be going through the estimates in order, and its smallest
   * spelling is the smallest of the pieces', so the table is the same for
   * any number of threads.  Source keys are interned: they are told apart
   * by their addresses, without hashing or comparing the strings. */
  guint n = engine->estimates->len;
  guint n_pieces = parallel_threads_for(&engine->opts, n, SOURCES_SHARE_MIN);
  SourcePiece *pieces = g_new0(SourcePiece, n_pieces);
  for (guint p = 0; p < n_pieces; p++) {
    pieces[p].from = (guint)((guint64)p * n / n_pieces);
    pieces[p].to = (guint)((guint64)(p + 1) * n / n_pieces);
  }
  SourcePass pass = {engine, pieces};
  parallel_run(n_pieces, 1, n_pieces, NULL, find_sources, &pass);
  GHashTable *first_seen = g_hash_table_new(g_direct_hash, g_direct_equal);
  for (guint p = 0; p < n_pieces; p++) {
    SourcePiece *piece = &pieces[p];
    piece->to_final = g_new(guint, MAX(piece->seen->len, 1));
    for (guint j = 0; j < piece->seen->len; j++) {
      const Seen *seen = &g_array_index(piece->seen, Seen, j);
      guint idx = GPOINTER_TO_UINT(g_hash_table_lookup(first_seen, seen->key));
      if (!idx) {
        SourceStat s = {0};
        s.key = seen->key;
        s.pub.name = seen->name;
        g_array_append_val(stats, s);
        idx = stats->len;
        g_hash_table_insert(first_seen, (gpointer)seen->key, GUINT_TO_POINTER(idx));
      }
      SourceStat *s = &g_array_index(stats, SourceStat, idx - 1);
      s->pub.claims += seen->claims;
      /* An unaliased source is named by its smallest spelling, whatever
       * the input order. */
      if (seen->smallest != s->pub.name && !sources_rule(rules, s->key) &&
          strcmp(seen->smallest, s->pub.name) < 0)
        s->pub.name = seen->smallest;
      piece->to_final[j] = idx - 1;
    }
    piece->n_seen = piece->seen->len;
    g_hash_table_unref(piece->index);
    g_array_unref(piece->seen);
  }
  g_hash_table_unref(first_seen);

  /* Sources in name order, so the table and every later step are the same
   * for the same claims in any order. */
  guint n_stats = stats->len;
  guint *old_to_new = g_new(guint, MAX(n_stats, 1));
  for (guint i = 0; i < n_stats; i++)
    g_array_index(stats, SourceStat, i).pub.judged = i; /* old index, briefly */
  g_array_sort(stats, compare_stats);
  /* Looked up once: the name is folded on every lookup. */
  const SourceKind *unknown = sources_kind(rules, "unknown");
  for (guint i = 0; i < n_stats; i++) {
    SourceStat *s = &g_array_index(stats, SourceStat, i);
    old_to_new[s->pub.judged] = i;
    s->pub.judged = 0;
    g_hash_table_insert(engine->source_index, (gpointer)s->key, GUINT_TO_POINTER(i + 1));
    set_prior(engine, s, unknown);
  }
  for (guint p = 0; p < n_pieces; p++)
    for (guint j = 0; j < pieces[p].n_seen; j++)
      pieces[p].to_final[j] = old_to_new[pieces[p].to_final[j]];
  g_free(old_to_new);
  parallel_run(n_pieces, 1, n_pieces, NULL, set_sources, &pass);
  for (guint p = 0; p < n_pieces; p++)
    g_free(pieces[p].to_final);
  g_free(pieces);
}

/* A claim still in play: not an echo, not replaced, not a mere floor. */
static gboolean in_play(const MemberInfo *m)
{
  return m->echo_of < 0 && m->revised_by < 0 && m->superseded_by < 0;
}

/* Figures that stand for a point, whose ratio to the estimate means something. */
static gboolean pointlike(ReckonKind kind)
{
  return kind == RECKON_KIND_EXACT || kind == RECKON_KIND_APPROX || kind == RECKON_KIND_BETWEEN ||
         kind == RECKON_KIND_NEARLY;
}

/* Estimates whose claims (their @n members' @info) can be checked
 * against each other. */
static gboolean checkable(const MemberInfo *info, guint n)
{
  gint first = -1;
  for (guint i = 0; i < n; i++)
    if (in_play(&info[i])) {
      if (first < 0)
        first = info[i].origin;
      else if (info[i].origin != first)
        return TRUE;
    }
  return FALSE;
}

/* What one source's judged claims add up to. */
typedef struct {
  double n, rho, bias, bias_weight, square, square_weight;
} Tally;

static double learned_r(const SourceStat *s, const Tally *t)
{
  return CLAMP((s->pub.prior * s->prior_weight + t->rho) / (s->prior_weight + t->n), 0.01, 0.99);
}

/* A source's learned bias: the weighted mean log ratio of its figures to
 * the estimates, shrunk towards its prior. */
static double learned_log_bias(const SourceStat *s, const Tally *t)
{
  return (s->prior_log_bias * s->bias_weight + t->bias) / (s->bias_weight + t->bias_weight);
}

/* How far a source's honest figures stray from the estimates (bias and
 * noise together, in ln), shrunk towards its kind's prior spread. */
static double learned_spread(const SourceStat *s, const Tally *t)
{
  return sqrt((SPREAD_PRIOR_WEIGHT * s->prior_spread * s->prior_spread + MAX(t->square, 0)) /
              (SPREAD_PRIOR_WEIGHT + MAX(t->square_weight, 0)));
}

/* Estimates taken at a time: at most BLOCK, so that taking a block costs
 * nothing next to estimating it, and small enough that every thread gets
 * several, so they finish together. */
#define BLOCK 64

/* What one judged claim adds to its source's tally.  tally() forms the
 * products w * d and rho * d * d from it each time, the same bits each
 * time, and a sign of -1 only negates them, so adding and removing them
 * leaves no more residue than adding and removing one product.  Worked
 * out from the claim's info and seed whenever it is added: keeping them
 * for every round would hold 32 bytes a claim at the height of the run,
 * and they cost a few operations on what tally() reads anyway. */
typedef struct {
  gint source;   /* -1: not in play, adds nothing */
  gboolean point; /* pointlike: adds to the bias and the spread too */
  double rho;
  double w;      /* weight of its bias: 1 - wild */
  double d;      /* its log ratio to the estimate */
} Share;

/* The share of claim @m (of seed @seed; @best is u of its estimate's best). */
static G_ALWAYS_INLINE inline void share_claim(const MemberInfo *m, const MemberSeed *seed,
                                               double best, Share *sh)
{
  sh->source = in_play(m) ? m->source : -1;
  sh->point = pointlike(seed->kind);
  if (sh->source < 0)
    return;
  sh->rho = m->rho;
  if (sh->point) {
    /* Slanted figures are false but in the ballpark: they carry the
     * bias, so only wild ones are left out. */
    sh->w = 1 - m->wild;
    /* Against what the claim was expected to say: an early count of a
     * growing toll lies below the final one by design, not by bias. */
    sh->d = bayes_seed_fig(seed) + m->shortfall - best;
  }
}

/* Adds (or with @sign -1 removes) the shares of the @n claims of a judged
 * estimate (their @info and @seeds; @best is u of its best) to @tallies. */
static void tally(const MemberInfo *info, const MemberSeed *seeds, guint n, double best,
                  Tally *tallies, double sign)
{
  for (guint i = 0; i < n; i++) {
    Share share, *sh = &share;
    share_claim(&info[i], &seeds[i], best, sh);
    if (sh->source < 0)
      continue;
    Tally *t = &tallies[sh->source];
    t->n += sign;
    t->rho += sign * sh->rho;
    if (sh->point) {
      t->bias += sign * (sh->w * sh->d);
      t->square += sign * (sh->rho * sh->d * sh->d);
      t->square_weight += sign * sh->rho;
      t->bias_weight += sign * sh->w;
    }
  }
}

/* How far a parameter moves when the M step would move it by @d after
 * moving it by @last.  EM converges linearly, each step a steady fraction
 * of the one before, so a ratio up to MAX_RATIO is followed to its limit
 * (Aitken's delta squared); a step that turns back is halved, so a
 * parameter that overshot, or flips between two values, lands between. */
static double accelerate(double d, double last)
{
  if (last == 0)
    return d;
  double ratio = d / last;
  if (ratio < 0)
    return d / 2;
  return ratio <= MAX_RATIO ? d / (1 - ratio) : d;
}

/* A source's leave-one-out tally as it stands after an estimate: its
 * claims in a judged estimate are added and removed again, which leaves
 * a residue in the last bits when it has two or more there.  The residue
 * carries on to every later estimate, so it is found in the serial sum
 * and handed to the threads as the list of such changes. */
typedef struct {
  guint k;     /* the estimate after which */
  gint source;
  Tally own;
} Residue;

/* How the last M step would have moved a member's r and spread. */
typedef struct {
  double r, spread;
} Step;

/* Members of the estimates with one origin, which no round computes and
 * none judges, in runs of members of one source whose r, spread, steps
 * and settled flag are the same bits (all of a source's at first).  Every
 * member of a source sees the same totals less the same leave-one-out
 * tally, which changes only at the source's residues, so a run's members
 * all move alike but where a residue falls among them: a learning step
 * moves each run once (split at the residues, pieces that come out alike
 * joined again) instead of each member, and only when learning stops
 * are the members' infos given their run's r and spread. */
typedef struct {
  guint start; /* its first member in Learner.lone */
  double r, spread;
  Step step;
  guint8 settled;
} Run;

/* The M step's state, kept over the rounds: the claims of the estimates
 * with two origins (the only ones that can be judged) have their last
 * steps at @offsets[j] in @steps. */
typedef struct {
  ReckonEngine *engine;
  const guint *multi;
  guint n_multi;
  guint *offsets;    /* n_multi + 1 */
  /* Of the @multi estimates: where their members' infos start in
   * engine->infos, and which are to be estimated again.  Kept here so that
   * the learning step does not read the estimates' records, a cache miss
   * each. */
  guint *info_first;
  guint8 *dirty;
  /* What the learning step reads of each @multi estimate, noted when the
   * estimate is computed (learner_note()): its seeds and u of its best. */
  const MemberSeed **seeds;
  double *best_u;
  gboolean *judged;  /* of the @multi estimates, which are checkable this round */
  Tally *total;      /* per source: its judged claims in every estimate */
  GArray *residues;  /* of Residue, in estimate order */
  guint round;
  /* The members' last steps, kept here rather than in their MemberInfo
   * since nothing needs them once learning stops. */
  Step *steps;
  guint8 *settled;     /* r and spread turned back late in learning, and stay */
  /* The members of the estimates with one origin, by source, then in
   * estimate order: their index in engine->infos and their estimate. */
  guint *lone, *lone_k;
  guint n_lone;
  guint *lone_first;   /* n_sources + 1: each source's first in @lone */
  GArray *runs, *next_runs; /* of Run, in @lone order */
  guint *by_source;    /* the residues' indices by source, in estimate order */
  guint *source_first; /* n_sources + 2: each source's first in @by_source */
} Learner;

/* Moves a claim's reliability @r and spread @spread by the M step from
 * its source's @total less @own (what its own estimate adds, left out),
 * given its last @step.  Returns how far they moved, or -1 when they stay:
 * @settled, as they are from SETTLE_AFTER on once they turn back. */
static G_ALWAYS_INLINE inline double move_claim(guint round, const SourceStat *s, const Tally *total,
                                               const Tally *own,
                         double *r, double *spread, Step *step, guint8 *settled)
{
  if (*settled)
    return -1;
  Tally t = *total;
  t.n -= own->n;
  t.rho -= own->rho;
  t.bias -= own->bias;
  t.bias_weight -= own->bias_weight;
  t.square -= own->square;
  t.square_weight -= own->square_weight;
  double dr = learned_r(s, &t) - *r, dspread = learned_spread(s, &t) - *spread;
  if (round >= SETTLE_AFTER && (dr * step->r < 0 || dspread * step->spread < 0)) {
    *settled = TRUE;
    return -1;
  }
  /* Spreads are only damped: a spread's steps follow the claims'
   * weights, which jump, and extrapolating them overshoots. */
  double new_r = CLAMP(*r + accelerate(dr, step->r), 0.01, 0.99);
  double new_spread = MAX(*spread + (dspread * step->spread < 0 ? dspread / 2 : dspread), 0);
  step->r = dr;
  step->spread = dspread;
  double moved = MAX(fabs(new_r - *r), fabs(new_spread - *spread));
  *r = new_r;
  *spread = new_spread;
  return moved;
}

/* A thread's state in the second pass: its own copy of the leave-one-out
 * tallies, brought up to each block it takes (blocks come in increasing
 * order to each thread), and the largest move it saw. */
typedef struct {
  Tally *own;
  guint next_residue; /* the first residue not applied to @own */
  gboolean moved;
  double step;
} LearnWorker;

static void judge_block(guint from, guint to, gpointer worker, gpointer data)
{
  (void)worker;
  Learner *l = data;
  for (guint j = from; j < to; j++)
    l->judged[j] = checkable(l->engine->infos + l->info_first[j], l->offsets[j + 1] - l->offsets[j]);
}

/* Updates every claim of the estimates with two origins [@from, @to) of
 * @multi from its source's totals less its own estimate's.  The estimates
 * with one origin between them add nothing to any tally. */
static void update_block(guint from, guint to, gpointer worker, gpointer data)
{
  Learner *l = data;
  LearnWorker *w = worker;
  GArray *stats = l->engine->sources;
  const Tally *total = l->total;
  Tally *own = w->own;
  for (; w->next_residue < l->residues->len; w->next_residue++) {
    const Residue *r = &g_array_index(l->residues, Residue, w->next_residue);
    if (r->k >= l->multi[from])
      break;
    own[r->source] = r->own;
  }
  for (guint j = from; j < to; j++) {
    MemberInfo *info = l->engine->infos + l->info_first[j];
    guint n = l->offsets[j + 1] - l->offsets[j];
    Step *steps = l->steps + l->offsets[j];
    guint8 *settled = l->settled + l->offsets[j];
    if (l->judged[j])
      tally(info, l->seeds[j], n, l->best_u[j], own, 1);
    for (guint i = 0; i < n; i++) {
      MemberInfo *m = &info[i];
      double moved = move_claim(l->round, &g_array_index(stats, SourceStat, m->source),
                                &total[m->source], &own[m->source], &m->r, &m->spread, &steps[i],
                                &settled[i]);
      w->step = MAX(w->step, moved);
      if (moved > SETTLED) {
        l->dirty[j] = TRUE;
        w->moved = TRUE;
      }
    }
    if (l->judged[j])
      tally(info, l->seeds[j], n, l->best_u[j], own, -1);
  }
}

/* The first of @k[@from..@to) (ascending) above @after; @to if none. */
static guint first_above(const guint *k, guint from, guint to, guint after)
{
  while (from < to) {
    guint mid = from + (to - from) / 2;
    if (k[mid] <= after)
      from = mid + 1;
    else
      to = mid;
  }
  return from;
}

/* Appends @run to @runs, or extends the last run with it when that is of
 * the same source (it starts at or after @source_start) and alike. */
static void add_run(GArray *runs, const Run *run, guint source_start)
{
  if (runs->len > 0) {
    const Run *last = &g_array_index(runs, Run, runs->len - 1);
    if (last->start >= source_start && memcmp(&last->r, &run->r, sizeof last->r) == 0 &&
        memcmp(&last->spread, &run->spread, sizeof last->spread) == 0 &&
        memcmp(&last->step, &run->step, sizeof last->step) == 0 && last->settled == run->settled)
      return;
  }
  g_array_append_val(runs, *run);
}

/* The learning step of the members of estimates with one origin (Run):
 * each run of a source moves once per stretch between the source's
 * residues that it spans, with the source's totals less the leave-one-out
 * tally of that stretch, as each of its members would have.  The largest
 * move goes to @w. */
static void move_lone(Learner *l, LearnWorker *w)
{
  static const Tally none;
  GArray *stats = l->engine->sources;
  guint n_sources = stats->len, n_residues = l->residues->len;
  /* The residues by source, each source's in estimate order. */
  l->by_source = g_renew(guint, l->by_source, MAX(n_residues, 1));
  guint *first = l->source_first;
  memset(first, 0, (n_sources + 2) * sizeof *first);
  for (guint q = 0; q < n_residues; q++)
    first[g_array_index(l->residues, Residue, q).source + 2]++;
  for (guint s = 0; s < n_sources; s++)
    first[s + 2] += first[s + 1];
  for (guint q = 0; q < n_residues; q++)
    l->by_source[first[g_array_index(l->residues, Residue, q).source + 1]++] = q;
#define RESIDUE(q) (&g_array_index(l->residues, Residue, l->by_source[q]))
  const Run *runs = (const Run *)l->runs->data;
  guint n_runs = l->runs->len, ri = 0;
  g_array_set_size(l->next_runs, 0);
  for (guint s = 0; s < n_sources; s++) {
    const SourceStat *stat = &g_array_index(stats, SourceStat, s);
    const Tally *own = &none;
    guint q = first[s], q_end = first[s + 1];
    for (; ri < n_runs && runs[ri].start < l->lone_first[s + 1]; ri++) {
      guint a = runs[ri].start, end = ri + 1 < n_runs ? runs[ri + 1].start : l->n_lone;
      for (;;) {
        while (q < q_end && RESIDUE(q)->k < l->lone_k[a])
          own = &RESIDUE(q++)->own;
        guint b = q < q_end ? first_above(l->lone_k, a, end, RESIDUE(q)->k) : end;
        Run piece = runs[ri];
        piece.start = a;
        double moved = move_claim(l->round, stat, &l->total[s], own, &piece.r, &piece.spread,
                                  &piece.step, &piece.settled);
        w->step = MAX(w->step, moved);
        w->moved |= moved > SETTLED;
        add_run(l->next_runs, &piece, l->lone_first[s]);
        if (b == end)
          break;
        a = b;
      }
    }
  }
#undef RESIDUE
  GArray *swap = l->runs;
  l->runs = l->next_runs;
  l->next_runs = swap;
}

/* Gives the members of estimates with one origin their runs' r and spread. */
static void lone_write(const Learner *l)
{
  const Run *runs = (const Run *)l->runs->data;
  for (guint ri = 0; ri < l->runs->len; ri++) {
    guint end = ri + 1 < l->runs->len ? runs[ri + 1].start : l->n_lone;
    for (guint p = runs[ri].start; p < end; p++) {
      MemberInfo *m = &l->engine->infos[l->lone[p]];
      m->r = runs[ri].r;
      m->spread = runs[ri].spread;
    }
  }
}

/* Lists the members of the estimates with one origin by source, and makes
 * their first runs: alike members of a source, as the source table left
 * them. */
static void lone_init(Learner *l)
{
  ReckonEngine *engine = l->engine;
  guint n_sources = engine->sources->len, n = engine->estimates->len;
  l->lone_first = g_new0(guint, n_sources + 2);
  guint n_lone = 0;
  for (guint k = 0, j = 0; k < n; k++) {
    const ReckonEstimate *e = &g_array_index(engine->estimates, ReckonEstimate, k);
    if (j < l->n_multi && l->multi[j] == k) {
      j++;
      continue;
    }
    for (guint i = 0; i < e->n_members; i++)
      l->lone_first[e->info[i].source + 2]++;
    n_lone += e->n_members;
  }
  for (guint s = 0; s < n_sources; s++)
    l->lone_first[s + 2] += l->lone_first[s + 1];
  l->n_lone = n_lone;
  l->lone = g_new(guint, MAX(n_lone, 1));
  l->lone_k = g_new(guint, MAX(n_lone, 1));
  for (guint k = 0, j = 0; k < n; k++) {
    const ReckonEstimate *e = &g_array_index(engine->estimates, ReckonEstimate, k);
    if (j < l->n_multi && l->multi[j] == k) {
      j++;
      continue;
    }
    for (guint i = 0; i < e->n_members; i++) {
      guint p = l->lone_first[e->info[i].source + 1]++;
      l->lone[p] = (guint)(e->info + i - engine->infos);
      l->lone_k[p] = k;
    }
  }
  l->runs = g_array_new(FALSE, FALSE, sizeof(Run));
  l->next_runs = g_array_new(FALSE, FALSE, sizeof(Run));
  for (guint s = 0; s < n_sources; s++)
    for (guint p = l->lone_first[s]; p < l->lone_first[s + 1]; p++) {
      const MemberInfo *m = &engine->infos[l->lone[p]];
      Run run = {.start = p, .r = m->r, .spread = m->spread};
      add_run(l->runs, &run, l->lone_first[s]);
    }
  l->source_first = g_new(guint, n_sources + 2);
  l->by_source = NULL;
}

static void learner_init(Learner *l, ReckonEngine *engine, const guint *multi, guint n_multi)
{
  l->engine = engine;
  l->multi = multi;
  l->n_multi = n_multi;
  l->offsets = g_new(guint, n_multi + 1);
  l->info_first = g_new(guint, MAX(n_multi, 1));
  l->dirty = g_new(guint8, MAX(n_multi, 1));
  l->seeds = g_new0(const MemberSeed *, MAX(n_multi, 1));
  l->best_u = g_new0(double, MAX(n_multi, 1));
  memset(l->dirty, TRUE, n_multi); /* every one, in the first round */
  l->offsets[0] = 0;
  for (guint j = 0; j < n_multi; j++) {
    const ReckonEstimate *e = &g_array_index(engine->estimates, ReckonEstimate, multi[j]);
    l->offsets[j + 1] = l->offsets[j] + e->n_members;
    l->info_first[j] = (guint)(e->info - engine->infos);
  }
  l->judged = g_new(gboolean, MAX(n_multi, 1));
  l->total = g_new(Tally, MAX(engine->sources->len, 1));
  l->residues = g_array_new(FALSE, FALSE, sizeof(Residue));
  l->steps = g_new0(Step, MAX(l->offsets[n_multi], 1));
  l->settled = g_new0(guint8, MAX(l->offsets[n_multi], 1));
  lone_init(l);
}

/* Frees the learner's arrays, once the members of estimates with one
 * origin have their runs' r and spread. */
static void learner_clear(Learner *l)
{
  lone_write(l);
  g_free(l->offsets);
  g_free(l->info_first);
  g_free(l->dirty);
  g_free(l->seeds);
  g_free(l->best_u);
  g_free(l->judged);
  g_free(l->total);
  g_array_free(l->residues, TRUE);
  g_free(l->steps);
  g_free(l->settled);
  g_free(l->lone);
  g_free(l->lone_k);
  g_free(l->lone_first);
  g_array_free(l->runs, TRUE);
  g_array_free(l->next_runs, TRUE);
  g_free(l->by_source);
  g_free(l->source_first);
}

/* The M step after round @round.  Every claim gets its source's
 * reliability and bias learned from the other estimates (leave one out),
 * so an estimate does not feed on its own verdict.  Only the estimates
 * with two origins can be checkable.  Returns TRUE when some claim's
 * reliability or bias moved by more than SETTLED; those estimates are
 * marked dirty (@l->dirty).  engine->last_step is the largest move.
 *
 * On the threads: which estimates are judged, then every claim's
 * update, block by block; on one: the sums, in estimate order.
 * @works holds one LearnWorker per thread. */
static gboolean learn(Learner *l, guint round, LearnWorker *works, guint n_workers)
{
  ReckonEngine *engine = l->engine;
  GArray *stats = engine->sources;
  guint n_sources = stats->len;
  l->round = round;
  parallel_run(l->n_multi, parallel_block(l->n_multi, n_workers, BLOCK), n_workers, NULL,
               judge_block, l);
  memset(l->total, 0, n_sources * sizeof(Tally));
  g_array_set_size(l->residues, 0);
  Tally *own = works[0].own;
  memset(own, 0, n_sources * sizeof(Tally));
  GArray *before = g_array_new(FALSE, FALSE, sizeof(Tally));
  for (guint j = 0; j < l->n_multi; j++) {
    if (!l->judged[j])
      continue;
    const MemberInfo *info = engine->infos + l->info_first[j];
    const MemberSeed *seeds = l->seeds[j];
    double best = l->best_u[j];
    guint n = l->offsets[j + 1] - l->offsets[j];
    tally(info, seeds, n, best, l->total, 1);
    g_array_set_size(before, n);
    for (guint i = 0; i < n; i++)
      if (in_play(&info[i]))
        g_array_index(before, Tally, i) = own[info[i].source];
    tally(info, seeds, n, best, own, 1);
    tally(info, seeds, n, best, own, -1);
    for (guint i = 0; i < n; i++) {
      gint s = in_play(&info[i]) ? info[i].source : -1;
      if (s >= 0 && memcmp(&g_array_index(before, Tally, i), &own[s], sizeof(Tally)) != 0) {
        Residue r = {l->multi[j], s, own[s]};
        g_array_append_val(l->residues, r);
      }
    }
  }
  g_array_free(before, TRUE);
  for (guint i = 0; i < n_sources; i++) {
    SourceStat *s = &g_array_index(stats, SourceStat, i);
    Tally *t = &l->total[i];
    s->pub.judged = (guint)(t->n + 0.5);
    s->pub.reliability = learned_r(s, t);
    s->pub.bias = exp(learned_log_bias(s, t));
    s->pub.spread = learned_spread(s, t);
  }
  for (guint t = 0; t < n_workers; t++) {
    memset(works[t].own, 0, n_sources * sizeof(Tally));
    works[t].next_residue = 0;
    works[t].moved = FALSE;
    works[t].step = 0;
  }
  gpointer *workers = g_new(gpointer, n_workers);
  for (guint t = 0; t < n_workers; t++)
    workers[t] = &works[t];
  parallel_run(l->n_multi, parallel_block(l->n_multi, n_workers, BLOCK), n_workers, workers,
               update_block, l);
  g_free(workers);
  move_lone(l, &works[0]);
  gboolean moved = FALSE;
  engine->last_step = 0;
  for (guint t = 0; t < n_workers; t++) {
    moved |= works[t].moved;
    engine->last_step = MAX(engine->last_step, works[t].step);
  }
  return moved;
}

/* One round's estimates, shared out among threads (parallel.c).
 * Estimates are independent within a round and each one's result depends
 * only on its own claims and their sources' parameters, so the output is
 * the same for any number of threads and whichever thread takes which
 * estimate. */
typedef struct {
  GArray *estimates;
  const ReckonOptions *opts;
  const guint *pending;
  Learner *learner;        /* while learning, else NULL */
  const guint *pending_j;  /* while learning: the pending estimates' places in @learner's multi */
} Round;

/* Notes what the learning step reads of estimate @j of @l's multi, just
 * computed: its record is then in the cache, and the step need not read
 * it again in every round.  Learning rounds keep an estimate's seeds. */
static void learner_note(Learner *l, guint j, const ReckonEstimate *e)
{
  l->seeds[j] = e->seeds;
  l->best_u[j] = log1p(e->best);
}


static void estimate_block(guint from, guint to, gpointer work, gpointer data)
{
  const Round *round = data;
  for (guint i = from; i < to; i++) {
    ReckonEstimate *e = &g_array_index(round->estimates, ReckonEstimate, round->pending[i]);
    estimate_compute(e, round->opts, work);
    if (round->learner)
      learner_note(round->learner, round->pending_j[i], e);
  }
}

/* Estimates the @n_pending estimates listed in @pending with up to
 * @n_workers threads, each with its scratch space in @works; while
 * learning, for @learner, which are they in its multi (@pending_j). */
static void estimate_round(ReckonEngine *engine, const guint *pending, guint n_pending,
                           Learner *learner, const guint *pending_j, BayesWork **works,
                           guint n_workers)
{
  Round round = {engine->estimates, &engine->opts, pending, learner, pending_j};
  guint block = parallel_block(n_pending, n_workers, BLOCK);
  parallel_run(n_pending, block, n_workers, (gpointer *)works, estimate_block, &round);
}

void reliability_run(ReckonEngine *engine)
{
  guint n_workers = parallel_threads(&engine->opts);
  BayesWork **works = g_new(BayesWork *, n_workers);
  for (guint t = 0; t < n_workers; t++)
    works[t] = bayes_work_new();
  guint n = engine->estimates->len;
  guint *pending = g_new(guint, MAX(n, 1));
  gboolean learning = engine->opts.method == RECKON_METHOD_BAYES;
  /* While learning, only estimates with two origins or more teach
   * anything; the others are estimated once, with what was learned.
   * Listed once, so that the rounds do not go over every estimate. */
  guint *multi = g_new(guint, MAX(n, 1)), n_multi = 0;
  for (guint k = 0; k < n; k++) {
    if (g_array_index(engine->estimates, ReckonEstimate, k).n_origins > 1)
      multi[n_multi++] = k;
  }
  /* While learning, which of @multi each pending estimate is. */
  guint *pending_j = g_new(guint, MAX(n_multi, 1));
  Learner learner;
  LearnWorker *learn_works = g_new0(LearnWorker, n_workers);
  if (learning) {
    learner_init(&learner, engine, multi, n_multi);
    for (guint t = 0; t < n_workers; t++)
      learn_works[t].own = g_new(Tally, MAX(engine->sources->len, 1));
  }
  engine->rounds = 0;
  engine->last_step = 0;
  for (guint round = 0;; round++) {
    gboolean last = !learning || round == MAX_ROUNDS;
    guint n_pending = 0;
    if (last && engine->opts.method == RECKON_METHOD_BAYES) {
      /* What was learned is in the members' info and the source table:
       * the learner's arrays make room for the last round's. */
      learner_clear(&learner);
      g_clear_pointer(&pending_j, g_free);
      for (guint t = 0; t < n_workers; t++)
        g_clear_pointer(&learn_works[t].own, g_free);
    }
    if (last) { /* every estimate again, on the full grid */
      for (guint k = 0; k < n; k++)
        pending[n_pending++] = k;
    } else {
      for (guint j = 0; j < n_multi; j++)
        if (learner.dirty[j]) {
          pending_j[n_pending] = j;
          pending[n_pending++] = multi[j];
          learner.dirty[j] = FALSE;
        }
    }
    for (guint t = 0; t < n_workers; t++)
      bayes_work_set_learning(works[t], !last);
    estimate_round(engine, pending, n_pending, last ? NULL : &learner, pending_j, works, n_workers);
    engine_progress(engine, RECKON_STAGE_ESTIMATE);
    if (last)
      break;
    /* After the last learning step one more round estimates, so that the
     * estimates and the reliabilities they report agree. */
    engine->rounds++;
    if (!learn(&learner, round, learn_works, n_workers))
      learning = FALSE;
  }
  g_free(learn_works);
  g_free(multi);
  g_free(pending);
  g_free(pending_j);
  for (guint t = 0; t < n_workers; t++)
    bayes_work_free(works[t]);
  g_free(works);
}

guint reckon_engine_n_sources(const ReckonEngine *engine)
{
  g_return_val_if_fail(engine != NULL, 0);
  return engine->sources->len;
}

const ReckonSource *reckon_engine_source(const ReckonEngine *engine, guint i)
{
  g_return_val_if_fail(engine != NULL, NULL);
  g_return_val_if_fail(i < engine->sources->len, NULL);
  return &g_array_index(engine->sources, SourceStat, i).pub;
}

static gboolean row_error(GError **error, const Table *t, const TableRow *row, const char *reason)
{
  g_set_error(error, RECKON_ERROR, RECKON_ERROR_INPUT, "%s:%u: %s", t->filename, row->line, reason);
  return FALSE;
}

gboolean reckon_engine_load_sources(ReckonEngine *engine, const char *path, GError **error)
{
  g_return_val_if_fail(engine != NULL, FALSE);
  g_return_val_if_fail(path != NULL, FALSE);
  char *text = NULL;
  gsize len = 0;
  GError *local = NULL;
  if (!g_file_get_contents(path, &text, &len, &local)) {
    g_set_error(error, RECKON_ERROR, RECKON_ERROR_IO, "%s", local->message);
    g_error_free(local);
    return FALSE;
  }
  Table *t = table_parse(path, text, len, &local);
  g_free(text);
  if (!t) {
    g_set_error(error, RECKON_ERROR, RECKON_ERROR_INPUT, "%s", local->message);
    g_error_free(local);
    return FALSE;
  }
  GHashTable *loaded = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, source_prior_free);
  gboolean ok = TRUE;
  for (guint i = 0; ok && i < t->rows->len; i++) {
    const TableRow *row = g_ptr_array_index(t->rows, i);
    guint64 claims, judged;
    double reliability, bias, spread;
    char *end1, *end2, *end3;
    if (row->n_fields != 7) {
      ok = row_error(error, t, row, "expected 'source | kind | claims | judged | reliability | bias | spread'");
      break;
    }
    reliability = g_ascii_strtod(row->fields[4], &end1);
    bias = g_ascii_strtod(row->fields[5], &end2);
    spread = g_ascii_strtod(row->fields[6], &end3);
    if (!table_field_count(row->fields[2], FALSE, &claims) ||
        !table_field_count(row->fields[3], FALSE, &judged))
      ok = row_error(error, t, row, "claims and judged must be whole numbers");
    else if (end1 == row->fields[4] || *end1 || !(reliability >= 0 && reliability <= 1))
      ok = row_error(error, t, row, "reliability must be a number from 0 to 1");
    else if (end2 == row->fields[5] || *end2 || !(bias > 0 && bias < 1e6))
      ok = row_error(error, t, row, "bias must be a positive number");
    else if (end3 == row->fields[6] || *end3 || !(spread >= 0 && spread <= 5))
      ok = row_error(error, t, row, "spread must be a number from 0 to 5");
    if (!ok)
      break;
    SourcePrior *p = g_new0(SourcePrior, 1);
    p->reliability = CLAMP(reliability, 0.01, 0.99);
    p->bias = bias;
    p->spread = spread;
    p->judged = (guint)MIN(judged, G_MAXUINT);
    g_hash_table_replace(loaded, sources_key(engine->rules->sources, row->fields[0]), p);
  }
  table_free(t);
  if (!ok) {
    g_hash_table_unref(loaded);
    return FALSE;
  }
  if (engine->priors)
    g_hash_table_unref(engine->priors);
  engine->priors = loaded;
  return TRUE;
}

int source_stat_compare(gconstpointer a, gconstpointer b)
{
  return compare_stats(a, b);
}
