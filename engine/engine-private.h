/*
 * engine-private.h - the engine's state, shared by the stages: reader.c
 * fills claims and rejects, group.c and estimate.c turn claims into
 * estimates, writer.c prints them.  engine.c holds the public entry points.
 */
#ifndef RECKON_ENGINE_PRIVATE_H
#define RECKON_ENGINE_PRIVATE_H

#include "claim.h"
#include "place.h"
#include "reckon/engine.h"
#include "reckon/sources.h"
#include "rules.h"

/* An incident as grouping found it; it and what it points to live in the
 * grouping run's slabs (group.c, slab.c) until the next run. */
typedef struct _Incident Incident;
struct _Incident {
  const char *key;        /* internal, from content: fixes the order of incidents while
                           * grouping; after, NULL unless keyed */
  const char *event_name; /* its group of event types ("air-strike"); NULL when keyed */
  const guint *members;   /* indices of its claims in engine->claims */
  guint n_members;
  guint cell;             /* the claims' cell (same places and date) in grouping */
  const char *where;      /* the most common where text of its claims, or NULL */
  const char *what;       /* the most common what text of its claims, or NULL */
  const PlaceSet *places; /* the reading of its most common where; NULL without one */
  const struct _EventType *const *types; /* the distinct known event types of its claims */
  guint n_types;
  DateSpan when;          /* its day, vague date or period (keyed: the claims' hull) */
  gboolean keyed;         /* grouped by an explicit incident.key */
  gboolean aggregate;     /* several places, a wide place or a period */
  const Incident *parent; /* the smallest incident it lies inside, or NULL */
  const char *id;
  const char *label;
  const char *place;      /* canonical place names, " + "-joined; NULL without a where */
  const char *when_text;  /* "" when no date */
};

/* group.c: how the last run read each claim, kept for explain. */
typedef struct _GroupRun GroupRun;

/* What the estimation stages know of one member beyond its public record
 * (roles.c, reliability.c, bayes.c fill it; estimate.c and the explainer
 * read it). */
typedef struct {
  gint origin;          /* index of its origin among the estimate's origins */
  gint echo_of;         /* the member it repeats, or -1 */
  gint superseded_by;   /* a later member whose count is above this one, or -1 */
  gint revised_by;      /* non-cumulative: a later word of its own origin, or -1 */
  gint later_lower;     /* a later, lower count of its own origin, or -1 */
  gint source;          /* index into the engine's source table */
  double r;             /* its source's reliability in this round */
  double spread;        /* its source's spread: how far (in ln) its honest figures stray */
  double rho;           /* bayes: probability that the claim is honest */
  double wild;          /* bayes: probability that it is wild, not even in the ballpark */
  double shortfall;     /* bayes: how far (in ln) its count is expected to lie below the final toll */
} MemberInfo;

/* What the bayes estimator takes from a member's claim and range, worked
 * out once for an estimate computed in several rounds, so that a round
 * reads the estimate's own arrays and not the claims (bayes_seeds()). */
typedef struct {
  double a, b;          /* the core: a peak's centre, a plateau's ends; a bound's number, and in b how
                         * far past it a near-complete count lies */
  double sd_lo, sd_hi;  /* fall-off below and above the core; for "nearly" and "between", whose fall-off
                         * below follows from the kind and a, sd_lo holds u of the figure
                         * instead (bayes_seed_fig()), so that a seed is 48 bytes, not 56 */
  double p;             /* how likely the count is still incomplete */
  guint8 shape;         /* bayes.c's shape of its likelihood */
  guint8 kind;          /* its range's ReckonKind */
} MemberSeed;

/* An estimate's low, high and best as its method gave them, before parts
 * and totals moved it (bounds.c). */
typedef struct {
  guint64 low, high;
  double best;
} Fused;

/* What parts and totals did to an estimate (bounds.c), for the few they
 * touch: kept apart, so that the others do not carry two empty pointers. */
typedef struct {
  Fused fused; /* low, high and best as the method gave them (made before any move) */
  char *note;  /* how parts and totals moved or flagged it, or NULL */
} Bounded;

/* A batch run holds one per incident, metric and who (half a million at
 * 1e6 claims): its incident's id and label are read from the incident, its
 * metric and who from its first claim (estimate_metric()), and the flags
 * and method, which fit in a byte, are bytes, packed with the counts. */
struct _ReckonEstimate {
  const Incident *source_incident; /* its id and label are the estimate's */
  guint64 low, high;
  double best;
  double level;
  guint n_sources;
  guint n_members;
  guint n_origins;        /* independent origins among the members */
  guint8 flags;           /* ReckonFlags: they fit a byte */
  guint8 method;          /* ReckonMethod: the estimator that computed it */
  guint8 cumulative;      /* the metric's tolls only grow */
  guint8 roles_doubted;   /* estimate.c: roles were last assigned without doubtful claims */
  ReckonMember *members;  /* n_members, owned: NULL until asked for (members_get()) */
  const Claim **claims;   /* the members' claims, sorted, in engine->member_claims */
  MemberInfo *info;       /* parallel to claims, in engine->infos */
  guint8 *marks;          /* parallel to claims, in engine->marks: each member's flags (they fit
                           * a byte), which the members' records take */
  MemberSeed *seeds;      /* bayes.c: parallel to claims while learning, else NULL */
  Bounded *bounded;       /* bounds.c: for the few it moved or flagged; NULL when low, high
                           * and best are the method's and there is no note */
};
G_STATIC_ASSERT(RECKON_FLAG_COUNT <= 8);

/* @e's low, high and best as its method gave them (Fused). */
static inline Fused estimate_fused(const ReckonEstimate *e)
{
  return e->bounded ? e->bounded->fused : (Fused){e->low, e->high, e->best};
}

/* How parts and totals moved or flagged @e, or NULL. */
static inline const char *estimate_note(const ReckonEstimate *e)
{
  return e->bounded ? e->bounded->note : NULL;
}

/* @e's metric and who (NULL for everyone): every member's claim has the
 * same record (buckets.c), and an estimate has a member at least. */
static inline const char *estimate_metric(const ReckonEstimate *e)
{
  return e->claims[0]->measure->metric;
}

static inline const char *estimate_who(const ReckonEstimate *e)
{
  return e->claims[0]->measure->who;
}

/* Member @i's range, read through its claim: an estimate has no member
 * records until they are asked for (members_get()). */
static inline const ReckonRange *member_range(const ReckonEstimate *e, guint i)
{
  return &e->claims[i]->value->range;
}

struct _ReckonEngine {
  ReckonOptions opts;
  const ReckonRules *rules;
  GStringChunk *strings;
  GArray *claims;         /* of Claim */
  GArray *rejects;        /* of ReckonReject, strings in @strings */
  struct _ReadMemo *memo; /* what the reader has read before (memo.c), claim ids too */
  GHashTable *shared_rares; /* reader.c: set of ClaimRare (owned) shared by the claims of
                             * one key and via list without unknown fields */
  GHashTable *measures;   /* reader.c: set of ClaimMeasure (owned), one per metric and who */
  GArray *estimates;      /* of ReckonEstimate */
  MemberInfo *infos;      /* estimate.c: every estimate's info, in estimate order, in one block */
  guint8 *marks;          /* estimate.c: parallel to @infos, in one block */
  const Claim **member_claims; /* buckets.c: parallel to @infos */
  gboolean any_extra;     /* buckets.c: some member's claim has members of other names */
  GPtrArray *incidents;   /* of Incident*, sorted by id; @group owns them */
  GroupRun *group;        /* what grouping read, until the next run */
  GArray *sources;        /* of SourceStat (reliability.c), the last run's */
  GHashTable *source_index; /* source key -> index + 1 in @sources */
  GHashTable *priors;     /* source key -> SourcePrior*, from reckon_engine_load_sources() */
  guint rounds;           /* learning (EM) rounds the last run took */
  double last_step;       /* the largest move of a claim's r or spread in its last M step */
  ReckonProgressFunc progress; /* reckon_engine_set_progress(), may be NULL */
  gpointer progress_data;
};

/* engine.c: reports progress to the caller's function, if any. */
void engine_progress(const ReckonEngine *engine, ReckonStage stage);

/* engine.c: opens a claims file for reading ("-" is standard input), or
 * returns -1 with @error: "PATH: cannot open: REASON", or a directory. */
int engine_open_input(const char *path, GError **error);

/* reader.c: read claims from text or parsed JSON into @engine.  Returns
 * FALSE only with strict set, at the first reject. */
gboolean reader_load_text(ReckonEngine *engine, const char *name, const char *data, gsize len,
                          GError **error);
gboolean reader_load_json(ReckonEngine *engine, const char *name, const cJSON *json,
                          GError **error);

/* group.c: fills engine->incidents, and engine->estimates with one empty
 * estimate per incident, metric and who (incident, label, metric, who,
 * members), in output order. */
void group_claims(ReckonEngine *engine);

/* group.c: frees what group_claims() kept of a run; NULL is a no-op. */
void group_run_free(GroupRun *run);

/* group.c: frees what only group_explain() reads of the last run: how
 * each claim was read and joined, and the place sets (the incidents'
 * places become NULL; their names stay). */
void group_forget_readings(ReckonEngine *engine);

/* group.c: TRUE while the last run can be explained (group_explain()). */
gboolean group_explainable(const ReckonEngine *engine);

/* group.c: appends to @out, in plain words, why the claims of @incident
 * were grouped and which near-misses were kept apart. */
void group_explain(const ReckonEngine *engine, const Incident *incident, GString *out);

/* reliability.c: the cap on learning rounds, and how far a claim's
 * reliability or spread may still move when learning has settled. */
#define RELIABILITY_MAX_ROUNDS 15
#define RELIABILITY_SETTLED 0.01

/* A source as reliability.c learns it: the public record first. */
typedef struct {
  ReckonSource pub;      /* pub.spread: learned spread of its figures around the estimates */
  double prior_spread;   /* its kind's, or a loaded table's */
  const char *key;       /* canonical folded key (interned) */
  double prior_weight;   /* claims' worth of evidence in the prior */
  double prior_log_bias, bias_weight;
} SourceStat;

/* reliability.c: the order of a run's sources (SourceStat): by name, then key. */
int source_stat_compare(gconstpointer a, gconstpointer b);

/* A learned reliability given back to a later run (reckon_engine_load_sources). */
typedef struct {
  double reliability;
  double bias;
  double spread;
  guint judged;
} SourcePrior;

/* The grid posterior's scratch space, reused across estimates so that
 * estimating allocates nothing per claim (bayes.c). */
typedef struct _BayesWork BayesWork;
BayesWork *bayes_work_new(void);
void bayes_work_free(BayesWork *work);
/* While @learning, estimates are computed on a coarser grid: enough for the
 * claims' weights that reliabilities are learned from, not for quantiles
 * to a count.  Estimates computed so must be computed again after. */
void bayes_work_set_learning(BayesWork *work, gboolean learning);
gboolean bayes_work_learning(const BayesWork *work);

/* bayes.c: e^@x for @x <= 0 as the estimator takes it, within about one
 * unit in the last place of exp(); 0 below -708. */
double bayes_exp_neg(double x);

/* bayes.c: low, best and high of @estimate from its members' roles,
 * reliabilities and biases (info[]); sets info[].rho and info[].wild. */
void bayes_estimate(ReckonEstimate *estimate, BayesWork *work);

/* bayes.c: the seeds of @estimate's members, worked out and kept in
 * estimate->seeds if it has none (transfer none: estimate_clear() frees
 * them). */
const MemberSeed *bayes_seeds(ReckonEstimate *estimate);
/* U of the figure of the claim of @seed, whose kind is one of those that
 * stand for a point (exact, about, between, nearly): exact and about are
 * a peak at it. */
static inline double bayes_seed_fig(const MemberSeed *seed)
{
  return seed->kind == RECKON_KIND_NEARLY || seed->kind == RECKON_KIND_BETWEEN ? seed->sd_lo : seed->a;
}

/* bayes.c: appends to @out, in plain words, the likelihood member @i
 * stood for. */
void bayes_explain_member(const ReckonEstimate *estimate, guint i, GString *out);

/* roles.c: origins, echoes and superseded counts of @estimate's members,
 * and its number of sources (info[] allocated; members sorted as group.c
 * leaves them). */
void roles_assign(ReckonEstimate *estimate);

/* roles.c: assigns again, after roles_assign(), the roles that depend on
 * which claims are believed (superseded, revised, later lower): members
 * with @excluded[i] set (may be NULL) supersede and revise nothing, as an
 * outlier does not replace an earlier count.  Origins and echoes stay. */
void roles_reassign(ReckonEstimate *estimate, const gboolean *excluded);

/* estimate.c: allocates every estimate's info[] (in engine->infos, freed
 * with the estimates) and assigns its roles, before reliabilities, on
 * @engine's threads. */
void estimate_prepare_all(ReckonEngine *engine);

/* estimate.c: computes low, best, high, flags and roles of @estimate;
 * @work is used by the bayes method.  While @work is learning, only low,
 * best, high and the members' weights (info[].rho, .wild) are computed:
 * the estimate is computed again after learning. */
void estimate_compute(ReckonEstimate *estimate, const ReckonOptions *opts, BayesWork *work);

/* estimate.c: the role member @i played in @estimate, from its info and
 * marks (finish()); bounds.c and the member records (members.c) read it so. */
ReckonRole estimate_member_role(const ReckonEstimate *estimate, guint i);

/* members.c: member @i of @estimate's public record (ReckonMember), from
 * its claim, info and marks. */
ReckonMember members_record(const ReckonEstimate *estimate, guint i);

/* members.c: @estimate's public member records, made when first asked for
 * and kept in estimate->members (transfer none); safe to call from several
 * threads at once. */
const ReckonMember *members_get(const ReckonEstimate *estimate);

/* members.c: @estimate's member records for one use: its members if they
 * were made, else written to @scratch when it holds them all, else to a
 * new block put in *@held (g_free() it after).  What the writer prints
 * from, so that a batch run never holds every record at once. */
#define MEMBERS_SCRATCH 16
const ReckonMember *members_view(const ReckonEstimate *estimate, ReckonMember *scratch,
                                 guint n_scratch, ReckonMember **held);

/* estimate.c: appends to @out, in plain words, how @estimate's range, best
 * value and flags came about from its claims. */
void estimate_explain(const ReckonEngine *engine, const ReckonEstimate *estimate, GString *out);

/* Frees what an estimate owns (seeds, members, bounded; its claims and
 * info are the engine's). */
void estimate_clear(ReckonEstimate *estimate);
/* Appends @estimate as one line of JSON Lines (without the newline): the
 * bytes cJSON_PrintUnformatted() gives for reckon_estimate_to_json().
 * @extras is the engine's any_extra: without any, the members' claims
 * are not read (a cache miss each). */
void estimate_write_jsonl(const ReckonEstimate *estimate, gboolean extras, GString *out);
/* Append @s as a JSON string, and @d as a JSON number, with the bytes
 * cJSON_PrintUnformatted() gives for them. */
void json_put_string(GString *out, const char *s);
void json_put_number(GString *out, double d);

/* reliability.c: builds the source table of the run from the claims and
 * gives every member its source's prior reliability. */
void reliability_prepare(ReckonEngine *engine);

/* reliability.c: estimates every estimate with the engine's method and,
 * for bayes, learns reliabilities and biases across incidents (EM) until
 * they settle. */
void reliability_run(ReckonEngine *engine);

/* reliability.c: frees a SourcePrior (GDestroyNotify). */
void source_prior_free(gpointer prior);

/* bounds.c: parts within totals: raises a total's low to the sum of its
 * disjoint parts and flags exceeds_total (rules/who). */
void bounds_apply(ReckonEngine *engine);

#endif /* RECKON_ENGINE_PRIVATE_H */
